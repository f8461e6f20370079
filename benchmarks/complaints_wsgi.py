"""The WSGI app bench_complaints.py serves with gunicorn: Balai plus two bare insert views.

The bare views are the baseline for submissions: a Django view that inserts
one row through the ORM (`/bench/insert`, the issue's "bare Django insert
view"), and one that does it with a hand-written SQL statement
(`/bench/insert-sql`), both through the same middleware, server and database. The
Open311 submission limit is raised (not removed), so its query stays in.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.db import connection, models  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

import balai.urls  # noqa: E402
from balai.complaints import open311  # noqa: E402

open311.SUBMIT_PER_HOUR = 10_000_000


class BenchRow(models.Model):
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "complaints"
        db_table = "bench_insert"
        managed = False

    def __str__(self) -> str:
        return self.body


@csrf_exempt
def bare_insert(request):
    row = BenchRow.objects.create(body=request.POST.get("description", ""))
    return JsonResponse({"id": row.pk}, status=201)


@csrf_exempt
def bare_insert_sql(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert (body, created_at) VALUES (%s, now()) RETURNING id",
            [request.POST.get("description", "")],
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


balai.urls.urlpatterns.insert(0, path("bench/insert", bare_insert))
balai.urls.urlpatterns.insert(0, path("bench/insert-sql", bare_insert_sql))
clear_url_caches()
