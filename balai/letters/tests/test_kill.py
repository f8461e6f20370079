"""The web process killed (SIGKILL) while signing, in the production layout
(nginx in front, balai/core/tests/deployment.py): no letter without its PDF,
no number burnt or given twice, no PDF left once swept (docs/faults.md)."""

import datetime as dt
import hashlib
import os
import random
import signal
import threading

import pytest

from balai.core.media import sweep_orphans
from balai.core.tests.faults import call, pause_env, paused
from balai.letters import actions, pki
from balai.letters.choices import RequestStatus
from balai.letters.models import Letter, LetterRequest, NumberCounter
from balai.letters.tests.world import submit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.deployment]

STEP = "letters.sign.before-commit"


def sign_path(req_or_code) -> str:
    code = getattr(req_or_code, "tracking_code", req_or_code)
    return f"/api/v1/letter-requests/{code}/sign"


def share_pki(site) -> None:
    """The processes sign with the test's demo PKI."""
    (site.data_dir / "pki").symlink_to(pki.pki_dir())


def test_a_web_process_killed_while_signing_leaves_no_trace(
    world, demo_pki, deployment, api_token, settings, tmp_path
):
    req = actions.verify_request(submit(world), world.operator_a)
    token = api_token(world.head_a, "letters:write")
    pauses = tmp_path / "pauses"
    site = deployment(web=1, workers=0, env=pause_env(pauses, STEP))
    share_pki(site)
    answers = []
    signing = threading.Thread(
        target=lambda: answers.append(call(site, "POST", sign_path(req), token))
    )
    signing.start()
    os.kill(paused(pauses, STEP), signal.SIGKILL)  # the gunicorn worker, in the transaction
    signing.join()
    assert answers[0][0] == 502  # nginx: the process went away; not a success

    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_SIGNATURE
    assert not Letter.objects.exists()
    assert not NumberCounter.objects.filter(last__gt=0).exists()
    written = list((settings.MEDIA_ROOT / "letters" / "issued").rglob("*.pdf"))
    assert len(written) == 1  # the PDF is written before the row: complete, named by no row
    assert sweep_orphans(dt.timedelta(0)) == written

    web = site.web[0]
    web.kill()
    web.env = {**site.env, "BALAI_PAUSE_AT": ""}
    web.start()
    assert call(site, "POST", sign_path(req), token)[0] == 200
    letter = Letter.objects.get()
    assert letter.sequence == 1
    assert hashlib.sha256(letter.pdf.read()).hexdigest() == letter.sha256


def kill_at_random(processes, done: threading.Event, times: int) -> int:
    """SIGKILL one of `processes` now and then until `done` (at most `times`),
    starting it again at once, as systemd would; the others serve meanwhile."""
    chance = random.Random()
    kills = 0
    while kills < times and not done.wait(chance.uniform(0.2, 1.5)):
        victim = chance.choice(processes)
        victim.kill()
        kills += 1
        victim.start()  # returns once it answers again
    return kills


def test_web_processes_killed_at_random_while_signing_lose_nothing(
    world, demo_pki, deployment, api_token, settings
):
    """Kill at random moments, repeatedly, under traffic through nginx: whatever
    the moment, each request ends with one letter and its PDF, numbers 1..N."""
    count = 16
    pending = [actions.verify_request(submit(world), world.operator_a) for _ in range(count)]
    token = api_token(world.head_a, "letters:write")
    site = deployment(web=2, workers=0)
    share_pki(site)
    answers: dict[str, list] = {r.tracking_code: [] for r in pending}
    done = threading.Event()

    def traffic():
        # A client that sends again what got no success, as real ones do.
        for code in answers:
            while True:
                status = call(site, "POST", sign_path(code), token)[0]
                answers[code].append(status)
                if status in (200, 409):
                    break
        done.set()

    signing = threading.Thread(target=traffic)
    signing.start()
    assert kill_at_random(site.web, done, times=6) >= 1
    signing.join()

    for code, statuses in answers.items():
        # 502/504: nginx lost the process; never a 500.
        assert set(statuses) <= {200, 409, 502, 504}, (code, statuses)
        req = LetterRequest.objects.get(tracking_code=code)
        assert req.status == RequestStatus.READY, (code, statuses)
        assert Letter.objects.filter(request=req).count() == 1
    letters = list(Letter.objects.order_by("sequence"))
    assert [letter.sequence for letter in letters] == list(range(1, count + 1))
    for letter in letters:
        assert hashlib.sha256(letter.pdf.read()).hexdigest() == letter.sha256
    sweep_orphans(dt.timedelta(0))  # PDFs of signatures killed before their commit
    issued = sorted(str(p) for p in (settings.MEDIA_ROOT / "letters" / "issued").rglob("*.pdf"))
    assert issued == sorted(letter.pdf.path for letter in letters)
