import random

import pytest

from balai.agencies.models import Agency
from balai.regions.models import Village
from balai.residents.models import PopulationCount


def village_counts(rnd: random.Random, village) -> list[PopulationCount]:
    """Living residents of one small village: small counts are common."""
    tallies: dict[tuple[str, str], int] = {}
    for _ in range(rnd.randint(20, 80)):
        sex = 1 if rnd.random() < 0.5 else 2
        for key in (("sex", str(sex)), ("birth_year", f"{2026 - rnd.randint(0, 90)}-{sex}")):
            tallies[key] = tallies.get(key, 0) + 1
        religion = str(rnd.choices([1, 2, 3], weights=[90, 6, 4])[0])
        tallies[("religion", religion)] = tallies.get(("religion", religion), 0) + 1
    return [
        PopulationCount(village=village, dimension=d, key=k, count=n)
        for (d, k), n in tallies.items()
    ]


@pytest.fixture
def open_data(cast):
    """Population in six villages, two complaints, the publishing agencies."""
    from django.core.cache import cache

    from balai.complaints.actions import submit_complaint
    from balai.complaints.models import Category

    cache.clear()
    rnd = random.Random(7)
    villages = [cast.village_a, cast.village_b]
    for n in range(3, 7):
        village, _ = Village.objects.get_or_create(
            code=f"35.08.0{n % 2 + 1}.20{n:02d}",
            defaults={"district_id": f"35.08.0{n % 2 + 1}", "name": f"Desa {n}", "is_active": True},
        )
        villages.append(village)
    for village in villages:
        PopulationCount.objects.bulk_create(village_counts(rnd, village))
    Agency.objects.create(
        slug="dispendukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Dispendukcapil",
    )
    road = Category.objects.create(code="jalan-rusak", name="Jalan rusak", agency=cast.agency)
    for text in ("Jalan berlubang.", "Jembatan retak."):
        submit_complaint(
            category=road, village=cast.village_a, description=text, reporter_name="Siti"
        )
    _services(cast)
    return villages


def _services(cast):
    """A probed service that was up two days then down one, and one not probed."""
    import datetime as dt

    from django.utils import timezone

    from balai.hub.models import HealthChange, Service

    now = timezone.now()
    probed = Service.objects.create(
        slug="sipadu",
        name="SIPADU",
        description="Aplikasi layanan",
        agency=cast.agency,
        health_url="http://127.0.0.1:9/health",
        health="down",
        health_since=now - dt.timedelta(days=1),
    )
    HealthChange.objects.create(service=probed, at=now - dt.timedelta(days=3), health="up")
    HealthChange.objects.create(service=probed, at=now - dt.timedelta(days=1), health="down")
    Service.objects.create(slug="loket", name="Loket", description="Di kantor", agency=cast.agency)


@pytest.fixture
def site(live_server, settings, open_data):
    """The live server as the site: every URL Balai publishes points at it."""
    settings.SITE_URL = live_server.url
    return live_server.url
