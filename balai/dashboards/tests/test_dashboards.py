"""Dashboards: who sees which area, numbers that are the counts of their lists,
periods beside the previous one, exports read back, and the public version."""

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from balai.dashboards import page, periods, public
from balai.dashboards.areas import find
from balai.dashboards.scope import Scope
from balai.dashboards.tests.conftest import MARCH

pytestmark = pytest.mark.django_db

REGENCY, DISTRICT_A, VILLAGE_A = "35.08", "35.08.01", "35.08.01.2001"
DISTRICT_B, VILLAGE_B, FOREIGN = "35.08.02", "35.08.02.2001", "35.09.01.2001"
LIST_LINK = re.compile(r'<a href="(/dasbor/[^"]+/rincian/[^"]+)">([\d.,]+)</a>')


def _get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


REACH = {
    "admin": {REGENCY, DISTRICT_A, DISTRICT_B, VILLAGE_A, VILLAGE_B},
    "command_center": {REGENCY, DISTRICT_A, DISTRICT_B, VILLAGE_A, VILLAGE_B},
    "district_a": {DISTRICT_A, VILLAGE_A},
    "operator_a": {VILLAGE_A},
    "secretary_a": {VILLAGE_A},
    "head_a": {VILLAGE_A},
    "head_b": {VILLAGE_B},
}


@pytest.mark.parametrize("who", sorted(REACH))
def test_each_role_reaches_its_area_and_nothing_else(month, client, login_as, who):
    login_as(getattr(month.w, who))
    for code in (REGENCY, DISTRICT_A, DISTRICT_B, VILLAGE_A, VILLAGE_B, FOREIGN):
        status = 200 if code in REACH[who] else 404
        _get(client, f"/dasbor/{code}/?{MARCH}", status)
        _get(client, f"/dasbor/{code}/ekspor/aduan-kategori.csv?{MARCH}", status)
        _get(client, f"/dasbor/{code}/rincian/aduan/received/?{MARCH}", status)


@pytest.mark.parametrize("who", ["agency_officer", "outsider"])
def test_roles_without_an_area_are_refused(month, client, login_as, who):
    login_as(getattr(month.w, who))
    _get(client, f"/dasbor/{VILLAGE_A}/", 403)
    _get(client, f"/dasbor/{VILLAGE_A}/rincian/aduan/received/", 403)


def test_signed_out_staff_pages_ask_for_a_login(month, client):
    assert _get(client, f"/dasbor/{VILLAGE_A}/", 302)["Location"].startswith("/akun/masuk/")


def _number(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


def _rows_of(client, url) -> int:
    total, seen = 0, set()
    while url and url not in seen:
        seen.add(url)
        body = _get(client, url).content.decode()
        total += body.count("<tr data-row>")
        nxt = re.search(r'<a href="(\?[^"]*hal=\d+)">Berikutnya', body)
        url = url.split("?")[0] + nxt.group(1).replace("&amp;", "&") if nxt else None
    return total


@pytest.mark.parametrize(
    "who, code",
    [
        ("admin", REGENCY),
        ("district_a", DISTRICT_A),
        ("operator_a", VILLAGE_A),
        ("command_center", REGENCY),
    ],
)
def test_every_number_is_the_count_of_the_list_it_links_to(month, client, login_as, who, code):
    login_as(getattr(month.w, who))
    body = _get(client, f"/dasbor/{code}/?{MARCH}").content.decode()
    links = LIST_LINK.findall(body)
    assert sum(_number(n) for _u, n in links) > 0
    for url, shown in links:
        assert _rows_of(client, url.replace("&amp;", "&")) == _number(shown), url
    lists_letters = "/rincian/surat/" in body
    assert lists_letters == (who != "command_center")  # the command center reads no requests


def _figure(body: str, label: str) -> tuple[str, str]:
    row = re.search(rf"<th scope=\"row\">{label}</th><td>(.*?)</td><td>(.*?)</td>", body)
    assert row, label
    current, previous = (re.sub(r"<[^>]+>", "", cell).split(" ")[0] for cell in row.groups())
    return current, previous


def test_figures_stand_beside_the_previous_period(month, client, login_as):
    login_as(month.w.admin)
    body = _get(client, f"/dasbor/{VILLAGE_A}/?{MARCH}").content.decode()
    assert _figure(body, "Permohonan surat") == ("8", "3")
    assert _figure(body, "Surat terbit") == ("6", "3")
    # The command center and the regency admin count the sensitive report; village staff not.
    assert _figure(body, "Aduan masuk") == ("7", "1")
    login_as(month.w.operator_a)
    body = _get(client, f"/dasbor/{VILLAGE_A}/?{MARCH}").content.decode()
    assert _figure(body, "Aduan masuk") == ("6", "1")


@pytest.mark.parametrize(
    "query, first, last, previous",
    [
        (
            {"periode": "minggu", "tanggal": "2026-03-05"},
            "2026-03-02",
            "2026-03-08",
            ("2026-02-23", "2026-03-01"),
        ),
        (
            {"periode": "bulan", "tanggal": "2026-03-31"},
            "2026-03-01",
            "2026-03-31",
            ("2026-02-01", "2026-02-28"),
        ),
        (
            {"periode": "kuartal", "tanggal": "2026-05-20"},
            "2026-04-01",
            "2026-06-30",
            ("2026-01-01", "2026-03-31"),
        ),
        (
            {"periode": "tahun", "tanggal": "2026-05-20"},
            "2026-01-01",
            "2026-12-31",
            ("2025-01-01", "2025-12-31"),
        ),
        (
            {"periode": "rentang", "dari": "2026-03-10", "sampai": "2026-03-19"},
            "2026-03-10",
            "2026-03-19",
            ("2026-02-28", "2026-03-09"),
        ),
        (
            {"periode": "rentang", "dari": "2026-03-10", "sampai": "2020-01-01"},
            "2026-03-01",
            "2026-03-31",
            ("2026-02-01", "2026-02-28"),
        ),
        (
            {"periode": "abad", "tanggal": "x"},
            "2026-03-01",
            "2026-03-31",
            ("2026-02-01", "2026-02-28"),
        ),
    ],
)
def test_periods_and_the_one_before(query, first, last, previous):
    found = periods.from_query(query, today=dt.date(2026, 3, 15))
    assert (str(found.first), str(found.last)) == (first, last)
    before = found.previous()
    assert (str(before.first), str(before.last)) == previous


def _norm(value) -> str:
    """A cell as text, numbers as numbers (CSV has text, xlsx floats)."""
    if value is None or value == "":
        return ""
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return str(value)


@pytest.mark.parametrize("slug", ["surat-jenis", "aduan-unit", "liga-desa", "surat-antrean"])
def test_exports_read_back_as_the_table_shown(month, client, login_as, slug):
    login_as(month.w.admin)
    scope = Scope(find(REGENCY), month.w.admin, timezone.now())
    table = page.table(
        page.build(scope, periods.from_query({"periode": "bulan", "tanggal": "2026-03-10"})), slug
    )
    expected = [[_norm(v) for v in row] for row in table.values()]
    text = _get(client, f"/dasbor/{REGENCY}/ekspor/{slug}.csv?{MARCH}").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [str(h) for h in table.headers]
    assert [[_norm(v) for v in row] for row in rows[1:]] == expected
    xlsx = _get(client, f"/dasbor/{REGENCY}/ekspor/{slug}.xlsx?{MARCH}").content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python()
    assert [str(h) for h in sheet[0]] == rows[0]
    assert [[_norm(v) for v in row] for row in sheet[1:]] == expected
    _get(client, f"/dasbor/{REGENCY}/ekspor/{slug}.pdf?{MARCH}", 404)
    _get(client, f"/dasbor/{REGENCY}/ekspor/tidak-ada.csv?{MARCH}", 404)


def test_public_version_hides_small_counts_and_what_would_reveal_them(month, client):
    period = periods.from_query({"periode": "bulan", "tanggal": "2026-03-10"})
    for code in (REGENCY, DISTRICT_A, DISTRICT_B, VILLAGE_A, VILLAGE_B):
        built = page.build(Scope(find(code, public=True), None, timezone.now()), period)
        for cell in page.cells(built):
            assert (
                not cell.link or not cell.link.startswith("/dasbor/") or "rincian" not in cell.link
            )
            if cell.kind == "count" and cell.key is not None and cell.value is not None:
                assert cell.value == 0 or cell.value >= public.SMALL, (code, cell)
    values, hidden = public.published(period)
    assert hidden, "the cast's small villages must hide something"
    counts = public.Counts()
    counts.values.update(values)
    for s in counts.sums():
        unknown = [c for c in s.cells() if c in hidden]
        assert len(unknown) != 1, s  # one hidden term of a published sum could be subtracted
    # Village B's 2 requests are hidden, and so is one more term of each sum holding them.
    body = _get(client, f"/angka/{VILLAGE_B}/?{MARCH}").content.decode()
    assert "disembunyikan" in body and "/rincian/" not in body
    body = _get(client, f"/angka/{REGENCY}/?{MARCH}").content.decode()
    assert "/rincian/" not in body and f"/angka/{VILLAGE_A}/" in body


def test_public_sums_are_the_ones_a_reader_sees_and_figures_equal_the_staffs(month, client):
    """Each published table adds up to its total on its own (letter types, days,
    categories, units): those are the sums the suppression must protect. And a
    public count that is shown is the staff's count."""
    period = periods.from_query({"periode": "bulan", "tanggal": "2026-03-10"})
    staff = page.build(Scope(find(REGENCY), month.w.admin, timezone.now()), period)
    shown = page.build(Scope(find(REGENCY, public=True), None, timezone.now()), period)
    values, _hidden = public.published(period)
    counts = public.Counts()
    counts.values.update(values)
    for s in counts.sums():
        assert sum(values.get(p, 0) for p in s.parts) == values.get(s.total, 0), s
    staff_letters, public_letters = (built["sections"][0]["figures"] for built in (staff, shown))
    compared = 0
    for mine, theirs in zip(staff_letters, public_letters, strict=True):
        if theirs.current.kind == "count" and theirs.current.value is not None:
            assert theirs.current.value == mine.current.value, theirs
            compared += 1
    assert compared  # the regency's 10 requests of March are shown


def test_public_pages_and_exports_need_no_login_and_only_onboarded_villages(month, client):
    _get(client, f"/angka/{REGENCY}/ekspor/surat-jenis.csv?{MARCH}")
    _get(client, f"/angka/{month.w.inactive_village.code}/", 404)
    _get(client, f"/angka/{FOREIGN}/", 404)
    village_page = _get(client, f"/desa/{VILLAGE_A}/").content.decode()
    assert f"/angka/{VILLAGE_A}/" in village_page


def test_regency_dashboards_show_the_catalogues_services_down_first(month, client, login_as):
    from balai.hub.models import Service

    Service.objects.all().delete()
    Service.objects.create(
        slug="sim", name="Sistem Izin", description="x", health_url="https://izin.example/"
    )
    Service.objects.create(
        slug="pbb",
        name="Cek PBB",
        description="x",
        health_url="https://pbb.example/",
        health="down",
        health_since=timezone.now(),
    )
    login_as(month.w.admin)
    body = _get(client, f"/dasbor/{REGENCY}/?{MARCH}").content.decode()
    assert body.index("Cek PBB") < body.index("Sistem Izin")
    assert "Sedang gangguan" in body
    assert "Cek PBB" in _get(client, f"/angka/{REGENCY}/?{MARCH}").content.decode()
    assert "Cek PBB" not in _get(client, f"/dasbor/{VILLAGE_A}/?{MARCH}").content.decode()


@pytest.mark.parametrize(
    "who, code", [("admin", REGENCY), ("district_a", DISTRICT_A), ("operator_a", VILLAGE_A)]
)
def test_the_staff_entry_opens_the_users_own_area(month, client, login_as, who, code):
    login_as(getattr(month.w, who))
    assert _get(client, "/dasbor/", 302)["Location"] == f"/dasbor/{code}/"
