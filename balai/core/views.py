import hmac
import logging
import secrets
import sys
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task_backends
from prometheus_client import CONTENT_TYPE_LATEST

from balai.core.observability import QueueCollector
from balai.core.unavailable import unavailable_response
from balai.lib import metrics
from balai.lib.tasks import waiting_tasks

log = logging.getLogger(__name__)


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


class NotReady(Exception):
    pass


def database_state() -> dict:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise NotReady(f"{len(pending)} migrations not applied")
    return {}


def cache_state() -> dict:
    key, value = "balai:readyz", secrets.token_hex(8)
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise NotReady("the cache did not return what was stored")
    return {}


def queue_state() -> dict:
    """The queue's store answers; how many tasks are due and how long the first has waited.
    A slow worker does not make this process unready: that is the metrics' alert."""
    return {
        state.queue: {"waiting": state.waiting, "oldest_seconds": round(state.oldest_seconds, 1)}
        for state in waiting_tasks(task_backends["default"])
    }


READINESS = {"database": database_state, "cache": cache_state, "queue": queue_state}


@never_cache
def readyz(request):
    """200 when the database, the cache and the task queue answer; 503 naming what failed."""
    body: dict = {"status": "ok"}
    failing = []
    for part, state in READINESS.items():
        try:
            body[part] = state()
        except Exception as exc:  # any failure to reach a part means not ready
            log.warning("readyz: %s failed: %s", part, type(exc).__name__)
            detail = str(exc) if isinstance(exc, NotReady) else type(exc).__name__
            body[part] = {"error": detail}
            failing.append(f"{part}: {detail}")
    if failing:
        return JsonResponse(
            {**body, "status": "unavailable", "reason": "; ".join(failing)}, status=503
        )
    # Apps with something to report (e.g. CCTV probe rounds) add a `health()` to their config.
    details = {app.label: app.health() for app in apps.get_app_configs() if hasattr(app, "health")}
    return JsonResponse({**body, **details})


@never_cache
def metrics_view(request):
    """Prometheus metrics, for a scraper holding BALAI_METRICS_TOKEN only; without a
    token configured the page does not exist (docs/observability.md)."""
    expected = settings.BALAI_METRICS_TOKEN
    if not expected:
        raise Http404
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), expected.encode()):
        response = HttpResponse("token required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.exposition(QueueCollector()), content_type=CONTENT_TYPE_LATEST)


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
