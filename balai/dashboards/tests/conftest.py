"""A month of letters and complaints in the cast's villages, and the month before."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from balai.complaints.tests.conftest import _fresh_lookups, cats, file_report  # noqa: F401
from balai.letters.tests.conftest import data_dir  # noqa: F401
from balai.letters.tests.world import _own_cache, world  # noqa: F401

MARCH = "periode=bulan&tanggal=2026-03-10"
DAY = timezone.make_aware(dt.datetime(2026, 3, 5, 9))
FEBRUARY_DAY = timezone.make_aware(dt.datetime(2026, 2, 10, 9))


def make_request(w, village, resident, status, submitted, letter_after_h=None, letter_type=None):
    from balai.letters.models import Letter, LetterRequest

    req = LetterRequest.objects.create(
        village=village,
        letter_type=letter_type or w.domisili,
        resident=resident,
        purpose="uji",
        status=status,
        submitted_at=submitted,
        due_at=submitted + dt.timedelta(days=3),
    )
    if letter_after_h is not None:
        n = Letter.objects.count() + 1
        Letter.objects.create(
            request=req,
            village=village,
            letter_type=req.letter_type,
            number=f"470/{n}",
            year=submitted.year,
            sequence=n,
            sha256="0" * 64,
            issued_at=submitted + dt.timedelta(hours=letter_after_h),
            signed_by=w.head_a,
            signer_name="Kades",
            signer_position="Kepala Desa",
            resident_name=resident.name,
        )
    return req


def make_report(file_report, status, created, **kwargs):  # noqa: F811
    from balai.complaints.models import Complaint

    complaint, _code = file_report(**kwargs)
    Complaint.objects.filter(pk=complaint.pk).update(
        status=status,
        created_at=created,
        dispatched_at=created,
        first_response_at=created + dt.timedelta(hours=5),
        resolved_at=created + dt.timedelta(days=2) if status == "resolved" else None,
        resolution_due=created + dt.timedelta(days=10),
        next_due=created + dt.timedelta(days=10),
    )
    return complaint


@pytest.fixture
def month(world, cats, file_report):  # noqa: F811
    w = world
    for i in range(6):
        make_request(w, w.village_a, w.siti, "ready", DAY + dt.timedelta(hours=i), 20 + i)
    make_request(w, w.village_a, w.siti, "submitted", DAY)
    make_request(w, w.village_a, w.siti, "rejected", DAY, letter_type=w.usaha)
    make_request(w, w.village_b, w.budi, "submitted", DAY)
    make_request(w, w.village_b, w.budi, "collected", DAY, 30)
    for _ in range(3):
        make_request(w, w.village_a, w.siti, "collected", FEBRUARY_DAY, 40)
    for i in range(6):
        make_report(file_report, "resolved" if i < 3 else "in_progress", DAY)
    make_report(file_report, "received", DAY, category=cats.bribery)
    make_report(file_report, "received", DAY, village=w.village_b, category=cats.garbage)
    make_report(file_report, "received", FEBRUARY_DAY)
    return SimpleNamespace(w=w, cats=cats)
