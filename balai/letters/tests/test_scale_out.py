"""Letters signed at once on two web processes behind nginx (docs/scale-out.md):
one letter per request, numbers unique and without gaps, every PDF stored."""

import hashlib

import pytest
from django.urls import reverse

from balai.core.tests.scaleout import Browser, at_once
from balai.letters import actions, pki
from balai.letters.models import Letter, NumberCounter
from balai.letters.tests.world import submit

pytestmark = pytest.mark.deployment


def test_two_processes_signing_at_once_number_letters_without_gaps(world, scaled_out, settings):
    site = scaled_out()
    # The web processes sign with the keys in their data folder.
    settings.DATA_DIR = site.data_dir
    pki.clear_signer_cache()
    pki.init_demo_pki([world.head_a])
    waiting = [actions.verify_request(submit(world), world.operator_a) for _ in range(12)]
    head = Browser(str(site.certificate))
    head.sign_in(site.url, world.head_a)
    # A third through nginx, a third straight to each web process, all at once.
    bases = [site.url, site.web[0].url, site.web[1].url] * 4

    def sign(pair):
        base, req = pair
        url = base + reverse("letters:staff-step", args=[req.uuid, "tandatangani"])
        return head.post(url, {}).status_code

    assert at_once(sign, zip(bases, waiting, strict=True), threads=12) == [302] * 12
    letters = list(Letter.objects.order_by("sequence"))
    assert [letter.sequence for letter in letters] == list(range(1, 13))
    assert len({letter.number for letter in letters}) == 12
    assert {letter.request_id for letter in letters} == {req.pk for req in waiting}
    assert NumberCounter.objects.get().last == 12
    for letter in letters:
        assert hashlib.sha256(letter.pdf.read()).hexdigest() == letter.sha256
