"""The ASGI application `balai serve` runs (gunicorn with uvicorn workers, docs/server.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
django_application = get_asgi_application()

from balai.core.limits import RequestBodyLimit  # noqa: E402 (needs the settings above)

application = RequestBodyLimit(django_application)
