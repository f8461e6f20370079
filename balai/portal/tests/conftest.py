import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from balai.portal.models import Announcement, VillageProfile


@pytest.fixture(autouse=True)
def _fresh_caches(db):
    """Rendered pages and the host map must not leak from one test to the next."""
    from balai.portal import hosts

    cache.clear()
    hosts.forget()
    yield
    hosts.forget()


@pytest.fixture
def profile_a(cast):
    return VillageProfile.objects.create(
        village=cast.village_a,
        head_name="Sutrisno",
        address="Jl. Raya Tempursari No. 1",
        office_hours="Senin-Jumat 08.00-15.00",
        phone="(0334) 123456",
        whatsapp="0812 3456 7890",
        email="pemdes@tempursari.desa.id",
        latitude="-8.312500",
        longitude="113.012300",
        about="Desa pesisir selatan Lumajang. Info: https://tempursari.desa.id",
    )


@pytest.fixture
def announcement_a(cast):
    return Announcement.objects.create(
        village=cast.village_a,
        title="Posyandu balita bulan ini",
        body="Posyandu di balai desa.\nBawa buku KIA.",
    )


@pytest.fixture
def photo():
    def make(name="foto.jpg", fmt="JPEG"):
        out = io.BytesIO()
        Image.new("RGB", (40, 30), (200, 30, 30)).save(out, fmt)
        return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")

    return make


@pytest.fixture
def letters_world(cast):
    """Village A offers two letter types; one request is pending, two letters were issued."""
    import datetime as dt

    from django.utils import timezone

    from balai.letters import actions as letter_actions
    from balai.letters.models import Letter, LetterRequest, LetterType
    from balai.letters.tests.world import make_resident

    letter_actions.enable_types(cast.village_a, ["domisili", "usaha"])
    resident = make_resident(cast.village_a, "3508014207610001", "3508010101090001")
    domisili = LetterType.objects.get(code="domisili")
    now = timezone.now()
    cast.pending = LetterRequest.objects.create(
        village=cast.village_a, letter_type=domisili, resident=resident, purpose="Melamar kerja"
    )
    for n, hours in enumerate([20, 52]):
        submitted = now - dt.timedelta(hours=hours + 1)
        request = LetterRequest.objects.create(
            village=cast.village_a,
            letter_type=domisili,
            resident=resident,
            purpose="Bank",
            status="ready",
            submitted_at=submitted,
        )
        Letter.objects.create(
            request=request,
            village=cast.village_a,
            letter_type=domisili,
            number=f"470/{n + 1:03d}/35.08.01.2001/2026",
            year=now.year,
            sequence=n + 1,
            pdf="letters/x.pdf",
            sha256="0" * 64,
            issued_at=submitted + dt.timedelta(hours=hours),
            signed_by=cast.head_a,
            signer_name="Kades",
            signer_position="Kepala Desa Tempursari",
            resident_name="Siti Wahyuni",
        )
    return cast


@pytest.fixture
def complaint_category(db):
    from balai.complaints.models import Category

    return Category.objects.create(code="jalan-rusak", name="Jalan rusak", handled_by_village=True)
