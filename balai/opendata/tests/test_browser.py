"""The open-data pages on a phone: axe-clean, no CSP violation, readable at 360 px."""

import pytest

from balai.core.tests.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_open_data_pages_pass_axe_on_a_phone(open_data, page, watched):
    for path in ("/data/", "/data/penduduk-menurut-wilayah-jenis-kelamin-umur/"):
        watched(path)
        assert_no_axe_violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360 + 1, f"{path} scrolls sideways ({width} px)"
