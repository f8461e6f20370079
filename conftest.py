"""The fixed cast every test can use (healthchecks' alice/bob, Zulip's hamlet).

Two onboarded villages in two districts of Lumajang, each with operator,
secretary and head; a district officer; an agency officer; a regency admin
(with a confirmed TOTP device); the command center; an inactive village; and a
village of another regency.
"""

import os
import socket
from types import SimpleNamespace

import pytest

# Browser fixtures (`page`, `browser_login`, `browser_url`) for every app; real camera
# peers on loopback (`camera_servers`, `rtsp_server`) for the CCTV probes; the production
# layout behind nginx (`deployment`); a media disk that fills, a private PostgreSQL (faults);
# a private Redis (`redis_url`), real RQ workers (`rq_workers`), an S3 server (`s3_media`)
# and the scaled-out layout (`scaled_out`); what the log handlers write (`log_output`).
pytest_plugins = [
    "balai.core.tests.browser",
    "balai.cctv.tests.servers",
    "balai.core.tests.deployment",
    "balai.core.tests.faults",
    "balai.core.tests.redisserver",
    "balai.core.tests.taskworkers",
    "balai.core.tests.s3server",
    "balai.core.tests.scaleout",
    "balai.core.tests.logs",
]

os.environ.setdefault("BALAI_REGENCY", "35.08")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path, request):
    from balai.letters import lookups as letter_lookups
    from balai.regions import geo

    geo.forget()  # outlines of an earlier test's (rolled back) boundaries
    letter_lookups.clear()  # offers of an earlier test's (rolled back) villages and types
    settings.PASSWORD_HASHERS = ["balai.core.tests.hashers.QuickPBKDF2"]
    settings.MEDIA_ROOT = tmp_path / "media"
    if os.environ.get("BALAI_TEST_MEDIA") == "s3":
        # Every test's media in a bucket of the loopback S3 server (docs/scale-out.md).
        request.getfixturevalue("s3_media")
    # Tasks run as they are enqueued, so tests see their effects at once.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_regions():
    from balai.regions.models import District, Province, Regency, Village

    Province.objects.get_or_create(code="35", defaults={"name": "Jawa Timur"})
    Regency.objects.get_or_create(
        code="35.08", defaults={"province_id": "35", "name": "Kabupaten Lumajang"}
    )
    Regency.objects.get_or_create(
        code="35.09", defaults={"province_id": "35", "name": "Kabupaten Jember"}
    )
    districts = {
        "35.08.01": ("35.08", "Tempursari"),
        "35.08.02": ("35.08", "Pronojiwo"),
        "35.09.01": ("35.09", "Jombang"),
    }
    for code, (regency, name) in districts.items():
        District.objects.get_or_create(code=code, defaults={"regency_id": regency, "name": name})
    villages = {
        "35.08.01.2001": ("Tempursari", True),
        "35.08.01.2002": ("Pundungsari", False),
        "35.08.02.2001": ("Sidomulyo", True),
        "35.08.02.1001": ("Oro Oro Ombo", False),
        "35.09.01.2001": ("Jombang", True),
    }
    for code, (name, active) in villages.items():
        Village.objects.get_or_create(
            code=code, defaults={"district_id": code[:8], "name": name, "is_active": active}
        )
    return {code: Village.objects.get(code=code) for code in villages}


def make_user(username, role, **scope):
    from balai.accounts.models import User

    user = User.objects.create_user(
        username, password="correct horse battery", role=role, first_name=username.title(), **scope
    )
    return user


@pytest.fixture
def cast(db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from balai.accounts.choices import Role
    from balai.agencies.models import Agency

    villages = make_regions()
    village_a = villages["35.08.01.2001"]
    village_b = villages["35.08.02.2001"]
    pupr = Agency.objects.create(
        slug="dinas-pupr",
        name="Dinas Pekerjaan Umum dan Penataan Ruang",
        short_name="Dinas PUPR",
        duties="Jalan, jembatan, drainase.",
    )
    dlh = Agency.objects.create(
        slug="dlh", name="Dinas Lingkungan Hidup", short_name="DLH", duties="Sampah, pencemaran."
    )
    c = SimpleNamespace(
        village_a=village_a,
        village_b=village_b,
        inactive_village=villages["35.08.01.2002"],
        foreign_village=villages["35.09.01.2001"],
        agency=pupr,
        other_agency=dlh,
        operator_a=make_user("operator_a", Role.VILLAGE_OPERATOR, village=village_a),
        secretary_a=make_user("sekdes_a", Role.VILLAGE_SECRETARY, village=village_a),
        head_a=make_user("kades_a", Role.VILLAGE_HEAD, village=village_a),
        operator_b=make_user("operator_b", Role.VILLAGE_OPERATOR, village=village_b),
        secretary_b=make_user("sekdes_b", Role.VILLAGE_SECRETARY, village=village_b),
        head_b=make_user("kades_b", Role.VILLAGE_HEAD, village=village_b),
        district_a=make_user("camat_a", Role.DISTRICT_STAFF, district=village_a.district),
        agency_officer=make_user("pupr", Role.AGENCY_STAFF, agency=pupr),
        other_agency_officer=make_user("dlh", Role.AGENCY_STAFF, agency=dlh),
        admin=make_user("admin", Role.REGENCY_ADMIN, is_staff=True),
        command_center=make_user("cc", Role.COMMAND_CENTER),
        outsider=make_user("outsider", ""),
    )
    c.admin_totp = TOTPDevice.objects.create(user=c.admin, name="default", confirmed=True)
    c.staff_of_a = [c.operator_a, c.secretary_a, c.head_a]
    c.staff_of_b = [c.operator_b, c.secretary_b, c.head_b]
    return c


def login(client, user):
    """Log in as a user, past the second factor where the role requires one."""
    client.force_login(user)
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
    return client


@pytest.fixture
def login_as(client):
    return lambda user: login(client, user)


@pytest.fixture
def api_token(db):
    """A function making a bearer header for a user with the given scopes."""
    from balai.accounts.actions import create_token

    def make(user, *scopes, days=30):
        _, value = create_token(user, list(scopes), days)
        return {"Authorization": f"Bearer {value}"}

    return make


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; `.messages` holds what it received."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


@pytest.fixture
def boundaries(cast):
    """The bundled outlines of the cast's regency, districts and villages (docs/maps.md);
    returns every bundled village feature by code."""
    from balai.regions.tests.fixtures import load_known_boundaries

    return load_known_boundaries()
