"""The demo step: types on in the onboarded villages, requests in each state, idempotent."""

import datetime as dt
import io

from balai.accounts.choices import Role
from balai.letters import demo, pki
from balai.letters.choices import RequestStatus
from balai.letters.models import Letter, LetterRequest, VillageLetterType
from balai.letters.tests.world import make_resident
from conftest import make_user


def test_the_demo_makes_requests_in_each_state_once(cast, data_dir):
    head = make_user("kades", Role.VILLAGE_HEAD, village=cast.village_a)
    make_user("operator", Role.VILLAGE_OPERATOR, village=cast.village_a)
    pki.init_demo_pki([head])
    for i in range(7):
        make_resident(
            cast.village_a,
            f"35080142076100{i:02d}",
            f"35080101010900{i:02d}",
            name=f"Warga {i}",
            birth=dt.date(1961, 7, 2),
        )
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert VillageLetterType.objects.filter(village=cast.village_a, enabled=True).count() >= 12
    assert not VillageLetterType.objects.filter(village=cast.inactive_village).exists()
    statuses = set(LetterRequest.objects.values_list("status", flat=True))
    assert {
        RequestStatus.SUBMITTED,
        RequestStatus.AWAITING_SIGNATURE,
        RequestStatus.RETURNED,
        RequestStatus.READY,
        RequestStatus.COLLECTED,
        RequestStatus.REJECTED,
    } <= statuses
    assert LetterRequest.objects.count() == 7
    assert Letter.objects.count() == 3
