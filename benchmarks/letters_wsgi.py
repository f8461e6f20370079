"""The WSGI app bench_letters.py serves with gunicorn: Balai plus two bare views.

The bare views are the baselines: a Django view that reads one row by primary
key (for the tracking page) and one that inserts one row (for submissions),
through the same middleware, server and database. The letters' rate limits are
raised (not removed) so their cache reads and writes stay in the measurement.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

import balai.urls  # noqa: E402
from balai.letters.models import LetterRequest  # noqa: E402

settings.BALAI_LETTERS_SUBMIT_IP_RATE = "100000000/h"
settings.BALAI_LETTERS_IDENTIFY_IP_RATE = "100000000/h"


def bare_read(request, pk):
    row = LetterRequest.objects.only("status", "tracking_code").get(pk=pk)
    return HttpResponse(f"<p>{row.status}</p>")


@csrf_exempt
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert (body, created_at) VALUES (%s, CURRENT_TIMESTAMP)",
            [request.POST.get("purpose", "")],
        )
    return JsonResponse({"ok": True}, status=201)


balai.urls.urlpatterns.insert(0, path("bench/read/<int:pk>", bare_read))
balai.urls.urlpatterns.insert(0, path("bench/insert", bare_insert))
clear_url_caches()
