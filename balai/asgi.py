"""The ASGI application `balai serve` runs (gunicorn with uvicorn workers, docs/server.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
django_application = get_asgi_application()

from balai.core.boot import load_views  # noqa: E402 (needs the settings above)
from balai.core.limits import RequestBodyLimit  # noqa: E402

load_views()
application = RequestBodyLimit(django_application)
