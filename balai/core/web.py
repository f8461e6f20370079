"""The worker class `balai serve` gives gunicorn: uvicorn's, set for Balai.

An asyncio event loop per process holds every connection, so clients that send
headers or bodies slowly cost a socket, not a worker; Django's ASGI handler
runs a view only once the whole body has arrived (docs/server.md).
"""

import sys
from functools import lru_cache
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn_worker import UvicornWorker


@lru_cache(maxsize=1)
def bad_request_page() -> bytes:
    """The styled Indonesian 400 page, rendered once per process."""
    from django.template.loader import render_to_string

    return render_to_string("400.html").encode()


class StyledH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, answering a request it cannot parse with Balai's
    400 page instead of a line of English plain text."""

    def send_400_response(self, msg: str) -> None:
        try:
            body = bad_request_page()
        except Exception:
            super().send_400_response(msg)
            return
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        self.transport.write(
            self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request"))
        )
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()


class Worker(UvicornWorker):
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "asyncio",
        "http": "balai.core.web:StyledH11Protocol",
        # Django does not speak the lifespan protocol.
        "lifespan": "off",
        # Django decides which proxy to trust (BALAI_BEHIND_PROXY, accounts.audit.client_ip).
        "proxy_headers": False,
        # Request line and headers together; a longer head is refused by uvicorn.
        "h11_max_incomplete_event_size": 16 * 1024,
    }


def gunicorn_command(bind: str, workers: int) -> list[str]:
    """gunicorn serving Balai's ASGI application with this worker class."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        # Asynchronous workers: slow clients hold a socket, not a worker (docs/server.md).
        "balai.asgi:application",
        "--worker-class",
        "balai.core.web.Worker",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # No access log: its lines carry query strings; Balai logs each request
        # itself, without them (docs/observability.md).
    ]
