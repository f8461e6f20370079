"""What a web process does before it takes its first request."""

from django.urls import get_resolver


def load_views() -> None:
    """Import the URLconf and with it every view module and the API's schemas.

    Django does this on the first request a process serves: after a restart or a
    deploy, that request waited about 0.8 s for it. gunicorn lets a worker take
    requests only once the application module is loaded, so done here it costs
    no one a wait.
    """
    get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
