"""The WSGI app bench_complaints.py serves with gunicorn: Balai plus one bare insert view.

The bare view is the baseline for submissions: a Django view that inserts one
row and answers, through the same middleware, server and database. The
Open311 submission limit is raised (not removed), so its query stays in.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.db import connection  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

import balai.urls  # noqa: E402
from balai.complaints import open311  # noqa: E402

open311.SUBMIT_PER_HOUR = 10_000_000


@csrf_exempt
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert (body, created_at) VALUES (%s, now()) RETURNING id",
            [request.POST.get("description", "")],
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


balai.urls.urlpatterns.insert(0, path("bench/insert", bare_insert))
clear_url_caches()
