"""The choropleth from the loaded boundaries: villages filled by a measure of the
league table, districts outlined, a legend, links to the villages' dashboards."""

import re

import pytest

from balai.dashboards.tests.conftest import MARCH
from balai.regions.tests.test_boundaries import loaded, lumajang  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(month, loaded):  # noqa: F811
    from balai.regions.models import Village

    Village.objects.filter(code__in=[month.w.village_a.code, month.w.village_b.code]).update(
        is_active=True
    )
    return month


def test_regency_map_colours_villages_by_the_chosen_measure(mapped, client, login_as):
    login_as(mapped.w.admin)
    body = client.get(f"/dasbor/35.08/?{MARCH}&peta=surat").content.decode()
    svg = body[body.index('<figure class="region-map">') :]
    svg = svg[: svg.index("</figure>")]
    assert svg.count("<path") > 200  # 205 villages and 21 district outlines
    link = f'<a href="/dasbor/{mapped.w.village_a.code}/?periode=bulan'
    assert link in svg and 'class="q' in svg
    assert 'class="map-legend"' in svg
    # The text table behind the map says what the colours say.
    table = re.search(r"<details>.*?</details>", body, re.S).group(0)
    assert "Tempursari" in table and ">8<" in table


def test_district_staff_map_links_only_their_villages(mapped, client, login_as):
    login_as(mapped.w.district_a)
    body = client.get(f"/dasbor/35.08.01/?{MARCH}&peta=aduan-lewat").content.decode()
    assert '<figure class="region-map">' in body
    assert f'href="/dasbor/{mapped.w.village_a.code}/' in body
    assert "/dasbor/35.08.02." not in body


def test_public_map_shows_no_hidden_count(mapped, client):
    body = client.get(f"/angka/35.08/?{MARCH}&peta=surat").content.decode()
    svg = body[body.index('<figure class="region-map">') :]
    svg = svg[: svg.index("</figure>")]
    labels = re.findall(r"<title>[^<:]+: (\d+)</title>", svg)
    assert all(int(n) == 0 or int(n) >= 5 for n in labels), labels
    assert f'href="/angka/{mapped.w.village_a.code}/' in svg
