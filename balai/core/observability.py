"""One log line and one latency sample per request and per task (docs/observability.md).

The request's id comes from the proxy's `X-Request-ID` when it sends a sane
one (nginx's `$request_id`), else is made here; it is sent back in the
response's `X-Request-ID` and carried by every log line of the request. The
user is named by role and a keyed hash of their id, never by name.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
import uuid

from django.conf import settings
from django_tasks.base import TaskResultStatus
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from balai.lib import metrics
from balai.lib.logs import context_id
from balai.lib.tasks import waiting_tasks

request_log = logging.getLogger("balai.requests")
task_log = logging.getLogger("balai.tasks")

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def user_hash(pk) -> str:
    """The same short value for the same user, from which their id cannot be read back."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"user:{pk}".encode(), hashlib.sha256).hexdigest()[:12]


def who(request) -> dict[str, str]:
    # Only a user already loaded: reading request.user here would cost a session query.
    user = getattr(request, "_cached_user", None)
    token = getattr(request, "api_token", None)
    if token is not None:
        user = token.user
    if user is None or not user.is_authenticated:
        return {"role": "anonymous"}
    return {"role": user.role or "none", "user": user_hash(user.pk)}


def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class ObserveRequestsMiddleware:
    """First in MIDDLEWARE, so that requests refused early (413, 400) are counted too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = context_id.set({"request_id": request_id})
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = view_label(request)
            method = request.method if request.method in METHODS else "OTHER"
            status = response.status_code
            metrics.REQUEST_SECONDS.labels(view, method, f"{status // 100}xx").observe(seconds)
            match = getattr(request, "resolver_match", None)
            request_log.info(
                "request",
                extra={
                    "event": "request",
                    "method": method,
                    "view": view,
                    "route": f"/{match.route}" if match is not None else "",
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    **who(request),
                },
            )
            response["X-Request-ID"] = request_id
            return response
        finally:
            context_id.reset(token)


def count_request_exception(sender, request=None, **kwargs) -> None:
    """Django's got_request_exception: an exception no view or middleware handled."""
    import sys

    exc = sys.exc_info()[1]
    metrics.ERRORS.labels("request", type(exc).__name__ if exc else "unknown").inc()


# Per task id, while it runs: when it started and the log context to restore
# (a task run at once inside a request goes back to the request's).
_running: dict[str, tuple[float, dict[str, str] | None]] = {}


def task_started(sender, task_result, **kwargs) -> None:
    task = task_result.task.module_path
    _running[str(task_result.id)] = (time.perf_counter(), context_id.get())
    context_id.set({"task_id": str(task_result.id)})
    due = task_result.task.run_after or task_result.enqueued_at
    if due is not None and task_result.started_at is not None:
        wait = max(0.0, (task_result.started_at - due).total_seconds())
        metrics.TASK_WAIT_SECONDS.labels(task).observe(wait)


def task_finished(sender, task_result, **kwargs) -> None:
    task = task_result.task.module_path
    started, previous = _running.pop(str(task_result.id), (None, None))
    status = "successful" if task_result.status == TaskResultStatus.SUCCESSFUL else "failed"
    extra: dict[str, object] = {
        "event": "task",
        "task": task,
        "queue": task_result.task.queue_name,
        "status": status,
    }
    if started is not None:
        seconds = time.perf_counter() - started
        metrics.TASK_SECONDS.labels(task, status).observe(seconds)
        extra["duration_ms"] = round(seconds * 1000, 1)
    if status == "failed":
        error = task_result.errors[-1].exception_class_path if task_result.errors else ""
        extra["error"] = error.rpartition(".")[2] or "unknown"
        metrics.ERRORS.labels("task", extra["error"]).inc()
    task_log.info("task", extra={**extra, "task_id": str(task_result.id)})
    context_id.set(previous)


class QueueCollector(Collector):
    """Read at each scrape: tasks due and not started, and the age of the oldest."""

    def collect(self):
        from django_tasks import task_backends

        waiting = GaugeMetricFamily(
            "balai_tasks_waiting", "Tasks due and not yet started.", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "balai_task_oldest_waiting_seconds",
            "How long the longest-waiting due task has waited.",
            labels=["queue"],
        )
        for state in waiting_tasks(task_backends["default"]):
            waiting.add_metric([state.queue], state.waiting)
            oldest.add_metric([state.queue], state.oldest_seconds)
        yield waiting
        yield oldest
