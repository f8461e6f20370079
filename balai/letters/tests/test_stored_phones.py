"""Request phone numbers kept before balai.lib.phones are rewritten in its one
stored form (migration 0006); what it cannot read stays as typed."""

from balai.core.tests.migrations import run_python
from balai.letters.models import LetterRequest
from balai.letters.tests.world import submit

TYPED = {
    "0812-3456-7890": "6281234567890",
    "+62 812 3456 7890": "6281234567890",
    "(0334) 881234": "62334881234",
    "0812 345": "0812 345",  # too short to be a number: kept
    "": "",
}


def test_request_phones_are_rewritten_in_the_stored_form(world):
    requests = {typed: submit(world) for typed in TYPED}
    for typed, req in requests.items():
        LetterRequest.objects.filter(pk=req.pk).update(phone=typed)

    run_python("letters", "0006_normalise_phones", "normalise_phones")

    for typed, req in requests.items():
        req.refresh_from_db()
        assert req.phone == TYPED[typed]
