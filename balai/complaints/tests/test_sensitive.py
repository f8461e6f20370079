"""Sensitive categories (pungli, ...) are confidential whatever the reporter picks.

Not listed, not on the map, not in the CSV, not in Open311 (XML or JSON), not
in the public figures, not readable by village or district staff through the
API; the reporter still follows the report by its tracking code.
"""

import csv
import io

import pytest
from defusedxml import ElementTree as ET

from balai.accounts.choices import Scope
from balai.complaints import actions
from balai.complaints.choices import Privacy
from balai.complaints.models import Complaint
from balai.lib import tracking

from .conftest import jpeg_upload

SECRET = "Kepala dusun minta uang lima ratus ribu untuk surat."


@pytest.fixture
def key(cast):
    from balai.accounts.actions import create_token

    _, value = create_token(cast.command_center, [Scope.OPEN311], 30)
    return value


def _report_through_the_page(client, cast) -> tuple[Complaint, str]:
    response = client.post(
        "/aduan/lapor/",
        {
            "category": "pungli",
            "village": cast.village_a.code,
            "latitude": "-8.25",
            "longitude": "113.0",
            "description": SECRET,
            "privacy": Privacy.PUBLIC,
            "reporter_name": "Siti Aminah",
            "photos": [jpeg_upload()],
        },
    )
    assert response.status_code == 302, response.content.decode()
    code = response.url.split("/")[-2]
    return Complaint.objects.get(), code


def test_a_sensitive_report_is_confidential_whatever_the_reporter_picked(client, cast, cats):
    complaint, code = _report_through_the_page(client, cast)
    assert complaint.privacy == Privacy.CONFIDENTIAL and not complaint.is_public
    assert client.get(complaint.get_absolute_url()).status_code == 404
    assert client.get(f"/aduan/foto/{complaint.photos.get().public_id}/").status_code == 404
    for url in ("/aduan/", "/aduan/?kategori=pungli", "/aduan/peta.geojson", "/aduan/ekspor.csv"):
        page = client.get(url).content.decode()
        assert SECRET not in page and complaint.public_id not in page, url
    # The reporter still follows it by the code.
    opened = client.post("/aduan/lacak/", {"code": tracking.grouped(code)}, follow=True)
    page = opened.content.decode()
    assert SECRET in page


def test_the_public_figures_do_not_name_sensitive_categories(client, cast, cats, file_report):
    file_report(category=cats.bribery)
    file_report()
    page = client.get("/aduan/angka/").content.decode()
    assert "Jalan rusak" in page
    assert "Pungutan liar" not in page


def test_open311_files_it_confidential_and_never_shows_it(client, cast, cats, key):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "pungli",
            "description": SECRET,
            "attribute[village]": cast.village_a.code,
            "attribute[privacy]": "public",
            "first_name": "Budi",
        },
    )
    assert response.status_code == 200, response.content
    public_id = response.json()[0]["service_request_id"]
    assert Complaint.objects.get(public_id=public_id).privacy == Privacy.CONFIDENTIAL
    listed = client.get("/open311/v2/requests.json").json()
    assert public_id not in {r["service_request_id"] for r in listed}
    root = ET.fromstring(client.get("/open311/v2/requests.xml").content)
    assert public_id not in {e.text for e in root.iter("service_request_id")}
    for fmt in ("xml", "json"):
        assert client.get(f"/open311/v2/requests/{public_id}.{fmt}").status_code == 404
        assert client.get(f"/open311/v2/tokens/{public_id}.{fmt}").status_code == 404


def test_a_category_made_sensitive_later_takes_its_reports_out_of_public_view(
    client, cast, cats, file_report
):
    complaint, _ = file_report(category=cats.other, description=SECRET)
    assert client.get(complaint.get_absolute_url()).status_code == 200
    cats.other.sensitive = True
    cats.other.save()
    assert client.get(complaint.get_absolute_url()).status_code == 404
    rows = list(csv.reader(io.StringIO(client.get("/aduan/ekspor.csv").content.decode())))
    assert all(SECRET not in row for row in rows)
    assert complaint.public_id not in client.get("/open311/v2/requests.json").content.decode()


def test_the_api_shows_it_to_the_command_center_only(client, cast, cats, file_report, api_token):
    complaint, _ = file_report(category=cats.bribery, privacy=Privacy.PUBLIC)
    for officer in (cast.operator_a, cast.head_a, cast.district_a, cast.agency_officer):
        headers = api_token(officer, Scope.COMPLAINTS_READ)
        assert client.get("/api/v1/complaints", headers=headers).json()["items"] == []
        url = f"/api/v1/complaints/{complaint.public_id}"
        assert client.get(url, headers=headers).status_code == 404
    headers = api_token(cast.command_center, Scope.COMPLAINTS_READ)
    [listed] = client.get("/api/v1/complaints", headers=headers).json()["items"]
    assert listed["privacy"] == Privacy.CONFIDENTIAL


def test_a_rejected_then_public_privacy_cannot_reopen_it(cast, cats, file_report):
    complaint, _ = file_report(category=cats.bribery)
    actions.reject_complaint(complaint, cast.command_center, "not_authority", "Bukan kewenangan.")
    complaint.refresh_from_db()
    assert not complaint.is_public


def test_open311_says_a_sensitive_service_is_always_confidential(client, cats):
    data = client.get("/open311/v2/services/pungli.json").json()
    [privacy] = [a for a in data["attributes"] if a["code"] == "privacy"]
    assert [v["key"] for v in privacy["values"]] == [Privacy.CONFIDENTIAL]
    data = client.get("/open311/v2/services/jalan-rusak.json").json()
    [privacy] = [a for a in data["attributes"] if a["code"] == "privacy"]
    assert len(privacy["values"]) == 3
