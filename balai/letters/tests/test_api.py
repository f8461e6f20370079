"""The letters API: the same rules as the pages."""

import base64
import uuid

import pytest

from balai.letters.models import LetterRequest, VillageLetterType
from balai.letters.tests.world import png_bytes, submit

API = "/api/v1"


def body(world, **overrides):
    data = {
        "village": world.village_a.code,
        "letter_type": "domisili",
        "nik": world.siti.nik,
        "no_kk": world.siti.family.no_kk,
        "birth_date": "1961-07-02",
        "purpose": "melamar pekerjaan",
        "phone": "081234567890",
        "idempotency_key": str(uuid.uuid4()),
        "documents": {
            key: {"name": f"{key}.png", "content_base64": base64.b64encode(png_bytes()).decode()}
            for key in ("ktp", "kk")
        },
    }
    data.update(overrides)
    return data


def test_it_lists_a_villages_letter_types(client, world):
    VillageLetterType.objects.filter(village=world.village_a, letter_type=world.usaha).update(
        enabled=False
    )
    response = client.get(f"{API}/villages/{world.village_a.code}/letter-types")
    codes = [t["code"] for t in response.json()]
    assert "domisili" in codes and "usaha" not in codes
    first = response.json()[0]
    assert {"classification", "requirements", "extra_fields", "validity_days"} <= set(first)
    assert (
        client.get(f"{API}/villages/{world.inactive_village.code}/letter-types").status_code == 404
    )


def test_a_request_by_api_returns_the_tracking_code_once(client, world):
    data = body(world)
    first = client.post(f"{API}/letter-requests", data, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post(f"{API}/letter-requests", data, content_type="application/json")
    assert again.status_code == 200
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert LetterRequest.objects.count() == 1


def test_the_short_reference_is_in_the_reply_the_status_and_the_staff_list(
    client, world, api_token
):
    created = client.post(f"{API}/letter-requests", body(world), content_type="application/json")
    req = LetterRequest.objects.get()
    assert created.json()["short_ref"] == req.grouped_short_ref
    assert len(req.grouped_short_ref) == 9  # "K7QM-3XPA": read over the phone
    status = client.get(f"{API}/letter-requests/{req.grouped_code}").json()
    assert status["short_ref"] == req.grouped_short_ref
    staff = client.get(
        f"{API}/letter-requests", headers=api_token(world.operator_a, "letters:read")
    ).json()
    assert [r["short_ref"] for r in staff["items"]] == [req.grouped_short_ref]


def test_api_field_errors_are_indonesian_problems(client, world):
    response = client.post(
        f"{API}/letter-requests", body(world, nik="123", phone=""), content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors["nik"] and errors["phone"]


def test_api_mismatch_gives_the_one_message(client, world):
    response = client.post(
        f"{API}/letter-requests",
        body(world, birth_date="1961-07-03"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "Data tidak cocok" in response.json()["errors"]["__all__"][0]


def test_api_refuses_an_inactive_village_or_switched_off_type(client, world):
    response = client.post(
        f"{API}/letter-requests",
        body(world, village=world.inactive_village.code),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "belum melayani" in response.json()["title"]
    VillageLetterType.objects.filter(village=world.village_a).update(enabled=False)
    response = client.post(f"{API}/letter-requests", body(world), content_type="application/json")
    assert response.status_code == 403


def test_public_status_has_no_personal_data(client, world):
    req = submit(world)
    response = client.get(f"{API}/letter-requests/{req.grouped_code}")
    data = response.json()
    assert data["status"] == "submitted"
    text = response.content.decode()
    assert "Siti" not in text and "SITI" not in text and world.siti.nik not in text
    assert client.get(f"{API}/letter-requests/{'B' * 28}").status_code == 404


def test_staff_list_needs_a_read_token_and_stays_in_the_village(client, world, api_token):
    mine, theirs = submit(world), submit(world, resident=world.budi)
    response = client.get(
        f"{API}/letter-requests?status=open", headers=api_token(world.operator_a, "letters:read")
    )
    ids = [r["id"] for r in response.json()["items"]]
    assert str(mine.uuid) in ids and str(theirs.uuid) not in ids
    assert client.get(f"{API}/letter-requests").status_code == 401
    wrong_scope = client.get(
        f"{API}/letter-requests", headers=api_token(world.operator_a, "residents:read")
    )
    assert wrong_scope.status_code == 403
    wrong_role = client.get(
        f"{API}/letter-requests", headers=api_token(world.agency_officer, "letters:read")
    )
    assert wrong_role.status_code == 403


def test_staff_list_queries_do_not_grow_with_rows(
    client, world, api_token, django_assert_max_num_queries
):
    for _ in range(10):
        submit(world)
    headers = api_token(world.operator_a, "letters:read")
    with django_assert_max_num_queries(10):  # token, throttle (one upsert), one list query
        assert len(client.get(f"{API}/letter-requests", headers=headers).json()["items"]) == 10


def test_staff_steps_by_api(client, world, api_token, demo_pki):
    req = submit(world)
    write = api_token(world.operator_a, "letters:write")
    url = f"{API}/letter-requests/{req.tracking_code}"
    assert client.post(f"{url}/verify", headers=write).json()["status"] == "awaiting_signature"
    assert client.post(f"{url}/sign", headers=write).status_code == 403  # operators do not sign
    head = api_token(world.head_a, "letters:write", "letters:read")
    signed = client.post(f"{url}/sign", headers=head).json()
    assert signed["status"] == "ready" and signed["letter"]["number"].startswith("470/001/")
    again = client.post(f"{url}/sign", headers=head)
    assert again.status_code == 409
    collect = client.post(
        f"{url}/collect", {"collected_by": "Siti"}, content_type="application/json", headers=write
    )
    assert collect.json()["status"] == "collected"
    letter_id = req.letter.public_id
    pdf = client.get(f"{API}/letters/{letter_id}/pdf", headers=head)
    assert pdf["Content-Type"] == "application/pdf"
    other = api_token(world.head_b, "letters:read")
    assert client.get(f"{API}/letters/{letter_id}/pdf", headers=other).status_code == 404


def test_staff_steps_need_the_write_scope_and_the_village(client, world, api_token):
    req = submit(world)
    url = f"{API}/letter-requests/{req.tracking_code}/verify"
    assert client.post(url, headers=api_token(world.operator_a, "letters:read")).status_code == 403
    assert client.post(url, headers=api_token(world.operator_b, "letters:write")).status_code == 404


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_and_reject_by_api_need_a_reason(client, world, api_token, action):
    req = submit(world)
    headers = api_token(world.operator_a, "letters:write")
    url = f"{API}/letter-requests/{req.tracking_code}/{action}"
    assert client.post(url, {}, content_type="application/json", headers=headers).status_code == 409
    ok = client.post(
        url, {"reason": "Foto KTP buram."}, content_type="application/json", headers=headers
    )
    assert ok.json()["reason"] == "Foto KTP buram."


def test_a_reused_idempotency_key_never_returns_another_residents_request(client, world):
    key = str(uuid.uuid4())
    data = body(world, idempotency_key=key)
    first = client.post(f"{API}/letter-requests", data, content_type="application/json")
    assert first.status_code == 201
    budi = body(
        world,
        idempotency_key=key,
        village=world.village_b.code,
        nik=world.budi.nik,
        no_kk=world.budi.family.no_kk,
        birth_date="1980-05-10",
    )
    other = client.post(f"{API}/letter-requests", budi, content_type="application/json")
    assert other.status_code not in (200, 201)
    assert first.json()["tracking_code"] not in other.content.decode()
    assert LetterRequest.objects.count() == 1


def test_a_document_that_is_not_base64_is_a_field_error(client, world):
    data = body(world)
    data["documents"]["ktp"]["content_base64"] = "not base64!"
    response = client.post(f"{API}/letter-requests", data, content_type="application/json")
    assert response.status_code == 422
    assert "base64" in response.json()["errors"]["syarat_ktp"][0]
    assert not LetterRequest.objects.exists()
