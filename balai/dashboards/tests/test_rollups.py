"""The rollups the dashboards read equal the rows they count: built from
scratch, and folded after the actions that change the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from balai.complaints import actions as complaint_actions
from balai.complaints import stats as complaint_stats
from balai.complaints.models import Complaint
from balai.dashboards import rollups
from balai.dashboards.models import CameraMonth, ComplaintRollup, LetterRollup
from balai.dashboards.periods import from_query
from balai.dashboards.tests.conftest import make_request
from balai.dashboards.tests.test_dashboards import LIST_LINK, _get, _number, _rows_of
from balai.letters import actions as letter_actions
from balai.letters import stats as letter_stats
from balai.letters.choices import RequestStatus
from balai.letters.models import LetterRequest

pytestmark = pytest.mark.django_db

REGIONS = ("35.08", "35.08.01", "35.08.02", "35.08.01.2001", "35.08.02.2001")
QUERIES = [
    {"periode": "minggu", "tanggal": "2026-03-05"},
    {"periode": "bulan", "tanggal": "2026-03-10"},
    {"periode": "kuartal", "tanggal": "2026-02-01"},
    {"periode": "tahun", "tanggal": "2026-02-01"},
    {"periode": "rentang", "dari": "2026-02-05", "sampai": "2026-04-20"},
    {},  # this month: where the actions below land
]


def _act(month, file_report):
    """Today's work: new requests returned, rejected and issued; reports filed,
    answered, resolved and rejected."""
    w, now = month.w, timezone.now()
    for status in ("submitted", "awaiting_check"):
        req = make_request(w, w.village_a, w.siti, status, now)
        letter_actions.send_back(req, w.operator_a, "Foto KK buram.", to=RequestStatus.RETURNED)
    req = make_request(w, w.village_b, w.budi, "submitted", now, letter_type=w.usaha)
    letter_actions.send_back(req, w.operator_b, "Bukan warga.", to=RequestStatus.REJECTED)
    make_request(w, w.village_a, w.siti, "ready", now - dt.timedelta(hours=30), 29)
    cast = w
    for i in range(4):
        complaint, _code = file_report()
        complaint_actions.verify_complaint(complaint, cast.command_center)
        complaint_actions.respond(complaint, cast.agency_officer, "Kami periksa.")
        if i % 2:
            complaint_actions.resolve_complaint(complaint, cast.agency_officer, "Sudah ditambal.")
    spam, _code = file_report(village=cast.village_b)
    complaint_actions.reject_complaint(
        spam, cast.command_center, "not_complaint", note="Ini iklan, bukan aduan."
    )


def _live(family, region: str, period) -> list[dict]:
    where = {"village_id": region}
    if region.count(".") < 3:
        where = {"village_id__gte": f"{region}.", "village_id__lt": f"{region}/"}
    bounds = [(p.start, p.end) for p in (period, period.previous())]
    if family is rollups.LETTERS:
        return letter_stats.periods_figures(LetterRequest.objects.filter(**where), bounds)
    return complaint_stats.periods_figures(Complaint.objects.filter(**where), bounds)


def _close(found, exact) -> bool:
    """A histogram's percentile lies in the bucket of the exact one (or next to it)."""
    if exact is None or found is None:
        return exact is found
    hours = exact.total_seconds() / 3600
    i = max(k for k, edge in enumerate(rollups.EDGES) if edge <= max(hours, 0))
    low = rollups.EDGES[max(i - 1, 0)]
    high = rollups.EDGES[min(i + 2, len(rollups.EDGES) - 1)]
    return low <= found.total_seconds() / 3600 <= max(high, hours)


def _check_against_the_rows():
    for family in rollups.FAMILIES:
        for region in REGIONS:
            for query in QUERIES:
                period = from_query(query)
                counted = family.model.objects.filter(region=region)
                found = rollups.periods_rows(family, counted, (period, period.previous()))
                mine = [rollups.total(family, rows) for rows in found]
                for got, exact in zip(mine, _live(family, region, period), strict=True):
                    for name in family.counts.keys() & exact.keys():
                        assert got[name] == exact[name], (family.name, region, query, name)
                    for name in family.percentiles:
                        assert _close(got[name], exact[name]), (region, query, name)


def _table(model) -> list[tuple]:
    fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
    return sorted(model.objects.values_list(*fields), key=repr)


@pytest.mark.parametrize("many", [rollups.MANY, 0])  # 0: folds whole days, as after an import
def test_folded_rollups_equal_the_rows_and_a_rebuild(month, file_report, monkeypatch, many):
    monkeypatch.setattr(rollups, "MANY", many)
    rollups.refresh()  # the first one counts everything
    _check_against_the_rows()
    _act(month, file_report)
    rollups.refresh()  # folds today's changes only
    _check_against_the_rows()
    assert sum(r.submitted for r in LetterRollup.objects.filter(span="d", depth=1)) == (
        LetterRequest.objects.count()
    )
    folded = {m: _table(m) for m in (LetterRollup, ComplaintRollup)}
    for family in rollups.FAMILIES:
        rollups.rebuild(family)
    assert {m: _table(m) for m in (LetterRollup, ComplaintRollup)} == folded


def test_a_refresh_without_changes_writes_nothing(month):
    rollups.refresh()
    with CaptureQueriesContext(connection) as queries:
        rollups.refresh()
    written = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert written == []


def test_the_percentile_of_a_histogram_is_linear_in_its_bucket():
    counts = [0] * len(rollups.EDGES)
    counts[11] = 4  # four cases between 24 and 30 hours
    assert rollups.percentile(counts, 0.5) == dt.timedelta(hours=24 + 6 * 2 / 4)
    assert rollups.percentile([0] * len(rollups.EDGES), 0.5) is None


@pytest.mark.parametrize(
    "who, code", [("admin", "35.08"), ("district_a", "35.08.01"), ("operator_a", "35.08.01.2001")]
)
def test_numbers_stay_the_counts_of_their_lists_after_changes(
    month, file_report, client, login_as, who, code
):
    login_as(getattr(month.w, who))
    _get(client, f"/dasbor/{code}/")  # the rollups exist before the changes
    _act(month, file_report)
    body = _get(client, f"/dasbor/{code}/").content.decode()
    links = LIST_LINK.findall(body)
    assert sum(_number(n) for _u, n in links) > 0
    for url, shown in links:
        assert _rows_of(client, url.replace("&amp;", "&")) == _number(shown), url


def test_camera_uptime_from_kept_months_equals_the_daily_rows(cast):
    from balai.cctv.models import Camera, CameraRollup

    def camera(name, village, visibility):
        return Camera.objects.create(
            name=name,
            village=village,
            visibility=visibility,
            purpose="keamanan",
            operator_contact="Operator desa",
            rtsp_url=f"rtsp://127.0.0.1:8554/{name}",
        )

    cameras = [
        camera("gerbang", cast.village_a, "public"),
        camera("pasar", cast.village_a, "staff"),
        camera("balai-b", cast.village_b, "public"),
    ]
    today, days = timezone.localdate(), []
    for n, cam in enumerate(cameras):
        for back in range(400):
            day = today - dt.timedelta(days=back)
            down = (n * 37 + back * 11) % 3600
            days.append(
                CameraRollup(
                    camera=cam,
                    period="day",
                    start=timezone.make_aware(dt.datetime.combine(day, dt.time())),
                    up_seconds=86400 - down - 60,
                    degraded_seconds=60,
                    down_seconds=down,
                )
            )
    CameraRollup.objects.bulk_create(days)
    for query in [*QUERIES, {"periode": "tahun"}, {"periode": "kuartal"}]:
        period = from_query(query)
        for region in REGIONS:
            for public in (False, True):
                rows = CameraRollup.objects.filter(
                    camera__village__code__startswith=region,
                    **({"camera__visibility": "public"} if public else {}),
                )
                for p in (period, period.previous()):
                    kept = rollups.camera_seconds(rows, region, public, p.first, p.last)
                    assert kept == rows.days(p.first, p.last).totals(), (region, query)
    assert CameraMonth.objects.filter(region="35.08", public=True).count() >= 12


def test_public_figures_are_kept_per_period_and_counted_again_after_a_change(month, monkeypatch):
    """A public page keeps its periods' suppressed counts (PublicFigures); the next
    page reads them, with the Django cache emptied. A change to the period's
    rollups shows within public.STALE: then the next reader counts again."""
    import time_machine
    from django.core.cache import cache

    from balai.dashboards import page, public
    from balai.dashboards.areas import find
    from balai.dashboards.models import PublicFigures
    from balai.dashboards.scope import Scope

    w = month.w
    period = from_query({})
    scope = Scope(find("35.08", public=True), None, timezone.now())

    def requests_shown():
        built = page.build(scope, period)
        return built["sections"][0]["figures"][0].current.value

    assert requests_shown() == 0  # nothing yet this month
    kept = PublicFigures.objects.filter(span=f"bulan:{period.first}")
    assert kept.filter(region="35.08.01.2001").exists()
    assert PublicFigures.objects.filter(span=f"bulan:{period.previous().first}").exists()

    def refused(*args):
        raise AssertionError("counted again")

    monkeypatch.setattr(public, "_count_span", refused)
    cache.clear()
    assert requests_shown() == 0
    for _ in range(5):
        req = make_request(w, w.village_a, w.siti, "submitted", timezone.now())
        letter_actions.send_back(req, w.operator_a, "Foto KK buram.", to=RequestStatus.RETURNED)
    assert requests_shown() == 0  # kept figures, shown a while after the change
    assert kept.exclude(changed_at=None).exists()
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + public.STALE + dt.timedelta(minutes=1)):
        assert requests_shown() == 5
    assert kept.filter(changed_at=None).count() == kept.count()
