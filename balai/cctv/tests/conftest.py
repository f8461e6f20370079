from datetime import UTC, datetime
from types import SimpleNamespace

import pytest


@pytest.fixture
def cams(cast):
    """Cameras in village A (two on one site, one alone), B, and one of the agency."""
    from balai.cctv.models import Camera, Site

    site = Site.objects.create(village=cast.village_a, name="Balai desa")

    def camera(name, village, **kwargs):
        fields = {
            "purpose": "keamanan",
            "operator_contact": "Operator desa, 0812-0000-0000",
            "rtsp_url": f"rtsp://127.0.0.1:8554/{name.lower().replace(' ', '-')}",
            **kwargs,
        }
        return Camera.objects.create(name=name, village=village, **fields)

    return SimpleNamespace(
        site=site,
        gate=camera("Gerbang", cast.village_a, site=site, visibility="public"),
        market=camera("Pasar", cast.village_a, site=site),
        field=camera("Lapangan", cast.village_a),
        other=camera("Balai B", cast.village_b, visibility="public"),
        road=camera("Jalan raya", cast.village_a, owner_agency=cast.agency, purpose="lalu_lintas"),
    )


def result(camera, *problems, at=None, **kwargs):
    """A probe result as the engine returns it."""
    from balai.cctv.probing import Problem, Result

    return Result(
        key=str(camera.public_id),
        checked_at=at or datetime.now(UTC),
        problems=[Problem(p) for p in problems],
        **kwargs,
    )
