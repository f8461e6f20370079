"""The public pages and downloads: Indonesian and English, bounded, rate limited."""

import json

import pytest
from django.test import Client

from balai.opendata import datasets
from balai.opendata.datasets import DATASETS


@pytest.fixture
def english():
    return Client(headers={"accept-language": "en"})


def test_the_portal_links_to_the_list_which_links_every_dataset(client, open_data):
    assert "/data/" in client.get("/").content.decode()
    page = client.get("/data/").content.decode()
    for dataset in DATASETS:
        assert f"/data/{dataset.name}/" in page
        assert f"/data/{dataset.name}.csv" in page


def test_dataset_page_shows_metadata_in_both_languages(client, english, open_data):
    name = "penduduk-menurut-wilayah-jenis-kelamin-umur"
    page = client.get(f"/data/{name}/").content.decode()
    assert "Penduduk menurut wilayah" in page
    assert "Creative Commons Attribution 4.0" in page
    assert "kode Kemendagri" in page
    page = english.get(f"/data/{name}/").content.decode()
    assert "Population by region, sex and age group" in page
    assert "Kemendagri code" in page
    assert "Publisher" in page
    assert english.get("/data/tidak-ada/").status_code == 404


def test_downloads_hide_small_counts(client, open_data):
    name = "penduduk-menurut-wilayah-jenis-kelamin-umur"
    rows = json.loads(client.get(f"/data/{name}.json").content)["rows"]
    counts = [r["jumlah"] for r in rows]
    assert None in counts
    assert all(n is None or n >= 5 for n in counts)
    csv = client.get(f"/data/{name}.csv")
    assert csv["Content-Type"] == "text/csv"
    assert csv["Content-Disposition"] == f'attachment; filename="{name}.csv"'


def test_complaints_dataset_counts_the_reports(client, open_data):
    rows = json.loads(client.get("/data/aduan-menurut-kategori-unit-status.json").content)["rows"]
    assert sum(r["jumlah"] for r in rows) == 2
    assert {r["kategori"] for r in rows} == {"Jalan rusak"}


def test_the_api_is_rate_limited(client, open_data, monkeypatch):
    from balai.opendata import views

    real = views.is_ratelimited
    monkeypatch.setattr(
        views, "is_ratelimited", lambda request, **kw: real(request, **{**kw, "rate": "3/m"})
    )
    statuses = [client.get("/api/3/action/package_list").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert json.loads(client.get("/api/3/action/package_list").content)["success"] is False


def test_letters_table_suppression_leaves_nothing_to_subtract():
    from balai.lib.tests.reader import recover

    counts = {
        ("2026-01", "35.08.01.2001", "SKTM"): 2,
        ("2026-01", "35.08.01.2001", "Domisili"): 40,
        ("2026-01", "35.08.01.2001", "Usaha"): 12,
        ("2026-01", "35.08.02.2001", "SKTM"): 1,
        ("2026-01", "35.08.02.2001", "Domisili"): 30,
        ("2026-02", "35.08.01.2001", "SKTM"): 9,
    }
    values, hidden = datasets._suppressed_counts(counts)
    assert {("2026-01", "35.08.01.2001", "SKTM"), ("2026-01", "35.08.02.2001", "SKTM")} <= hidden
    known = {cell: (None if cell in hidden else n) for cell, n in values.items()}
    equations = []
    for period, region, kind in values:
        if kind:
            continue
        parts = [c for c in values if c[0] == period and (c[1] == region if region else not c[2])]
        parts = [c for c in parts if c != (period, region, kind) and (c[2] if region else c[1])]
        equations.append((parts, (period, region, kind)))
    assert recover(known, equations) == {}


def test_population_dataset_hides_what_the_statistics_hide(client, open_data):
    """One suppression for the pages, the API and open data: the same cells hidden."""
    name = "penduduk-menurut-wilayah-jenis-kelamin-umur"
    rows = json.loads(client.get(f"/data/{name}.json").content)["rows"]
    for code in ("35.08", "35.08.01", open_data[0].code):
        stats = client.get(f"/api/v1/stats/population/{code}").json()
        mine = {
            (r["jenis_kelamin"], r["kelompok_umur"]): r["jumlah"]
            for r in rows
            if r["kode_wilayah"] == code
        }
        assert mine[("", "")] == stats["total"]
        for item in stats["sex"]:
            assert mine[({1: "L", 2: "P"}[item["code"]], "")] == item["count"]
        for group in stats["age_groups"]:
            for column, sex in (("male", "L"), ("female", "P")):
                assert mine.get((sex, group["label"]), 0) == group[column]


def test_service_availability_from_the_hub_catalogue(client, open_data):
    rows = json.loads(client.get("/data/ketersediaan-layanan-publik.json").content)["rows"]
    by_code = {r["kode"]: r for r in rows}
    assert by_code["sipadu"]["kondisi"] == "down"
    assert 60 < by_code["sipadu"]["persen_aktif_30_hari"] < 70  # up 2 days of the 3 seen
    assert by_code["loket"]["persen_aktif_30_hari"] is None
    assert by_code["loket"]["kondisi"] == ""
