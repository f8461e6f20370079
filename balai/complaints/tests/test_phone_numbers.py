"""A reporter's number is kept and sent to the gateway in one form, not as typed."""

import json

import pytest
from django.core.cache import cache

from balai.complaints.models import Complaint


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()


def form_data(cast, **extra):
    return {
        "category": "jalan-rusak",
        "village": cast.village_a.code,
        "description": "Jalan berlubang di depan pasar.",
        "privacy": "public",
        **extra,
    }


def test_the_number_as_typed_reaches_the_gateway_in_the_one_form(
    client, cast, cats, settings, httpserver, django_capture_on_commit_callbacks
):
    settings.BALAI_MESSAGE_GATEWAY_URL = httpserver.url_for("/send")
    httpserver.expect_request("/send", method="POST").respond_with_json({"ok": True})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/aduan/lapor/", form_data(cast, reporter_phone="+62 812-3456-7890"))
    assert Complaint.objects.get().reporter_phone == "6281234567890"
    [(request, _)] = httpserver.log
    assert json.loads(request.data)["to"] == "6281234567890"


def test_a_number_that_is_not_one_is_refused_with_an_example(client, cast, cats):
    response = client.post("/aduan/lapor/", form_data(cast, reporter_phone="0812-34"))
    assert response.context["form"].errors["reporter_phone"] == [
        "Nomor telepon tidak sah; tulis seperti 0812 3456 7890."
    ]
    assert not Complaint.objects.exists()
