"""axe-core finds no violation on any page, for the public and for every staff role.

The Lumajang demo is seeded (regions of the regency, its boundaries, every
domain's demo data); then, for a visitor and for each demo account, a crawler
(crawl.py) follows every link from the home page and the staff home, one URL
per route, on a 360 px phone, and runs axe-core (WCAG 2.1 A/AA and best
practices) on each page. Pages reached only by a form (a tracking result, the
embed code) are seeded.
"""

import io
import re

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.accounts.models import User
from balai.core.demo import DEMO_PASSWORD
from balai.core.tests.axe import axe_violations, describe
from balai.core.tests.browser import log_in
from balai.core.tests.crawl import crawl
from balai.letters import catalogue
from balai.letters.models import LetterType
from balai.regions.boundaries import bundled_files
from balai.regions.codes import DATA_DIR
from balai.regions.loading import load_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["operator", "sekdes", "kades", "kecamatan", "opd", "commandcenter", "admin"]


@pytest.fixture
def demo(tmp_path, settings):
    settings.BALAI_DATA_DIR = tmp_path
    for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
        lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        prefix = "35.08" if name in ("districts.csv", "villages.csv") else "35"
        kept = [lines[0]] + [line for line in lines[1:] if line.startswith(prefix)]
        (tmp_path / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    load_regions(tmp_path)
    # The letter types come with a migration: an earlier transactional test flushed them.
    catalogue.load(LetterType)
    call_command("load_boundaries", *bundled_files(), stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    admin = User.objects.get(username="admin")
    TOTPDevice.objects.create(user=admin, name="demo", confirmed=True)
    for user in User.objects.filter(username__in=ROLES):
        user.set_password(DEMO_PASSWORD)
        user.save()
    return out.getvalue()


def test_no_page_has_an_axe_violation(demo, page, live_server):
    letter_code = re.search(r"tracking code of a ready letter: (\S+)", demo)[1]
    village = re.search(r"/desa/(35\.08\.\d\d\.\d{4})/", page_source_of_home(page))
    seeds = [
        "/",
        "/aduan/lacak/",
        "/surat/lacak/",
        f"/surat/lacak/{letter_code.replace('-', '')}/",
        f"/desa/{village[1]}/sematan/" if village else "/",
    ]
    failures: dict[str, str] = {}
    routes: set[str] = set()

    def check(tab, path):
        violations = axe_violations(tab)
        if violations:
            failures[path] = describe(violations)

    routes |= set(crawl(page, live_server.url, seeds, check))
    context = page.context
    for username in ROLES:
        context.clear_cookies()
        log_in(page, User.objects.get(username=username), DEMO_PASSWORD)
        routes |= set(crawl(page, live_server.url, ["/staf/", "/"], check))

    report = "\n".join(f"{path}\n  {text}" for path, text in failures.items())
    assert not failures, f"axe-core violations on {len(failures)} pages:\n{report}"
    assert len(routes) >= 57, sorted(routes)


def page_source_of_home(page) -> str:
    page.goto("/")
    return page.content()
