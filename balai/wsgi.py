import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
application = get_wsgi_application()

from balai.core.boot import load_views  # noqa: E402 (needs the settings above)

load_views()
