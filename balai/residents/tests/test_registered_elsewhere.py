"""Whether a NIK or KK is registered in another village: few answers a day, each audited.

The attack (issue 10.8): an operator tested thousands of NIKs through dry-run
imports and the add-member form.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from balai.accounts.models import AuditLog
from balai.residents import actions
from balai.residents.actions import import_residents
from balai.residents.importing import FileProblem
from balai.residents.models import Resident
from balai.residents.nik import make_nik
from balai.residents.tests.conftest import person, write_csv


@pytest.fixture(autouse=True)
def _fresh_counters(db):
    cache.clear()
    yield
    cache.clear()


def others(cast, tmp_path, count):
    """`count` residents registered in village B, by import."""
    people = [
        person(
            birth=dt.date(1980, 1, 1),
            nik=make_nik("350801", dt.date(1980, 1, 1), 1, n),
            no_kk=f"35080114031{n:05d}",
        )
        for n in range(1, count + 1)
    ]
    assert import_residents(write_csv(tmp_path / "b.csv", people), cast.village_b).ok
    return people


def test_each_answer_is_audited_and_names_no_village(cast, tmp_path):
    probe = others(cast, tmp_path, 3)
    result = import_residents(
        write_csv(tmp_path / "probe.csv", probe), cast.village_a, user=cast.operator_a, dry_run=True
    )
    reasons = [p[3] for p in result.problems]
    assert reasons and all("Dispendukcapil" in r for r in reasons)
    assert not any(cast.village_b.name in r for r in reasons)
    rows = AuditLog.objects.filter(action="residents.registered_elsewhere")
    assert rows.count() == len(reasons) == 6  # a NIK and a KK each
    assert {r.user_id for r in rows} == {cast.operator_a.pk}
    assert {r.village_id for r in rows} == {cast.village_a.pk}
    assert all(probe[0]["nik"] not in str(r.detail) for r in rows)


def test_past_the_daily_limit_an_import_gets_no_answers_at_all(cast, tmp_path, monkeypatch):
    monkeypatch.setattr(actions, "ELSEWHERE_RATE", "4/d")
    probe = others(cast, tmp_path, 5)
    path = write_csv(tmp_path / "probe.csv", probe)
    with pytest.raises(FileProblem, match="Batas harian") as refused:
        import_residents(path, cast.village_a, user=cast.operator_a, dry_run=True)
    assert probe[0]["nik"] not in str(refused.value)
    assert AuditLog.objects.filter(action="residents.registered_elsewhere").count() == 4
    assert AuditLog.objects.filter(action="residents.elsewhere_limited").count() == 1
    # the next file is refused before it is even checked
    one = write_csv(tmp_path / "one.csv", probe[:1])
    with pytest.raises(FileProblem, match="Batas harian"):
        import_residents(one, cast.village_a, user=cast.operator_a, dry_run=True)
    assert AuditLog.objects.filter(action="residents.registered_elsewhere").count() == 4
    # another operator has their own count; the regency admin is not limited
    assert not import_residents(one, cast.village_a, user=cast.secretary_a, dry_run=True).ok
    for_admin = import_residents(path, cast.village_a, user=cast.admin, dry_run=True)
    assert cast.village_b.name in for_admin.problems[0][3]


def test_the_add_member_form_counts_against_the_same_limit(registry, client, login_as, monkeypatch):
    monkeypatch.setattr(actions, "ELSEWHERE_RATE", "2/d")
    login_as(registry.operator_a)
    family = Resident.objects.filter(village=registry.village_a).first().family
    url = reverse("residents:add-member", args=[family.uuid])
    others_ = list(Resident.objects.filter(village=registry.village_b)[:3])
    data = {
        "name": "Bayi",
        "sex": 1,
        "birth_date": "2026-01-02",
        "relationship": 4,
        "citizenship": 1,
        "status": 1,
        "kind": "birth",
        "event_date": "2026-01-02",
    }
    answers = [client.post(url, {**data, "nik": other.nik}).content.decode() for other in others_]
    assert "Dispendukcapil" in answers[0] and "Dispendukcapil" in answers[1]
    assert "Batas harian" in answers[2] and "sudah terdaftar di desa lain;" not in answers[2]
    assert AuditLog.objects.filter(action="residents.registered_elsewhere").count() == 2
