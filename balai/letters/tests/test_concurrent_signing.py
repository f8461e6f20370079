"""Heads signing at once: one letter per request, numbers without gaps or duplicates.

Real threads, each with its own database connection, on whichever database the
run uses (SQLite or PostgreSQL).
"""

import threading

import pytest
from django.db import connection

from balai.letters import actions
from balai.letters.models import Letter, NumberCounter
from balai.letters.tests.world import submit

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(target, args_list):
    results, errors = [], []
    barrier = threading.Barrier(len(args_list))

    def work(*args):
        try:
            barrier.wait()
            results.append(target(*args))
        except Exception as exc:  # collected and checked by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_heads_signing_the_same_request_make_one_letter(world, demo_pki):
    from balai.accounts.choices import Role
    from conftest import make_user

    second_head = make_user("wakil_a", Role.VILLAGE_HEAD, village=world.village_a)
    from balai.letters import pki

    pki.init_demo_pki([second_head])
    req = actions.verify_request(submit(world), world.operator_a)
    results, errors = run_in_threads(
        actions.sign_request, [(req, world.head_a), (req, second_head)]
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], actions.Refused), errors
    assert Letter.objects.count() == 1
    assert NumberCounter.objects.get().last == 1


def test_heads_signing_many_requests_at_once_get_consecutive_numbers(world, demo_pki):
    requests = [actions.verify_request(submit(world), world.operator_a) for _ in range(8)]
    _results, errors = run_in_threads(actions.sign_request, [(r, world.head_a) for r in requests])
    assert errors == []
    sequences = sorted(Letter.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 9))
    assert len(set(Letter.objects.values_list("number", flat=True))) == 8
    assert NumberCounter.objects.get().last == 8
