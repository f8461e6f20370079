"""The audit log page: each role reads its own scope's log, filtered; nobody edits it."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from balai.accounts import audit
from balai.accounts.models import AuditLog

URL = reverse("accounts:audit-log")
ALL_ROLES = [
    "operator_a",
    "secretary_a",
    "head_a",
    "operator_b",
    "district_a",
    "agency_officer",
    "admin",
    "command_center",
]


@pytest.fixture
def log(cast):
    rows = {}
    for key, village in [
        ("a", cast.village_a),
        ("b", cast.village_b),
        ("inactive", cast.inactive_village),
        ("foreign", cast.foreign_village),
    ]:
        rows[key] = audit.record(f"probe_{key}", village, user=cast.operator_a)
    rows["regency"] = audit.record("probe_regency", user=cast.admin)
    rows["agency"] = audit.record("probe_agency", user=cast.agency_officer)
    return rows


def probes(response):
    page = response.content.decode()
    return {
        key
        for key in ("a", "b", "inactive", "foreign", "regency", "agency")
        if f'mono">probe_{key}<' in page
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("operator_a", {"a"}),
        ("secretary_a", {"a"}),
        ("head_a", {"a"}),
        ("operator_b", {"b"}),
        ("district_a", {"a", "inactive"}),
        ("agency_officer", {"agency"}),
        ("admin", {"a", "b", "inactive", "regency", "agency"}),
        ("command_center", {"a", "b", "inactive", "regency", "agency"}),
    ],
)
def test_each_role_reads_only_its_scopes_log(cast, log, login_as, client, who, expected):
    login_as(getattr(cast, who))
    response = client.get(URL)
    assert response.status_code == 200
    assert probes(response) == expected


def test_someone_without_a_role_gets_403(cast, login_as, client):
    login_as(cast.outsider)
    assert client.get(URL).status_code == 403


def test_strangers_are_sent_to_the_login(db, client):
    assert client.get(URL)["Location"].startswith("/akun/masuk/")


@pytest.mark.parametrize(
    ("who", "village"),
    [
        ("operator_a", "village_b"),
        ("secretary_a", "village_b"),
        ("head_a", "village_b"),
        ("operator_b", "village_a"),
        ("district_a", "village_b"),
        ("agency_officer", "village_a"),
        ("admin", "foreign_village"),
        ("command_center", "foreign_village"),
    ],
)
def test_filtering_on_another_scopes_village_is_a_404_and_is_audited(
    cast, login_as, client, who, village
):
    user, target = getattr(cast, who), getattr(cast, village)
    login_as(user)
    assert client.get(URL, {"village": target.code}).status_code == 404
    denied = AuditLog.objects.get(action="access_denied")
    assert (denied.user, denied.object_id) == (user, target.code)


def test_an_unknown_village_is_the_same_404_without_an_audit_row(cast, login_as, client):
    login_as(cast.admin)
    assert client.get(URL, {"village": "99.99.99.9999"}).status_code == 404
    assert not AuditLog.objects.filter(action="access_denied").exists()


def test_regency_roles_filter_by_village(cast, log, login_as, client):
    login_as(cast.admin)
    assert probes(client.get(URL, {"village": cast.village_b.code})) == {"b"}


def test_only_district_and_regency_roles_get_a_village_filter(cast, log, login_as, client):
    for user in [cast.operator_a, cast.agency_officer]:
        login_as(user)
        assert 'name="village"' not in client.get(URL).content.decode()
    login_as(cast.district_a)
    page = client.get(URL).content.decode()
    assert 'value="35.08.01.2002"' in page
    assert 'value="35.08.02.2001"' not in page


def test_filters_on_action_user_and_dates(cast, login_as, client):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)):
        audit.record("probe_old", cast.village_a, user=cast.head_a)
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC)):
        audit.record("probe_new", cast.village_a, user=cast.operator_a)
    login_as(cast.head_a)

    def shown(**query):
        page = client.get(URL, query).content.decode()
        return {a for a in ("probe_old", "probe_new") if f'mono">{a}<' in page}

    assert shown() == {"probe_old", "probe_new"}
    assert shown(action="probe_old") == {"probe_old"}
    assert shown(username="OPERATOR_A") == {"probe_new"}
    assert shown(date_from="2026-03-02") == {"probe_new"}
    assert shown(date_to="2026-03-02") == {"probe_old"}
    assert shown(date_from="2026-03-01", date_to="2026-03-01") == {"probe_old"}


def test_a_reversed_date_range_is_explained_beside_the_field(cast, login_as, client):
    login_as(cast.operator_a)
    page = client.get(URL, {"date_from": "2026-03-05", "date_to": "2026-03-01"}).content.decode()
    assert 'id="id_date_to_error">Tanggal akhir harus sama atau setelah tanggal awal.' in page


def test_the_log_is_paginated_in_a_fixed_number_of_queries(
    cast, login_as, client, django_assert_max_num_queries
):
    for n in range(120):
        audit.record(f"bulk_{n % 3}", cast.village_a, user=cast.operator_a)
    login_as(cast.admin)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"hal": 2})
    page = response.content.decode()
    assert "Halaman 2 dari 3" in page
    assert page.count("<tr>") == 50 + 1


def test_the_page_offers_no_way_to_change_the_log(cast, log, login_as, client):
    login_as(cast.admin)
    assert client.post(URL, {"action": "x"}).status_code == 405
    assert AuditLog.objects.filter(action="probe_a").exists()
