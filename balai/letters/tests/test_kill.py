"""The web process killed (SIGKILL) in the middle of signing, just before the
transaction commits: no letter, no burnt number, no PDF left once swept; the
next signature takes the same number (docs/faults.md)."""

import datetime as dt
import hashlib
import random
import threading
import time

import pytest

from balai.core.media import sweep_orphans
from balai.core.tests.processes import request
from balai.letters import actions
from balai.letters.choices import RequestStatus
from balai.letters.models import Letter, LetterRequest, NumberCounter
from balai.letters.tests.world import submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_web_process_killed_while_signing_leaves_no_trace(
    world, demo_pki, processes, api_token, settings
):
    req = actions.verify_request(submit(world), world.operator_a)
    token = api_token(world.head_a, "letters:write")
    port = processes.web(pause_at="letters.sign.before-commit")
    path = f"/api/v1/letter-requests/{req.tracking_code}/sign"
    answers = []

    signing = threading.Thread(target=lambda: answers.append(request(port, "POST", path, token)[0]))
    signing.start()
    processes.kill(processes.paused("letters.sign.before-commit"))
    signing.join(timeout=300)
    assert answers and not (isinstance(answers[0], int) and answers[0] < 500), answers

    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_SIGNATURE
    assert not Letter.objects.exists()
    assert not NumberCounter.objects.filter(last__gt=0).exists()
    media = settings.MEDIA_ROOT
    written = list((media / "letters" / "issued").rglob("*.pdf"))
    assert len(written) == 1  # the PDF is written before the row: complete, named by no row
    assert sweep_orphans(dt.timedelta(0)) == written

    port = processes.web()  # a fresh process, no pause
    assert request(port, "POST", path, token)[0] == 200
    letter = Letter.objects.get()
    assert letter.sequence == 1
    assert hashlib.sha256(letter.pdf.read()).hexdigest() == letter.sha256


def test_web_workers_killed_at_random_while_signing_lose_nothing(
    world, demo_pki, processes, api_token, settings
):
    """Kill at random points, repeatedly, under traffic: whatever the moment,
    each request ends with one letter and its PDF, and the numbers run 1..N."""
    count = 16
    pending = [actions.verify_request(submit(world), world.operator_a) for _ in range(count)]
    token = api_token(world.head_a, "letters:write")
    port = processes.web(workers=2)
    answers: dict[str, list] = {r.tracking_code: [] for r in pending}
    done = threading.Event()

    def traffic():
        for code in answers:
            while True:
                status = request(port, "POST", f"/api/v1/letter-requests/{code}/sign", token)[0]
                answers[code].append(status)
                if status in (200, 409):
                    break
                time.sleep(0.1)  # the master is forking a new worker
        done.set()

    signing = threading.Thread(target=traffic)
    signing.start()
    chance = random.Random()
    kills = 0
    while not done.wait(chance.uniform(0.2, 1.5)):
        workers = processes.web_workers()
        if workers:
            processes.kill(chance.choice(workers))
            kills += 1
    signing.join()
    assert kills >= 1

    for code, statuses in answers.items():
        assert {s for s in statuses if isinstance(s, int)} <= {200, 409}, (code, statuses)
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
