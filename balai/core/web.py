"""The worker class `balai serve` gives gunicorn: uvicorn's, set for Balai.

An asyncio event loop per process holds every connection, so clients that send
headers or bodies slowly cost a socket, not a worker; Django's ASGI handler
runs a view only once the whole body has arrived (docs/server.md).
"""

from typing import Any, ClassVar

from uvicorn_worker import UvicornWorker


class Worker(UvicornWorker):
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "asyncio",
        "http": "h11",
        # Django does not speak the lifespan protocol.
        "lifespan": "off",
        # Django decides which proxy to trust (BALAI_BEHIND_PROXY, accounts.audit.client_ip).
        "proxy_headers": False,
        # Request line and headers together; a longer head is refused by uvicorn.
        "h11_max_incomplete_event_size": 16 * 1024,
    }
