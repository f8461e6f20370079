"""The request size limit, enforced twice: in the ASGI server path and in Django.

A body over BALAI_MAX_REQUEST_MB is refused from its Content-Length before any
of it is read; a body without one (chunked) is cut off once it passes the
limit. `RequestBodyLimit` wraps the ASGI application that `balai serve` runs
(Django's ASGI handler reads the whole body before any middleware, so the
check must come first); `RequestSizeLimitMiddleware` does the same under WSGI
(runserver, tests, other servers). Both answer with the one Indonesian page.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def too_large_response() -> HttpResponse:
    """413 with the styled page; `Connection: close` so the client stops sending."""
    limit_mb = settings.BALAI_MAX_REQUEST_BYTES // (1024 * 1024)
    response = HttpResponse(render_to_string("413.html", {"limit_mb": limit_mb}), status=413)
    response["Connection"] = "close"
    return response


def declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself (400)
    return None


class RequestBodyLimit:
    """ASGI wrapper: refuse over-limit bodies before Django reads (and spools) them."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = settings.BALAI_MAX_REQUEST_BYTES
        length = declared_length(scope.get("headers", []))
        if length is not None and length > limit:
            await self.refuse(send)
            return
        received = 0
        over = False

        async def limited_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Django treats a disconnect while reading the body as an
                    # aborted request and answers nothing; the 413 comes below.
                    over = True
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, limited_receive, send)
        if over:
            await self.refuse(send)

    @staticmethod
    async def refuse(send: Send) -> None:
        response = await sync_to_async(too_large_response)()
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.items()]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": response.content})


class RequestSizeLimitMiddleware:
    """The same limit under WSGI, where Django reads no more than Content-Length."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot parse
        if length > settings.BALAI_MAX_REQUEST_BYTES:
            return too_large_response()
        return self.get_response(request)
