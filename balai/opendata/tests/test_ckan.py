"""CKAN's Action API as a harvester reads it: the real `ckanapi` client against a
live server (RemoteCKAN over HTTP, POSTing JSON as it does by default)."""

import pytest
import requests
from ckanapi import NotFound, RemoteCKAN, ValidationError  # type: ignore[import-untyped]

from balai.opendata.datasets import DATASETS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ckan(site):
    with RemoteCKAN(site, user_agent="balai-test-harvester/1.0") as remote:
        yield remote


def test_package_list_names_every_dataset(ckan):
    assert ckan.action.package_list() == sorted(d.name for d in DATASETS)


def test_package_search_pages_with_rows_and_start(ckan):
    first = ckan.action.package_search(rows=2, start=0, sort="name asc")
    second = ckan.action.package_search(rows=2, start=2, sort="name asc")
    rest = ckan.action.package_search(rows=2, start=4, sort="name asc")
    assert first["count"] == len(DATASETS)
    names = [p["name"] for page in (first, second, rest) for p in page["results"]]
    assert names == sorted(d.name for d in DATASETS)
    assert ckan.action.package_search(q="aduan")["count"] == 1
    by_org = ckan.action.package_search(fq="organization:dispendukcapil")
    assert [p["name"] for p in by_org["results"]] == ["penduduk-menurut-wilayah-jenis-kelamin-umur"]
    assert ckan.action.package_search(fq="res_format:CSV")["count"] == len(DATASETS)


def test_package_search_takes_the_filters_ckanext_harvest_sends(ckan):
    """The CKAN harvester asks for the datasets changed since its last run."""
    every = len(DATASETS)
    assert ckan.action.package_search(fq="+dataset_type:dataset")["count"] == every
    since = ckan.action.package_search(fq="metadata_modified:[2020-01-01T00:00:00.000000Z TO *]")
    assert since["count"] == every
    future = ckan.action.package_search(fq="metadata_modified:[2999-01-01T00:00:00Z TO NOW]")
    assert future["count"] == 0
    both = ckan.action.package_search(
        fq='organization:"dispendukcapil" -tags:cctv', rows=100, start=0, sort="id asc"
    )
    assert both["count"] == 1
    with pytest.raises(ValidationError):
        ckan.action.package_search(fq="metadata_modified:[yesterday]")


@pytest.mark.parametrize(
    "params",
    [{"rows": -1}, {"rows": 1001}, {"rows": "many"}, {"start": 10**30}, {"sort": "drop"}],
)
def test_out_of_range_parameters_are_ckan_validation_errors(ckan, params):
    with pytest.raises(ValidationError):
        ckan.action.package_search(**params)


def test_bad_fq_and_errors_have_ckan_shape(live_server, open_data):
    response = requests.get(
        f"{live_server.url}/api/3/action/package_search", params={"fq": "x" * 300}, timeout=10
    )
    assert response.status_code == 409
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert "help" in body
    response = requests.post(
        f"{live_server.url}/api/3/action/package_show", data=b"{not json", timeout=10
    )
    assert response.status_code == 400
    assert requests.get(f"{live_server.url}/api/3/action/user_list", timeout=10).status_code == 404


def test_package_show_has_the_metadata(ckan):
    package = ckan.action.package_show(id="penduduk-menurut-wilayah-jenis-kelamin-umur")
    assert package["license_id"] == "CC-BY-4.0"
    assert package["organization"]["title"] == "Dinas Kependudukan dan Pencatatan Sipil"
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["spatial_code"] == "35.08"
    assert extras["frequency"].endswith("/DAILY")
    assert package["metadata_modified"]
    formats = {r["format"]: r["url"] for r in package["resources"]}
    assert set(formats) == {"CSV", "JSON"}
    csv = requests.get(formats["CSV"], timeout=10)
    assert csv.status_code == 200
    assert csv.content.decode("utf-8-sig").startswith("kode_wilayah,")
    rows = requests.get(formats["JSON"], timeout=10).json()["rows"]
    assert {"kode_wilayah": "35.08", "jenis_kelamin": "", "kelompok_umur": ""}.items() <= (
        next(r for r in rows if r["kode_wilayah"] == "35.08" and not r["jenis_kelamin"]).items()
    )
    with pytest.raises(NotFound):
        ckan.action.package_show(id="tidak-ada")


def test_organization_list_and_show(ckan):
    names = ckan.action.organization_list()
    assert "dispendukcapil" in names
    full = ckan.action.organization_list(all_fields=True)
    assert {o["name"] for o in full} == set(names)
    org = ckan.action.organization_show(id="dispendukcapil", include_datasets=True)
    assert org["package_count"] == 1
    assert len(org["packages"]) == 1
    assert ckan.action.status_show()["ckan_version"]
