import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from balai.accounts.models import AuditLog
from balai.residents.choices import Status
from balai.residents.models import RegistryEvent, Resident


def first(village):
    return Resident.objects.filter(village=village).select_related("family").order_by("pk").first()


def uuids(page):
    return [row.uuid for row in page]


def pages(resident):
    """Every staff page about one resident, as (name, url, method)."""
    return [
        ("detail", reverse("residents:detail", args=[resident.uuid]), "get"),
        ("family", reverse("residents:family", args=[resident.family.uuid]), "get"),
        ("add-member", reverse("residents:add-member", args=[resident.family.uuid]), "get"),
        ("own-data", reverse("residents:own-data", args=[resident.uuid]), "get"),
        ("event", reverse("residents:record-event", args=[resident.uuid]), "post"),
        ("mismatch", reverse("residents:accept-mismatch", args=[resident.uuid]), "post"),
    ]


def test_village_staff_get_404_for_another_villages_resident(registry, client, login_as):
    login_as(registry.operator_a)
    for name, url, method in pages(first(registry.village_b)):
        response = getattr(client, method)(url, {"kind": "death", "date": "2026-01-01"})
        assert response.status_code == 404, name
    assert AuditLog.objects.filter(action="access_denied").exists()


def test_district_staff_get_404_outside_their_district(registry, client, login_as):
    login_as(registry.district_a)
    assert (
        client.get(reverse("residents:detail", args=[first(registry.village_b).uuid])).status_code
        == 404
    )
    assert (
        client.get(reverse("residents:detail", args=[first(registry.village_a).uuid])).status_code
        == 200
    )


@pytest.mark.parametrize("who", ["agency_officer", "command_center", "outsider"])
def test_roles_without_residents_access_get_403(registry, client, login_as, who):
    login_as(getattr(registry, who))
    resident = first(registry.village_a)
    urls = [
        reverse("residents:list"),
        reverse("residents:import"),
        reverse("residents:export", args=["csv"]),
    ]
    urls += [url for _name, url, _method in pages(resident)]
    for url in urls:
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url).status_code in (403, 405), url


def test_read_only_roles_cannot_change_or_import(registry, client, login_as):
    login_as(registry.district_a)
    resident = first(registry.village_a)
    for _name, url, method in pages(resident):
        if method == "post":
            assert client.post(url, {"kind": "death", "date": "2026-01-01"}).status_code == 403
    assert client.get(reverse("residents:import")).status_code == 403
    assert client.get(reverse("residents:own-data", args=[resident.uuid])).status_code == 403


def test_the_list_masks_numbers_and_shows_the_total(
    registry, client, login_as, django_assert_max_num_queries
):
    login_as(registry.operator_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("residents:list"))
    body = response.content.decode()
    resident = first(registry.village_a)
    assert resident.masked_nik in body and resident.nik not in body
    assert resident.family.no_kk not in body
    assert "30 penduduk" in body
    assert first(registry.village_b).name not in body or first(registry.village_b).name in {
        r.name for r in Resident.objects.filter(village=registry.village_a)
    }


def test_the_lists_total_is_counted_without_the_columns_joins(registry, client, login_as):
    """At 5.5 million residents, counting through the village and family joins the
    shown columns need read every matching row from the table (18 ms for a
    village's 12,600, 39 ms for a common first name regency-wide); the count
    alone is a range of one index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(registry.operator_a)
    for params in ({}, {"q": first(registry.village_a).name[:3]}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("residents:list"), params)
        assert response.status_code == 200
        [count] = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        assert "JOIN" not in count, count
    # With a filter on the family, the count keeps the join that filter needs.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("residents:list"), {"dusun": "Krajan"})
    [count] = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert "residents_family" in count


def test_the_list_filters_and_sorts(registry, client, login_as):
    login_as(registry.operator_a)
    women = Resident.objects.filter(village=registry.village_a, sex=2).count()
    response = client.get(reverse("residents:list"), {"sex": 2, "urut": "-lahir"})
    assert response.context["page"].total == women
    response = client.get(reverse("residents:list"), {"umur_min": 60, "umur_max": 10})
    assert "Umur sampai" in response.content.decode()
    resident = first(registry.village_a)
    response = client.get(
        reverse("residents:list"),
        {
            "dusun": resident.family.dusun,
            "rt": resident.family.rt.lstrip("0"),
            "rw": resident.family.rw,
        },
    )
    assert resident.uuid in uuids(response.context["page"]) or response.context["page"].total > 0


def test_search_by_nik_kk_and_name(registry, client, login_as):
    login_as(registry.operator_a)
    resident = first(registry.village_a)
    found = client.post(reverse("residents:list"), {"q": resident.nik}).context["page"]
    assert uuids(found) == [resident.uuid]
    found = client.post(reverse("residents:list"), {"q": resident.family.no_kk}).context["page"]
    assert resident.uuid in uuids(found)
    other = first(registry.village_b)
    found = client.post(reverse("residents:list"), {"q": other.nik}).context["page"]
    assert found.total == 0
    shouty = resident.name.upper()[:4]
    found = client.get(reverse("residents:list"), {"q": shouty}).context["page"]
    assert resident.uuid in uuids(found)


def test_name_search_is_accent_insensitive_prefix_and_typo_tolerant(cast):
    import datetime as dt
    import pathlib
    import tempfile

    from balai.residents.actions import import_residents
    from balai.residents.nik import make_nik
    from balai.residents.tests.conftest import person, write_csv

    rows = [
        person(nama="Mochamad Sjaifoel Arief"),
        person(
            nama="Zoë Putri", sex=2, nik=make_nik("350801", dt.date(1985, 3, 14), 2, 2), kk_level=3
        ),
    ]
    path = write_csv(pathlib.Path(tempfile.mkdtemp()) / "n.csv", rows)
    assert import_residents(path, cast.village_a).ok
    search = Resident.objects.search
    assert search("muhammad").get().name == "Mochamad Sjaifoel Arief"
    assert search("MOCHA").get().name == "Mochamad Sjaifoel Arief"
    assert search("zoe").get().name == "Zoë Putri"
    assert search("Muhamad Saifu").get().name == "Mochamad Sjaifoel Arief"
    assert not search("12345").exists()


def test_the_detail_shows_full_numbers_and_is_audited(registry, client, login_as):
    login_as(registry.secretary_a)
    resident = first(registry.village_a)
    body = client.get(reverse("residents:detail", args=[resident.uuid])).content.decode()
    assert resident.nik in body and resident.family.no_kk in body
    log = AuditLog.objects.get(action="resident.viewed")
    assert log.object_id == str(resident.pk) and log.user == registry.secretary_a


def test_the_family_page_lists_members(registry, client, login_as):
    login_as(registry.head_a)
    resident = first(registry.village_a)
    response = client.get(reverse("residents:family", args=[resident.family.uuid]))
    assert resident.name in response.content.decode()
    assert AuditLog.objects.filter(action="family.viewed").exists()


def test_recording_a_death_sets_the_status_and_the_history(registry, client, login_as):
    login_as(registry.operator_a)
    resident = first(registry.village_a)
    url = reverse("residents:record-event", args=[resident.uuid])
    response = client.post(url, {"kind": "death", "date": "2026-01-05", "note": "sakit"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.status == Status.DEAD
    event = RegistryEvent.objects.get()
    assert event.recorded_by == registry.operator_a and str(event.date) == "2026-01-05"
    body = client.get(reverse("residents:detail", args=[resident.uuid])).content.decode()
    assert "Kematian" in body and "05-01-2026" in body
    response = client.post(url, {"kind": "death", "date": "2999-01-01"}, follow=True)
    assert "masa depan" in response.content.decode()
    response = client.post(url, {"kind": "death", "date": "2026-01-06"}, follow=True)
    assert "tidak dapat dicatat" in response.content.decode()
    assert RegistryEvent.objects.count() == 1


def test_staff_keep_a_mismatched_nik_with_a_reason(registry, client, login_as):
    login_as(registry.operator_a)
    resident = first(registry.village_a)
    Resident.objects.filter(pk=resident.pk).update(birth_date="1970-01-01")
    body = client.get(reverse("residents:detail", args=[resident.uuid])).content.decode()
    assert "Peringatan NIK" in body
    url = reverse("residents:accept-mismatch", args=[resident.uuid])
    client.post(url, {"reason": "Dikoreksi dengan akta kelahiran."})
    resident.refresh_from_db()
    assert resident.nik_mismatch_reason == "Dikoreksi dengan akta kelahiran."
    assert AuditLog.objects.filter(action="resident.nik_mismatch_accepted").exists()


def test_export_is_audited_and_formula_safe(registry, client, login_as):
    resident = first(registry.village_a)
    Resident.objects.filter(pk=resident.pk).update(name='=HYPERLINK("http://x","klik")')
    login_as(registry.operator_a)
    response = client.get(reverse("residents:export", args=["csv"]))
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and resident.nik in text
    assert first(registry.village_b).nik not in text
    response = client.get(reverse("residents:export", args=["xlsx"]))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert len(rows) == 31
    assert any(row[2] == '=HYPERLINK("http://x","klik")' for row in rows)
    assert AuditLog.objects.filter(action="residents.exported").count() == 2


def test_regency_admin_exports_one_village_at_a_time(registry, client, login_as):
    login_as(registry.admin)
    assert client.get(reverse("residents:export", args=["csv"])).status_code == 302
    response = client.get(
        reverse("residents:export", args=["csv"]), {"desa": registry.foreign_village.code}
    )
    assert response.status_code == 404
    response = client.get(
        reverse("residents:export", args=["csv"]), {"desa": registry.village_b.code}
    )
    assert first(registry.village_b).nik in response.content.decode("utf-8-sig")


def test_own_data_export_holds_the_residents_data_and_is_audited(registry, client, login_as):
    login_as(registry.operator_a)
    resident = first(registry.village_a)
    response = client.get(reverse("residents:own-data", args=[resident.uuid]))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert ["NIK", resident.nik] in [list(r) for r in rows]
    assert AuditLog.objects.filter(
        action="resident.own_data_exported", object_id=str(resident.pk)
    ).exists()


def test_regency_admin_lists_every_village(registry, client, login_as):
    login_as(registry.admin)
    response = client.get(reverse("residents:list"))
    assert response.context["page"].total == 60


def test_a_birth_is_registered_into_a_family_with_its_event(registry, client, login_as):
    import datetime as dt

    from balai.residents.nik import make_nik

    login_as(registry.operator_a)
    family = first(registry.village_a).family
    url = reverse("residents:add-member", args=[family.uuid])
    born = dt.date(2026, 1, 2)
    data = {
        "kind": "birth",
        "event_date": "2026-01-02",
        "nik": make_nik("350801", born, 2, 9001),
        "name": "Bayi Baru",
        "sex": 2,
        "birth_place": "Lumajang",
        "birth_date": "2026-01-02",
        "relationship": 4,
        "citizenship": 1,
        "status": 1,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    baby = Resident.objects.get(name="Bayi Baru")
    assert baby.family == family and baby.village == registry.village_a
    assert baby.events.get().kind == "birth"
    again = client.post(url, {**data, "name": "Dua Kali"})
    assert "sudah terdaftar di desa ini" in again.content.decode()
    other = first(registry.village_b)
    response = client.post(url, {**data, "nik": other.nik})
    assert "desa lain" in response.content.decode()
    assert registry.village_b.name not in response.content.decode()
    mismatch = client.post(url, {**data, "nik": make_nik("350801", born, 1, 9002)})
    assert "Jenis kelamin dalam NIK" in mismatch.content.decode()


def test_adding_to_another_villages_family_is_404_and_readers_get_403(registry, client, login_as):
    family = first(registry.village_b).family
    login_as(registry.operator_a)
    assert client.get(reverse("residents:add-member", args=[family.uuid])).status_code == 404
    login_as(registry.district_a)
    family_a = first(registry.village_a).family
    assert client.get(reverse("residents:add-member", args=[family_a.uuid])).status_code == 403


def test_big_list_totals_are_remembered_for_a_minute(registry, client, login_as, monkeypatch):
    from django.core.cache import cache

    from balai.lib import pager

    cache.clear()
    monkeypatch.setattr(pager, "BIG_COUNT", 10)
    login_as(registry.admin)
    assert client.get(reverse("residents:list")).context["page"].total == 60
    Resident.objects.filter(village=registry.village_b).update(status=Status.DEAD)
    assert client.get(reverse("residents:list")).context["page"].total == 60
    monkeypatch.setattr(pager, "BIG_COUNT", 1000)
    cache.clear()
    response = client.get(reverse("residents:list"), {"status": Status.ALIVE})
    assert (
        response.context["page"].total
        == 30
        - Resident.objects.filter(village=registry.village_a).exclude(status=Status.ALIVE).count()
    )


def test_a_search_by_nik_or_kk_keeps_the_number_out_of_urls(registry, client, login_as):
    """The search form posts: a NIK or no. KK never lands in a URL, a log or history."""
    login_as(registry.operator_a)
    resident = first(registry.village_a)
    page = client.get(reverse("residents:list")).content.decode()
    assert 'method="post" class="filters"' in page
    for number in (resident.nik, resident.family.no_kk):
        response = client.post(reverse("residents:list"), {"q": number, "rt": ""})
        assert response.status_code == 200
        assert resident.uuid in uuids(response.context["page"])
        html = response.content.decode()
        assert f"q={number}" not in html and number not in response.context["page"].query
    # A name search still gives a URL that can be shared with colleagues.
    response = client.post(reverse("residents:list"), {"q": "budi", "rt": "", "dusun": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:list") + "?q=budi"


@pytest.mark.parametrize("url", [("residents:list", ()), ("residents:export", ("csv",))])
def test_a_nik_typed_into_a_url_is_refused_with_a_pointer_to_the_form(
    registry, client, login_as, url
):
    login_as(registry.operator_a)
    resident = first(registry.village_a)
    spaced = f"{resident.nik[:6]} {resident.nik[6:]}"
    for q in (resident.nik, spaced, resident.family.no_kk):
        response = client.get(reverse(url[0], args=url[1]), {"q": q})
        assert response.status_code == 400
        assert "formulir" in response.content.decode()
