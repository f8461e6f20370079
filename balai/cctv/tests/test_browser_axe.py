"""Every CCTV page passes axe-core on a 360 px phone, for each kind of viewer."""

import pytest

from balai.cctv.models import Camera
from balai.core.tests.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser


def staff_pages(cams) -> list[str]:
    return [
        "/cctv/",
        "/cctv/kamera/",
        f"/cctv/kamera/{cams.gate.public_id}/",
        "/cctv/pemeliharaan/",
        "/cctv/impor/",
        "/cctv/kamera/baru/",
    ]


@pytest.fixture
def placed(cams):
    Camera.objects.filter(pk__in=[cams.gate.pk, cams.other.pk]).update(
        latitude=-8.13, longitude=113.22
    )
    Camera.objects.filter(pk=cams.market.pk).update(state="down")
    return cams


@pytest.mark.parametrize("who", ["command_center", "operator_a"])
def test_staff_pages_pass_axe(cast, placed, page, watched, browser_login, who):
    browser_login(page, getattr(cast, who))
    checked = []
    for path in staff_pages(placed):
        response = page.goto(path)
        if response.status == 403:  # a page this role may not open
            continue
        watched(path)
        assert_no_axe_violations(page)
        checked.append(path)
    assert len(checked) >= 4, checked  # board, list, camera page and maintenance at least


def test_the_public_village_page_passes_axe(cast, placed, page, watched):
    watched(f"/cctv/desa/{cast.village_a.pk}/")
    assert_no_axe_violations(page)
