"""Open311 GeoReport v2, checked by parsing what it serves."""

import json
from datetime import datetime

import pytest
from defusedxml import ElementTree as ET

from balai.accounts.choices import Scope
from balai.accounts.models import AuditLog
from balai.complaints.choices import Privacy
from balai.complaints.models import Complaint

from .conftest import jpeg_upload

BASE = "/open311/v2/"


@pytest.fixture
def key(cast):
    from balai.accounts.actions import create_token

    _, value = create_token(cast.command_center, [Scope.OPEN311], 30)
    return value


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    assert "}" not in root.tag  # no namespace
    return root


def post(client, key, fmt="xml", **fields):
    data = {
        "api_key": key,
        "service_code": "jalan-rusak",
        "lat": "-8.25",
        "long": "113.0",
        "description": "Jalan berlubang.",
        "attribute[village]": "35.08.01.2001",
        "email": "warga@example.com",
        "first_name": "Budi",
        **fields,
    }
    return client.post(f"{BASE}requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_discovery_lists_the_endpoint_in_both_formats(client, cats):
    root = xml(client.get(f"{BASE}discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("./endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]
    data = client.get(f"{BASE}discovery.json").json()
    assert data["endpoints"][0]["url"].endswith("/open311/v2/")


def test_services_are_a_bare_json_array_with_string_codes(client, cats):
    data = client.get(f"{BASE}services.json").json()
    assert isinstance(data, list)
    road = next(s for s in data if s["service_code"] == "jalan-rusak")
    assert road["metadata"] is True and road["type"] == "realtime"
    assert all(isinstance(s["service_code"], str) for s in data)


def test_a_single_service_is_shaped_like_a_longer_list(client, cats):
    from balai.complaints.models import Category

    Category.objects.exclude(code="jalan-rusak").update(is_active=False)
    root = xml(client.get(f"{BASE}services.xml"))
    assert root.tag == "services"
    [service] = root.findall("service")
    assert service.findtext("service_code") == "jalan-rusak"
    assert service.findtext("metadata") == "true"
    assert client.get(f"{BASE}services.json").json()[0]["service_code"] == "jalan-rusak"


@pytest.mark.parametrize("url", ["services/jalan-rusak.xml", "service/jalan-rusak.xml"])
def test_the_service_definition_lists_villages_also_at_the_singular_path(client, cats, url):
    root = xml(client.get(BASE + url))
    assert root.tag == "service_definition"
    village = root.find("./attributes/attribute[code='village']")
    assert village.findtext("required") == "true"
    keys = [v.findtext("key") for v in village.findall("./values/value")]
    assert keys == ["35.08.02.2001", "35.08.01.2001"]  # onboarded only, by name


def test_unknown_things_are_404_in_the_error_format(client, cats):
    for url in ("services/nope.xml", "requests/nope.xml", "tokens/nope.xml", "elsewhere.xml"):
        response = client.get(BASE + url)
        assert response.status_code == 404
        root = xml(response)
        assert root.tag == "errors" and root.find("./error/code").text == "404"
    data = client.get(f"{BASE}services/nope.json").json()
    assert data[0]["code"] == 404 and data[0]["description"]


def test_errors_speak_the_clients_language(client, cats):
    url = f"{BASE}requests/nope.json"
    assert client.get(url).json()[0]["description"] == "service_request_id tidak dikenal: nope"
    english = client.get(url, headers={"accept-language": "en"}).json()
    assert english[0]["description"] == "Unknown service_request_id: nope"


@pytest.mark.parametrize("where", ["body", "query"])
def test_posting_a_request_with_api_key_in_body_or_query(client, cats, key, where):
    if where == "query":
        response = client.post(
            f"{BASE}requests.json?api_key={key}&jurisdiction_id=",
            {
                "service_code": "jalan-rusak",
                "description": "Jalan berlubang.",
                "attribute[village]": "35.08.01.2001",
                "jurisdiction_id": "",
            },
        )
    else:
        response = post(client, key, fmt="json", jurisdiction_id="")
    assert response.status_code == 200, response.content
    [item] = response.json()
    complaint = Complaint.objects.get(public_id=item["service_request_id"])
    assert complaint.source == "open311" and complaint.agency.slug == "dinas-pupr"
    assert item["account_id"] is None and "Dinas" in item["service_notice"]


def test_the_reply_to_a_post_carries_the_short_reference_lists_do_not(client, cats, key):
    [item] = post(client, key, fmt="json").json()
    complaint = Complaint.objects.get(public_id=item["service_request_id"])
    assert item["short_ref"] == complaint.grouped_short_ref
    assert len(item["short_ref"]) == 9  # "K7QM-3XPA": read over the phone
    reply = xml(post(client, key))
    assert len(reply.findtext("./request/short_ref")) == 9
    # With the phone's last four digits it opens the report: never in a public list.
    listed = client.get(f"{BASE}requests/{complaint.public_id}.json").content.decode()
    assert complaint.public_id in listed and "short_ref" not in listed


def test_posting_with_a_wrong_or_missing_api_key_is_403_in_the_error_format(client, cats, cast):
    from balai.accounts.actions import create_token

    _, letters_only = create_token(cast.command_center, [Scope.LETTERS_READ], 30)
    for key in ("wrong", "", letters_only):
        response = post(client, key)
        assert response.status_code == 403
        root = xml(response)
        assert root.find("./error/code").text == "403"
    assert post(client, "wrong", fmt="json").json()[0]["code"] == 403
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"service_code": ""},
        {"description": ""},
        {"lat": "abc"},
        {"lat": "1.0", "long": "100.0"},
        {"attribute[village]": "35.09.01.2001"},
        {"attribute[village]": "35.08.01.2002"},
        {"attribute[village]": ""},
        {"attribute[privacy]": "secret"},
    ],
)
def test_bad_requests_are_400(client, cats, key, boundaries, fields):
    response = post(client, key, **fields)
    assert response.status_code == 400
    assert xml(response).find("./error/code").text == "400"


def test_a_foreign_jurisdiction_is_refused_and_ours_accepted(client, cats, key):
    assert post(client, key, jurisdiction_id="chicago.gov").status_code == 404
    assert post(client, key, jurisdiction_id="35.08").status_code == 200


def test_get_requests_shows_public_reports_with_sla_and_agency(client, cats, key, file_report):
    complaint, _ = file_report(description='<script>alert("x")</script> & co')
    file_report(privacy=Privacy.CONFIDENTIAL)
    root = xml(client.get(f"{BASE}requests.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == complaint.public_id
    assert request.findtext("status") == "open"
    assert request.findtext("description") == '<script>alert("x")</script> & co'
    assert request.findtext("agency_responsible") == cast_agency_name()
    expected = datetime.fromisoformat(request.findtext("expected_datetime"))
    assert expected.utcoffset() is not None
    assert request.findtext("requested_datetime").endswith("+07:00")
    data = client.get(f"{BASE}requests.json").json()
    assert data[0]["service_code"] == "jalan-rusak" and data[0]["lat"] == -8.25
    assert b"<script>" not in client.get(f"{BASE}requests.xml").content


def cast_agency_name():
    return "Dinas Pekerjaan Umum dan Penataan Ruang"


def test_get_requests_filters(client, cast, cats, file_report):
    from balai.complaints import actions

    road, _ = file_report()
    garbage, _ = file_report(category=cats.garbage)
    actions.verify_complaint(garbage, cast.command_center)
    actions.resolve_complaint(garbage, cast.other_agency_officer, "Diangkut.")

    def ids(query):
        return {r["service_request_id"] for r in client.get(f"{BASE}requests.json?{query}").json()}

    assert ids("service_code=sampah") == {garbage.public_id}
    assert ids("service_code=sampah,jalan-rusak") == {garbage.public_id, road.public_id}
    assert ids("status=closed") == {garbage.public_id}
    assert ids("status=open") == {road.public_id}
    assert ids(f"service_request_id={road.public_id}") == {road.public_id}
    assert ids("start_date=2000-01-01&end_date=2000-01-02") == set()
    assert client.get(f"{BASE}requests.json?status=maybe").status_code == 400


def test_get_one_request_and_its_token(client, cats, file_report):
    complaint, _ = file_report()
    root = xml(client.get(f"{BASE}requests/{complaint.public_id}.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        complaint.public_id
    ]
    data = client.get(f"{BASE}tokens/{complaint.public_id}.json").json()
    assert data == [{"service_request_id": complaint.public_id, "token": complaint.public_id}]


def test_confidential_reports_are_invisible_to_open311(client, cats, file_report):
    complaint, _ = file_report(privacy=Privacy.CONFIDENTIAL)
    assert client.get(f"{BASE}requests/{complaint.public_id}.json").status_code == 404


def test_anonymous_reports_show_no_identity(client, cats, file_report):
    complaint, _ = file_report(privacy=Privacy.ANONYMOUS, reporter_name="Rahasia Sekali")
    body = client.get(f"{BASE}requests/{complaint.public_id}.json").content.decode()
    assert "Rahasia" not in body and "siti@example.com" not in body


def test_a_posted_photo_is_stored_reencoded(client, cats, key):
    response = post(client, key, fmt="json", media=jpeg_upload(exif_gps=True))
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    [photo] = complaint.photos.all()
    assert b"PhoneMaker" not in photo.image.read()
    media = client.get(f"{BASE}requests/{complaint.public_id}.json").json()[0]["media_url"]
    assert media.endswith(f"/aduan/foto/{photo.public_id}/")


def test_a_non_image_media_file_is_refused(client, cats, key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = post(client, key, fmt="json", media=fake)
    assert response.status_code == 400
    assert "foto" in response.json()[0]["description"].lower()


def test_submission_is_audited(client, cats, key):
    post(client, key)
    assert AuditLog.objects.filter(action="complaint_submitted").count() == 1


def test_json_errors_are_a_bare_array(client, cats):
    data = json.loads(client.get(f"{BASE}requests/none.json").content)
    assert isinstance(data, list)


def test_submissions_per_api_key_are_limited_per_hour(client, cats, key, monkeypatch):
    from balai.complaints import open311

    monkeypatch.setattr(open311, "SUBMIT_PER_HOUR", 2)
    assert post(client, key).status_code == 200
    assert post(client, key).status_code == 200
    response = post(client, key)
    assert response.status_code == 400
    assert "Terlalu banyak" in xml(response).findtext("./error/description")


def test_revoked_expired_or_disabled_keys_get_403(client, cats, cast, key):
    from datetime import timedelta

    from django.utils import timezone

    from balai.accounts.models import ApiToken

    token = ApiToken.objects.get(user=cast.command_center)
    token.revoked_at = timezone.now()
    token.save()
    assert post(client, key).status_code == 403
    token.revoked_at = None
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert post(client, key).status_code == 403
    token.expires_at = timezone.now() + timedelta(days=1)
    token.save()
    cast.command_center.is_active = False
    cast.command_center.save()
    assert post(client, key).status_code == 403
    cast.command_center.is_active = True
    cast.command_center.save()
    assert post(client, key).status_code == 200


def test_get_requests_uses_a_fixed_number_of_queries(
    client, cats, file_report, django_assert_max_num_queries
):
    for i in range(12):
        file_report(photos=[jpeg_upload()] if i % 2 else [])
    # The per-IP read limit in the database cache, then one query for the list.
    with django_assert_max_num_queries(6):
        data = client.get(f"{BASE}requests.json").json()
    assert len(data) == 12 and sum(1 for r in data if r["media_url"]) == 6


def test_control_characters_in_a_stranger_s_text_never_break_the_xml_list(
    client, cats, file_report
):
    file_report(description="Lubang\x0bbesar\x01 di jalan \ufffe", address="RT 02\x08")
    root = xml(client.get(BASE + "requests.xml"))
    [item] = root.findall("request")
    assert item.findtext("description") == "Lubangbesar di jalan "
    assert item.findtext("address") == "RT 02"


@pytest.mark.parametrize(
    ("fields", "open311_name", "message"),
    [
        (
            {"phone": "bukan nomor"},
            "phone",
            "Nomor telepon tidak sah; tulis seperti 0812 3456 7890.",
        ),
        ({"email": "bukan-email"}, "email", None),
        ({"address_string": "x" * 201}, "address_string", None),
        ({"lat": "-8.25", "long": ""}, None, "Isi lintang dan bujur, atau kosongkan keduanya."),
        ({"lat": "1.0", "long": "100.0"}, "lat", "Titik ini berada di luar wilayah kabupaten."),
    ],
)
def test_a_post_is_checked_by_the_pages_report_form(
    client, cats, key, boundaries, fields, open311_name, message
):
    """Open311 goes through the page's ReportForm: its rules and words, Open311's names."""
    [error] = post(client, key, fmt="json", **fields).json()
    assert error["code"] == 400
    if open311_name:
        assert error["description"].startswith(f"{open311_name}: ")
    if message:
        assert message in error["description"]
    assert not Complaint.objects.exists()


def test_more_than_five_photos_are_refused_not_dropped(client, cats, key):
    photos = [jpeg_upload(f"f{i}.jpg") for i in range(6)]
    response = post(client, key, fmt="json", media=photos)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("media: ")
    assert not Complaint.objects.exists()


def test_an_unknown_service_code_stays_a_404(client, cats, key):
    response = post(client, key, fmt="json", service_code="tidak-ada")
    assert response.status_code == 404
    assert "service_code" in response.json()[0]["description"]


def test_a_post_checks_category_and_village_without_a_query(client, cats, key):
    """The form reads categories and villages from lookups' per-process copy, as
    submissions always did: a report is a handful of queries, not more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert post(client, key).status_code == 200  # warms the copies
    with CaptureQueriesContext(connection) as queries:
        assert post(client, key).status_code == 200
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert [s for s in selects if 'FROM "complaints_category"' in s] == []
    assert [s for s in selects if 'FROM "regions_village"' in s] == []
