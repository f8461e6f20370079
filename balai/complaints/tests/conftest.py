import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture
def cats(cast):
    from balai.complaints.models import Category

    return SimpleNamespace(
        road=Category.objects.create(
            code="jalan-rusak", name="Jalan rusak", agency=cast.agency, resolution_days=10
        ),
        garbage=Category.objects.create(
            code="sampah", name="Sampah menumpuk", agency=cast.other_agency, resolution_days=3
        ),
        village_road=Category.objects.create(
            code="jalan-desa", name="Jalan desa", handled_by_village=True, resolution_days=10
        ),
        bribery=Category.objects.create(
            code="pungli", name="Pungutan liar", sensitive=True, resolution_days=10
        ),
        other=Category.objects.create(code="lainnya", name="Lainnya", resolution_days=10),
    )


@pytest.fixture
def file_report(cast, cats):
    """File a report (defaults: a road in village A, public, with an email)."""
    from balai.complaints.actions import submit_complaint

    def make(**kwargs):
        fields = {
            "category": cats.road,
            "village": cast.village_a,
            "description": "Jalan berlubang besar di depan SDN 1.",
            "reporter_name": "Siti Aminah",
            "reporter_email": "siti@example.com",
            "latitude": -8.25,
            "longitude": 113.0,
            **kwargs,
        }
        return submit_complaint(**fields)

    return make


def jpeg_bytes(size=(64, 48), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "S", 2: (8.0, 15.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
        kwargs["exif"] = exif
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def jpeg_upload(name="foto.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _fresh_lookups():
    from balai.complaints import lookups

    lookups.clear()
    yield
    lookups.clear()
