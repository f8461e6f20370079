"""PostgreSQL restarted while heads sign letters through the API (a server of
the test's own: the machine's shared one is never restarted).

While it is away the API answers a 503 problem with Retry-After; clients retry.
Afterwards: every signature answered 200 has its letter and PDF, each
request has one letter, and the numbers run 1..N without a gap or a double.
"""

import hashlib
import json
import threading

import pytest
from django.db import connection

from balai.core.tests.faults import call, on_postgresql, wait_until
from balai.letters import actions, pki
from balai.letters.choices import RequestStatus
from balai.letters.models import Letter, LetterRequest
from balai.letters.tests.world import submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.deployment,
    pytest.mark.skipif(
        not on_postgresql(),
        reason="restarts a database server; SQLite is a file inside the process",
    ),
]

REQUESTS = 24


def test_a_postgresql_restart_during_signing_loses_nothing(
    private_postgres, world, demo_pki, deployment, api_token
):
    pending = [actions.verify_request(submit(world), world.operator_a) for _ in range(REQUESTS)]
    token = api_token(world.head_a, "letters:write")
    site = deployment(web=1, workers=0)
    (site.data_dir / "pki").symlink_to(pki.pki_dir())
    answers: dict[str, list] = {r.tracking_code: [] for r in pending}
    outage_answers: list[bytes] = []

    def traffic():
        # A client that retries what was not answered with success, as real ones do.
        for code in answers:
            while True:
                status, body = call(site, "POST", f"/api/v1/letter-requests/{code}/sign", token)
                answers[code].append(status)
                if status in (200, 409):
                    break
                if status == 503:
                    outage_answers.append(body)

    signing = threading.Thread(target=traffic)
    signing.start()
    wait_until(lambda: sum(200 in a for a in answers.values()) >= 4, "the first letters signed")
    private_postgres.stop()
    wait_until(lambda: outage_answers, "an answer while the database is away")
    private_postgres.start()
    signing.join(timeout=600)
    assert not signing.is_alive()
    connection.close()  # this process's own connection died with the server

    problem = json.loads(outage_answers[0])
    assert problem["status"] == 503 and "basis data" in problem["detail"].lower()

    for code, statuses in answers.items():
        assert set(statuses) <= {200, 409, 503}, (code, statuses)  # never a bare 500
        req = LetterRequest.objects.get(tracking_code=code)
        assert req.status == RequestStatus.READY, (code, statuses)
        if 200 in statuses:
            assert Letter.objects.filter(request=req).count() == 1
    letters = list(Letter.objects.order_by("sequence"))
    assert [letter.sequence for letter in letters] == list(range(1, REQUESTS + 1))
    assert len({letter.number for letter in letters}) == REQUESTS
    for letter in letters:
        assert hashlib.sha256(letter.pdf.read()).hexdigest() == letter.sha256
