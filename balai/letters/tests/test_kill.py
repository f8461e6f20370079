"""The web process killed (SIGKILL) in the middle of signing, just before the
transaction commits: no letter, no burnt number, no PDF left once swept; the
next signature takes the same number (docs/faults.md)."""

import datetime as dt
import hashlib
import threading

import pytest

from balai.core.media import sweep_orphans
from balai.core.tests.processes import request
from balai.letters import actions
from balai.letters.choices import RequestStatus
from balai.letters.models import Letter, NumberCounter
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
