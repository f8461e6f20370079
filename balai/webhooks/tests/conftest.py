import pytest
from pytest_httpserver import HTTPServer

from balai.accounts.choices import Role, Scope


@pytest.fixture
def receiver():
    """A real HTTP server on loopback, answering requests in threads (so a
    hanging handler holds only its own)."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def allow_private(settings):
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = True
    settings.BALAI_WEBHOOKS_TIMEOUT = 2
    return settings


@pytest.fixture
def make_client(cast):
    """An API client acting through a service user with this role and area."""
    from balai.accounts.models import ApiClient, User

    def make(name, role=Role.REGENCY_ADMIN, scopes=(), **area):
        user = User.objects.create(username=f"svc-{name}", role=role, is_service=True, **area)
        return ApiClient.objects.create(name=name, user=user, scopes=list(scopes))

    return make


@pytest.fixture
def regency_client(make_client):
    return make_client(
        "sistem-kabupaten",
        Role.COMMAND_CENTER,
        scopes=[Scope.COMPLAINTS_READ, Scope.LETTERS_READ, Scope.CCTV_READ, Scope.WEBHOOKS],
    )
