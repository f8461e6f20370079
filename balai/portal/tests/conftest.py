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
