"""Who may read which model, and how far: one table, a test per model and role.

`READS` below is the specification: for every model whose queryset has
`for_user`, the roles that may read it and how far each reaches. The tests are
generated from it (as NetBox's ViewTestCases generate theirs): for each model
and each member of the cast, a row of the model is made in four places and
`Model.objects.for_user(member)` must return exactly the rows the table says,
and nothing for a role the table leaves out, whatever a view checks.

A new app adds itself with one line in `READS`: the model, how to make a row
of it in a village (`row_of(label, **fields)` when a village and a few plain
fields are enough, else a small function like those below) and who reads it:

    "cctv.Camera": (row_of("cctv.Camera", name="Kamera balai desa"), area(*EVERY_AREA)),

Its queryset extends `accounts.access.VillageScopedQuerySet` and names the
same roles in `readers` (or builds its own `for_user` from access.py's filters).

A model with `for_user` that is missing from the table fails
`test_every_model_with_for_user_is_in_the_table`.
"""

import datetime as dt
from itertools import count

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role

# How far a role reads a model: which of the places below it sees.
VILLAGE = "own village"  # the user's village
DISTRICT = "own district"  # the villages of the user's district
REGENCY = "whole regency"  # every village of the regency, none beyond
AGENCY = "own agency"  # what is with the user's agency, wherever it is

# Each place is a village and an agency; the cast's staff of "home" are the
# operator, secretary and head of village A, the district officer of its
# district and the officer of its agency (Dinas PUPR).
PLACES = {
    "home": ("village_a", "agency"),
    "same district": ("inactive_village", "agency"),
    "other district": ("village_b", "other_agency"),
    "other regency": ("foreign_village", "other_agency"),
}
REACHES = {
    VILLAGE: {"home"},
    DISTRICT: {"home", "same district"},
    REGENCY: {"home", "same district", "other district"},
    AGENCY: {"home", "same district"},
}

_AREA = {
    **dict.fromkeys(VILLAGE_ROLES, VILLAGE),
    Role.DISTRICT_STAFF: DISTRICT,
    **dict.fromkeys(REGENCY_ROLES, REGENCY),
}


def area(*roles) -> dict[str, str]:
    """These roles, each reading its own area (village, district or regency)."""
    return {role: _AREA[role] for role in roles}


EVERY_AREA = (*VILLAGE_ROLES, Role.DISTRICT_STAFF, *REGENCY_ROLES)
_serial = count(1)


# ---- a row of each model in a village, for an agency ---------------------------


def row_of(label: str, **fields):
    """A maker for models whose row needs only its village and these fields."""

    def make(cast, village, agency):
        return apps.get_model(label).objects.create(village=village, **fields)

    return make


def audit_row(cast, village, agency):
    from balai.accounts.models import AuditLog

    officer = cast.agency_officer if agency == cast.agency else cast.other_agency_officer
    return AuditLog.objects.create(action="matrix", village=village, user=officer)


def family(cast, village, agency):
    from balai.residents.models import Family

    return Family.objects.create(no_kk=f"35{next(_serial):014d}", village=village)


def resident(cast, village, agency):
    from balai.residents.models import Resident

    return Resident.objects.create(
        nik=f"35{next(_serial):014d}",
        village=village,
        family=family(cast, village, agency),
        name="Siti Wahyuni",
        sex=2,
        birth_date=dt.date(1980, 1, 1),
        religion=1,
        occupation=9,
        marital_status=2,
    )


def registry_event(cast, village, agency):
    from balai.residents.models import RegistryEvent

    return RegistryEvent.objects.create(
        village=village,
        resident=resident(cast, village, agency),
        kind="death",
        date=dt.date.today(),
    )


def letter_type():
    from balai.letters.models import LetterType

    return LetterType.objects.get_or_create(
        code="matrix", defaults={"name": "Uji", "title": "UJI", "classification": "470"}
    )[0]


def letter_request(cast, village, agency):
    from balai.letters.models import LetterRequest

    return LetterRequest.objects.create(
        village=village,
        letter_type=letter_type(),
        resident=resident(cast, village, agency),
        purpose="Uji",
    )


def letter(cast, village, agency):
    from balai.letters.models import Letter

    request = letter_request(cast, village, agency)
    n = next(_serial)
    return Letter.objects.create(
        request=request,
        village=village,
        letter_type=request.letter_type,
        number=f"470/{n}",
        year=2026,
        sequence=n,
        pdf="letters/uji.pdf",
        sha256="0" * 64,
        signed_by=cast.head_a,
        signer_name="Kepala",
        signer_position="Kepala Desa",
        resident_name="Siti Wahyuni",
    )


def village_letter_type(cast, village, agency):
    from balai.letters.models import VillageLetterType

    return VillageLetterType.objects.create(village=village, letter_type=letter_type())


def resident_pin(cast, village, agency):
    from balai.letters.models import ResidentPin

    return ResidentPin.objects.create(
        resident=resident(cast, village, agency), village=village, pin_hash="x"
    )


def notification(cast, village, agency):
    from balai.notifications.models import Notification

    return Notification.objects.create(
        channel="email",
        recipient="warga@example.com",
        body="Uji",
        key=f"m{next(_serial)}",
        village=village,
    )


def webhook_subscription(cast, village, agency):
    from balai.accounts.models import ApiClient, User
    from balai.webhooks.models import Subscription

    n = next(_serial)
    user = User.objects.create(
        username=f"svc-{n}", role=Role.VILLAGE_OPERATOR, village=village, is_service=True
    )
    client = ApiClient.objects.create(name=f"klien-{n}", user=user)
    return Subscription.objects.create(client=client, url="https://desa.example.id/", kinds=[])


def webhook_delivery(cast, village, agency):
    from balai.notifications.models import Event
    from balai.webhooks.models import Delivery

    event = Event.objects.create(kind="service.down", data={}, village=village)
    return Delivery.objects.create(
        subscription=webhook_subscription(cast, village, agency), event=event
    )


def complaint(cast, village, agency):
    from balai.complaints.models import Category, Complaint

    category = Category.objects.get_or_create(code="matrix", defaults={"name": "Uji"})[0]
    now = timezone.now()
    return Complaint.objects.create(
        category=category,
        description="Uji",
        village=village,
        unit_kind="agency",
        agency=agency,
        tracking_digest=f"{next(_serial):064d}",
        created_at=now,
        updated_at=now,
    )


def village_host(cast, village, agency):
    from balai.portal.models import VillageHost

    return VillageHost.objects.create(host=f"desa{next(_serial)}.example.id", village=village)


def camera(cast, village, agency):
    from balai.cctv.models import Camera

    return Camera.objects.create(
        village=village, name="Kamera balai desa", purpose="keamanan", owner_agency=agency
    )


def camera_event(cast, village, agency):
    from balai.cctv.models import CameraEvent

    return CameraEvent.objects.create(
        camera=camera(cast, village, agency),
        at=timezone.now(),
        kind="camera.down",
        from_state="up",
        to_state="down",
    )


def camera_rollup(cast, village, agency):
    from balai.cctv.models import CameraRollup

    return CameraRollup.objects.create(
        camera=camera(cast, village, agency), period="hour", start=timezone.now()
    )


def maintenance_window(cast, village, agency):
    from balai.cctv.models import MaintenanceWindow

    now = timezone.now()
    return MaintenanceWindow.objects.create(
        village=village,
        camera=camera(cast, village, agency),
        reason="Uji",
        starts_at=now,
        ends_at=now + dt.timedelta(hours=1),
    )


def catalogue_entry(cast, village, agency):
    from balai.hub.models import Service

    n = next(_serial)
    return Service.objects.create(slug=f"layanan-{n}", name="Uji", description="Uji", agency=agency)


def only_this_regency(make):
    """For tables that never hold another regency's rows (the registry: imports and
    registrations refuse them), so their scope need not exclude them."""

    def make_here(cast, village, agency):
        return None if village == cast.foreign_village else make(cast, village, agency)

    return make_here


# ---- the table -------------------------------------------------------------------

RESIDENT_READERS = area(*VILLAGE_ROLES, Role.DISTRICT_STAFF, Role.REGENCY_ADMIN)
LETTER_READERS = area(*VILLAGE_ROLES, Role.DISTRICT_STAFF, Role.REGENCY_ADMIN)
VILLAGE_STAFF = area(*VILLAGE_ROLES)
# Cameras: every area role over its area, and agency staff over their agency's own.
CAMERA_READERS = {**area(*EVERY_AREA), Role.AGENCY_STAFF: AGENCY}

READS = {
    # model label: (a row of it, {role: how far it reads}); roles left out read nothing
    "accounts.AuditLog": (audit_row, {**area(*EVERY_AREA), Role.AGENCY_STAFF: AGENCY}),
    "residents.Family": (only_this_regency(family), RESIDENT_READERS),
    "residents.Resident": (only_this_regency(resident), RESIDENT_READERS),
    "residents.RegistryEvent": (registry_event, RESIDENT_READERS),
    "residents.ResidentImport": (
        row_of("residents.ResidentImport", file_name="a.csv"),
        VILLAGE_STAFF,
    ),
    "letters.LetterRequest": (letter_request, LETTER_READERS),
    "letters.Letter": (letter, LETTER_READERS),
    "letters.VillageLetterSettings": (
        row_of("letters.VillageLetterSettings"),
        area(*VILLAGE_ROLES, Role.REGENCY_ADMIN),
    ),
    "letters.VillageLetterType": (village_letter_type, area(*VILLAGE_ROLES, Role.REGENCY_ADMIN)),
    "letters.ResidentPin": (resident_pin, VILLAGE_STAFF),
    "notifications.Notification": (notification, area(Role.REGENCY_ADMIN)),
    # Integration is the regency's: its admin reads every client's, in the regency.
    "webhooks.Subscription": (only_this_regency(webhook_subscription), area(Role.REGENCY_ADMIN)),
    "webhooks.Delivery": (only_this_regency(webhook_delivery), area(Role.REGENCY_ADMIN)),
    "notifications.Event": (
        row_of("notifications.Event", kind="service.down", data={}),
        area(Role.REGENCY_ADMIN),
    ),
    "complaints.Complaint": (complaint, {**area(*EVERY_AREA), Role.AGENCY_STAFF: AGENCY}),
    "portal.VillageProfile": (row_of("portal.VillageProfile"), VILLAGE_STAFF),
    "portal.Announcement": (row_of("portal.Announcement", title="Uji", body="Uji"), VILLAGE_STAFF),
    "portal.VillageHost": (village_host, area(Role.REGENCY_ADMIN)),
    "cctv.Site": (row_of("cctv.Site", name="Router balai desa"), area(*EVERY_AREA)),
    "cctv.Camera": (camera, CAMERA_READERS),
    "cctv.CameraEvent": (camera_event, CAMERA_READERS),
    "cctv.CameraRollup": (camera_rollup, CAMERA_READERS),
    "cctv.MaintenanceWindow": (maintenance_window, CAMERA_READERS),
    # Catalogue entries belong to an agency, not a village: agency staff edit
    # their agency's, the regency admin every one (agencies are the regency's own).
    "hub.Service": (
        only_this_regency(catalogue_entry),
        {Role.REGENCY_ADMIN: REGENCY, Role.AGENCY_STAFF: AGENCY},
    ),
    "portal.EmbedOrigin": (
        row_of("portal.EmbedOrigin", origin="https://desa.example.id"),
        VILLAGE_STAFF,
    ),
}

# One member of the cast per role, each working at "home"; and three who are nobody.
CAST = {
    Role.VILLAGE_OPERATOR: "operator_a",
    Role.VILLAGE_SECRETARY: "secretary_a",
    Role.VILLAGE_HEAD: "head_a",
    Role.DISTRICT_STAFF: "district_a",
    Role.AGENCY_STAFF: "agency_officer",
    Role.REGENCY_ADMIN: "admin",
    Role.COMMAND_CENTER: "command_center",
    "no role": "outsider",
    "disabled": "operator_a",
    "signed out": None,
}


def member(cast, who):
    if who == "signed out":
        return AnonymousUser()
    user = getattr(cast, CAST[who])
    if who == "disabled":
        user.is_active = False
    return user


@pytest.mark.parametrize(
    ("label", "who"),
    [(label, who) for label in READS for who in CAST],
    ids=[f"{label}-{who}" for label in READS for who in CAST],
)
def test_for_user_returns_exactly_what_the_role_may_read(cast, label, who):
    make, readers = READS[label]
    made = {
        place: make(cast, getattr(cast, village), getattr(cast, agency))
        for place, (village, agency) in PLACES.items()
    }
    rows = {place: row for place, row in made.items() if row is not None}
    model = apps.get_model(label)
    seen = set(
        model.objects.for_user(member(cast, who))
        .filter(pk__in=[row.pk for row in rows.values()])
        .values_list("pk", flat=True)
    )
    reach = readers.get(who)
    expected = REACHES[reach] & rows.keys() if reach else set()
    assert {place for place, row in rows.items() if row.pk in seen} == expected


def test_every_model_with_for_user_is_in_the_table():
    scoped = {
        model._meta.label
        for model in apps.get_models()
        if hasattr(model._default_manager, "for_user")
    }
    assert scoped - set(READS) == set(), "add these models to READS (see the docstring)"
    assert set(READS) - scoped == set()


def test_the_table_names_only_roles_that_exist():
    for label, (_make, readers) in READS.items():
        assert set(readers) <= set(Role.values), label
        assert set(readers.values()) <= set(REACHES), label


def test_a_queryset_that_names_no_readers_fails_loudly(cast):
    from django.core.exceptions import ImproperlyConfigured

    from balai.accounts.access import VillageScopedQuerySet
    from balai.portal.models import Announcement

    class Forgetful(VillageScopedQuerySet):
        pass

    with pytest.raises(ImproperlyConfigured, match="must name its readers"):
        Forgetful(model=Announcement).for_user(cast.operator_a)
