"""Letters with their media on S3-compatible storage (a real S3 server on loopback)."""

import hashlib

from django.urls import reverse

from balai.letters import actions
from balai.letters.signing import verify_pdf


def test_a_signed_letter_is_stored_in_the_bucket_and_served_from_it(
    awaiting_signature, demo_pki, world, s3_media, client
):
    letter = actions.sign_request(awaiting_signature, world.head_a)
    assert letter.pdf.name in s3_media.names()
    stored = s3_media.read(letter.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == letter.sha256
    assert verify_pdf(stored).ok
    client.force_login(world.operator_a)
    response = client.get(reverse("letters:staff-pdf", args=[letter.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Length"] == str(len(stored))
