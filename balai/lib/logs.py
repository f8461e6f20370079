"""Structured logs: one JSON object a line, without personal data (docs/observability.md).

Each line carries the time, level, logger and message, the id of the request
or task it belongs to, and the fields the caller passed in `extra=` whose
names are listed in FIELDS; anything else a caller attaches is left out.
An exception is written as its class and the code locations it passed
through, never its message: a database error's message quotes the row it
refused (PostgreSQL's "Key (nik)=(3508...) already exists").
"""

from __future__ import annotations

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

# The request or task being served in this thread or coroutine.
context_id: ContextVar[dict[str, str] | None] = ContextVar("balai_log_context", default=None)

# What a log line may carry besides its message: names and numbers, never a person's data.
FIELDS = (
    "event",
    "method",
    "route",
    "view",
    "status",
    "duration_ms",
    "role",
    "user",
    "task",
    "task_id",
    "queue",
    "wait_ms",
    "error",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(context_id.get() or {})
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            line["error"] = type(record.exc_info[1]).__name__
            line["stack"] = stack_of(record.exc_info[1])
        return json.dumps(line, ensure_ascii=False, default=str)


def stack_of(exc: BaseException) -> list[str]:
    """Where the exception went, innermost last: file, line and function, no values."""
    return [
        f"{frame.filename}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_tb(exc.__traceback__)
    ]


class DropRequestLines(logging.Filter):
    """Django's `django.request` and `django.server` lines quote the path ("Not Found:
    /lacak/..."), which may hold what a resident typed. The request line Balai writes
    itself says the same with the URL's name; an uncaught exception keeps its stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return False
        record.msg, record.args = "unhandled exception", ()
        return True
