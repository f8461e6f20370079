from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from balai.regions.models import District


@login_required
def staff_home(request):
    return render(request, "core/staff_home.html", {"districts": District.objects.in_regency()})


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any failure to reach the database means not ready
        return JsonResponse({"status": "unavailable", "reason": f"database: {exc}"}, status=503)
    if pending:
        return JsonResponse(
            {"status": "unavailable", "reason": f"{len(pending)} migrations not applied"},
            status=503,
        )
    return JsonResponse({"status": "ok"})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
