"""Pages and API say one thing: the queue's filters, a status's next step, the
download rule (issue 9.5)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.letters import actions
from balai.letters.choices import RequestStatus
from balai.letters.models import LetterRequest, VillageLetterSettings
from balai.letters.tests.world import submit

API = "/api/v1"


@pytest.fixture
def mixed(world):
    """Requests of village A in several statuses, changed at crossing times."""
    now = timezone.now()
    statuses = [
        RequestStatus.SUBMITTED,
        RequestStatus.RETURNED,
        RequestStatus.RETURNED,
        RequestStatus.REJECTED,
        RequestStatus.SUBMITTED,
    ]
    for n, status in enumerate(statuses):
        req = submit(world)
        LetterRequest.objects.filter(pk=req.pk).update(
            status=status,
            submitted_at=now - dt.timedelta(hours=n),
            status_changed_at=now - dt.timedelta(hours=10 - n),
            due_at=now + dt.timedelta(days=n % 3, hours=n),
        )


@pytest.mark.parametrize("status", ["open", "returned", "", "no-such-status"])
def test_the_queue_page_and_the_api_list_the_same_requests_in_one_order(
    client, login_as, world, api_token, mixed, status
):
    headers = api_token(world.operator_a, "letters:read")
    api = client.get(f"{API}/letter-requests", {"status": status}, headers=headers).json()["items"]
    login_as(world.operator_a)
    page = client.get(reverse("letters:staff-queue"), {"status": status}).context["page"]
    assert [r["id"] for r in api] == [str(r.uuid) for r in page]


@pytest.mark.parametrize("status", RequestStatus.values)
def test_the_api_and_the_tracking_page_give_one_next_step(client, world, status):
    req = submit(world)
    LetterRequest.objects.filter(pk=req.pk).update(
        status=status,
        return_reason="Foto KK buram.",
        reject_reason="Bukan warga desa.",
        collected_at=timezone.now(),
    )
    page = client.get(reverse("letters:track", args=[req.tracking_code])).context["next_step"]
    api = client.get(f"{API}/letter-requests/{req.tracking_code}").json()["next_step"]
    assert api == page


@pytest.fixture
def letter(world, demo_pki):
    req = actions.verify_request(submit(world), world.operator_a)
    return actions.sign_request(req, world.head_a)


@pytest.mark.parametrize(
    ("allows", "revoked", "status", "offered"),
    [
        (True, False, RequestStatus.READY, True),
        (True, False, RequestStatus.COLLECTED, True),
        (False, False, RequestStatus.READY, False),
        (True, True, RequestStatus.READY, False),
        (True, False, RequestStatus.RETURNED, False),
    ],
)
def test_the_tracking_page_offers_the_download_exactly_when_the_download_page_serves_it(
    client, world, letter, allows, revoked, status, offered
):
    VillageLetterSettings.objects.filter(village=world.village_a).update(allows_download=allows)
    if revoked:
        actions.revoke_letter(letter, world.head_a, "Salah data.")
    LetterRequest.objects.filter(pk=letter.request_id).update(status=status)
    code = letter.request.tracking_code
    track = client.get(reverse("letters:track", args=[code]))
    download = client.get(reverse("letters:download", args=[code]))
    assert track.context["can_download"] is offered
    assert (download.status_code == 200) is offered
