"""A signed letter publishes letter.ready, naming the request by its staff UUID only."""

from balai.letters import actions
from balai.notifications.models import Event


def test_signing_publishes_letter_ready_without_the_tracking_code(
    awaiting_signature, demo_pki, world
):
    req = awaiting_signature
    actions.sign_request(req, world.head_a)
    event = Event.objects.get(kind="letter.ready")
    assert event.data["request"] == str(req.uuid)
    assert event.data["letter_type"] == req.letter_type.code
    assert event.village_id == req.village_id
    assert req.tracking_code not in repr(event.data)
