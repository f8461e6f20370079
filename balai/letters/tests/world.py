"""Fixtures for the letter workflow: residents, enabled types, a ready-to-sign request."""

import datetime as dt
import io
import uuid

import pytest
from PIL import Image

from balai.letters import actions, catalogue
from balai.letters.models import LetterType, VillageLetterSettings
from balai.residents.models import Family, Resident

BIRTH = dt.date(1961, 7, 2)


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """A fresh local cache per test (the database cache has no table here)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }


def make_resident(village, nik, no_kk, name="Siti Wahyuni", birth=BIRTH, sex=2):
    family, _ = Family.objects.get_or_create(
        no_kk=no_kk,
        defaults={
            "village": village,
            "address": "Jl. Kenanga 12",
            "rt": "002",
            "rw": "005",
            "dusun": "Krajan",
        },
    )
    return Resident.objects.create(
        nik=nik,
        village=village,
        family=family,
        name=name,
        sex=sex,
        birth_place="Lumajang",
        birth_date=birth,
        religion=1,
        occupation=9,
        marital_status=2,
    )


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def world(cast, data_dir):
    """Village A serves every catalogue type; Siti lives there, Budi in village B."""
    w = cast
    w.siti = make_resident(w.village_a, "3508014207610001", "3508010101090001")
    w.budi = make_resident(
        w.village_b,
        "3508021005800002",
        "3508020101090002",
        name="Budi Santoso",
        birth=dt.date(1980, 5, 10),
        sex=1,
    )
    catalogue.load(LetterType)  # transactional tests flush the migration's rows
    codes = list(LetterType.objects.values_list("code", flat=True))
    actions.enable_types(w.village_a, codes)
    actions.enable_types(w.village_b, codes)
    VillageLetterSettings.objects.create(village=w.village_a, address="Jl. Raya Tempursari 1")
    w.domisili = LetterType.objects.get(code="domisili")
    w.usaha = LetterType.objects.get(code="usaha")
    return w


def submit(world, resident=None, letter_type=None, **overrides):
    resident = resident or world.siti
    letter_type = letter_type or world.domisili
    req, _ = actions.submit_request(
        village=resident.village,
        letter_type=letter_type,
        resident=resident,
        purpose=overrides.pop("purpose", "melamar pekerjaan"),
        values=overrides.pop("values", {}),
        phone=overrides.pop("phone", "6281234567890"),
        email=overrides.pop("email", ""),
        idempotency_key=overrides.pop("idempotency_key", None),
    )
    return req


@pytest.fixture
def awaiting_signature(world):
    """A verified request of Siti's, waiting for the head of village A."""
    req = submit(world)
    return actions.verify_request(req, world.operator_a)
