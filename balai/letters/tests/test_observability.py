"""A resident's letter request, the staff's search and signing, as the logs and metrics see them.

The logs must carry no trace of the NIK, KK number, phone, name, e-mail or
tracking code that travelled in the requests, even when an exception quotes one.
"""

import re

import pytest
from django.test import Client
from django.urls import path, reverse
from django_tasks import task

from balai.core.tests.test_metrics import TOKEN, sample, scrape
from balai.letters.choices import RequestStatus
from balai.letters.models import LetterRequest
from balai.letters.tests.test_request_page import form_data, url
from balai.urls import urlpatterns as site_urls

NIK, NO_KK, NAME, EMAIL = "3508014207610001", "3508010101090001", "Siti Wahyuni", "siti@contoh.id"
# The phone as typed, as stored, and every other way it is written.
PHONES = ("0812-3456-7890", "081234567890", "6281234567890", "+6281234567890", "81234567890")


def leaks(text: str, *secrets: str) -> list[str]:
    digits = re.sub(r"\D", "", text)
    found = [s for s in secrets if s in text]
    # Digits split by punctuation or spaces in the output would still be the NIK.
    return found + [s for s in (NIK, NO_KK, "81234567890") if s in digits and s not in found]


def quoting_view(request):
    raise ValueError(f'duplicate key value violates "nik" Key (nik)=({NIK}) for {NAME}')


urlpatterns = [path("gagal/", quoting_view), *site_urls]


@task()
def quoting_task() -> None:
    raise ValueError(f"resident {NIK} {NAME} tel {PHONES[2]}")


def test_a_request_with_a_nik_and_a_phone_leaves_no_trace_in_the_logs(
    client, world, login_as, log_output, settings
):
    response = client.post(url(world), form_data(client, world, email=EMAIL))
    assert response.status_code == 302, response.context["form"].errors
    req = LetterRequest.objects.get()
    assert client.get(response["Location"]).status_code == 200  # the tracking page
    client.get(f"{url(world)}?nik={NIK}&telepon={PHONES[0]}&nama={NAME}")
    login_as(world.operator_a)
    # A NIK in a search's query string is refused (400), but it has been sent.
    assert client.get(reverse("residents:list"), {"q": NIK}).status_code == 400
    assert client.post(reverse("residents:list"), {"q": NIK}).status_code == 200
    settings.ROOT_URLCONF = __name__
    assert Client(raise_request_exception=False).get(f"/gagal/?nik={NIK}").status_code == 500
    quoting_task.enqueue()

    text = log_output.getvalue()
    assert leaks(text, NIK, NO_KK, NAME, EMAIL, req.tracking_code, *PHONES) == []
    lines = log_output.lines()
    requests = [line for line in lines if line.get("event") == "request"]
    assert {line["view"] for line in requests} >= {"letters:request", "letters:track"}
    assert all(re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) for line in requests)
    assert any(r["role"] == "village_operator" and len(r["user"]) == 12 for r in requests)
    # The failures are there, by class and code location.
    failed = [line for line in lines if line.get("error") == "ValueError"]
    assert any(line["logger"] == "django.request" for line in failed)
    assert any(line.get("task") == f"{__name__}.quoting_task" for line in failed)
    assert all(line["stack"] for line in failed if "stack" in line)


def test_signing_is_timed(client, login_as, world, demo_pki, settings):
    from balai.letters import actions
    from balai.letters.tests.world import submit

    settings.BALAI_METRICS_TOKEN = TOKEN
    scraper = Client()
    req = actions.verify_request(submit(world), world.operator_a)
    before = sample(scrape(scraper), "balai_letter_sign_seconds_count")
    login_as(world.head_a)
    client.post(reverse("letters:staff-step", args=[req.uuid, "tandatangani"]))
    req.refresh_from_db()
    assert req.status == RequestStatus.READY
    after = scrape(scraper)
    assert sample(after, "balai_letter_sign_seconds_count") - before == 1
    assert sample(after, "balai_letter_sign_seconds_sum") > 0


pytestmark = pytest.mark.django_db
