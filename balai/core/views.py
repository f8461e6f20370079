import sys
from functools import lru_cache

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.core.unavailable import unavailable_response


@lru_cache
def staff_link_templates() -> tuple[str, ...]:
    """Each Balai app may add its links to the staff home in `<app>/staff_links.html`."""
    found = []
    for app in apps.get_app_configs():
        if app.name.startswith("balai.") and app.label != "core":
            name = f"{app.label}/staff_links.html"
            try:
                get_template(name)
            except TemplateDoesNotExist:
                continue
            found.append(name)
    return tuple(found)


@login_required
def staff_home(request):
    """The user's scope and links to their work; each app adds its own links."""
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "core/staff_home.html",
        {"link_templates": staff_link_templates(), "has_second_factor": has_device},
    )


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
    # Apps with something to report (e.g. CCTV probe rounds) add a `health()` to their config.
    details = {app.label: app.health() for app in apps.get_app_configs() if hasattr(app, "health")}
    return JsonResponse({"status": "ok", **details})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    from balai.accounts.ratelimit import Ratelimited

    if isinstance(exception, Ratelimited):
        return render(request, "429.html", status=429)
    return render(request, "403.html", status=403)


def error_500(request):
    # Django calls this inside its `except` block: the error is at hand.
    outage = unavailable_response(request, sys.exc_info()[1])
    return outage or render(request, "500.html", status=500)
