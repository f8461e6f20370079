"""The main public pages pass axe-core (WCAG 2.1 A/AA and best practices) on a phone."""

import pytest

from balai.core.tests.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_the_main_public_pages_pass_axe(cast, page, watched):
    code = cast.village_a.code
    for path in (
        "/",
        f"/desa/{code}/",
        "/aduan/",
        "/aduan/lapor/",
        "/aduan/peta/",
        "/aduan/lacak/",
        "/surat/",
        f"/surat/ajukan/{code}/",
        "/surat/lacak/",
    ):
        watched(path)
        assert_no_axe_violations(page)
