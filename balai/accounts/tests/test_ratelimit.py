"""The one rate-limit mechanism: exact across processes, /64 for IPv6, rates as
django-ratelimit writes them."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from balai.accounts import ratelimit
from balai.accounts.models import RateCounter


def request_from(address: str, method: str = "POST"):
    return RequestFactory().generic(method, "/", REMOTE_ADDR=address)


def test_rates_read_as_django_ratelimit_writes_them():
    assert ratelimit.parse("5/h") == (5, 3600)
    assert ratelimit.parse("20/15m") == (20, 900)
    assert ratelimit.parse("50/d") == (50, 86400)
    with pytest.raises(ValueError):
        ratelimit.parse("5 per hour")


def test_an_ipv6_64_is_one_client_and_an_ipv4_address_is_one_client():
    one = ratelimit.client_key(request_from("2001:db8:1:2:aaaa::1"))
    assert one == ratelimit.client_key(request_from("2001:db8:1:2:ffff:1:2:3"))
    assert one != ratelimit.client_key(request_from("2001:db8:1:3::1"))
    assert ratelimit.client_key(request_from("192.0.2.1")) == "192.0.2.1"
    assert ratelimit.client_key(request_from("192.0.2.1")) != ratelimit.client_key(
        request_from("192.0.2.2")
    )
    assert ratelimit.client_key(request_from("::ffff:192.0.2.1")) == "192.0.2.1"


@pytest.mark.django_db
def test_a_key_is_over_its_rate_after_exactly_that_many_events():
    assert [ratelimit.hit("g", "k", "3/h") for _ in range(5)] == [False] * 3 + [True] * 2
    assert ratelimit.hit("g", "other", "3/h") is False  # keys count apart
    assert ratelimit.hit("other-group", "k", "3/h") is False  # and groups


@pytest.mark.django_db
def test_checking_counts_nothing_and_reads_every_limit_in_one_query(django_assert_num_queries):
    for _ in range(2):
        ratelimit.hit("b", "k", "2/h")
    with django_assert_num_queries(1):
        assert ratelimit.reached(("a", "k", "2/h"), ("b", "k", "2/h")) == 1
    with django_assert_num_queries(1):
        assert ratelimit.usage(("a", "k", "2/h"), ("b", "k", "2/h")) == [0, 2]


@pytest.mark.django_db
def test_is_ratelimited_takes_django_ratelimits_arguments():
    req = request_from("2001:db8::1")
    results = [
        ratelimit.is_ratelimited(req, group="t", key="ip", rate="2/m", increment=True)
        for _ in range(3)
    ]
    assert results == [False, False, True]
    same_64 = request_from("2001:db8::2")
    assert ratelimit.is_ratelimited(same_64, group="t", key="ip", rate="2/m")
    get = request_from("2001:db8::1", method="GET")
    assert not ratelimit.is_ratelimited(get, group="t", rate="2/m", method="POST", increment=True)


@pytest.mark.django_db
def test_the_decorator_blocks_over_the_rate():
    @ratelimit.ratelimit(key="ip", rate="1/m")
    def view(request):
        return "ok"

    assert view(request_from("192.0.2.9")) == "ok"
    with pytest.raises(ratelimit.Ratelimited):
        view(request_from("192.0.2.9"))


@pytest.mark.django_db
def test_closed_windows_are_pruned():
    RateCounter.objects.create(key="old", window_end=1, count=3)
    ratelimit.hit("g", "k", "3/h")
    assert ratelimit.prune() == 1
    assert list(RateCounter.objects.values_list("count", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_limits_stay_exact_when_many_connections_hit_one_key_at_once() -> None:
    """Four threads, each with its own database connection (as two gunicorn
    workers have), hit one key 25 times each: exactly `limit` pass."""
    limit, threads, each = 30, 4, 25
    passed: list[bool] = []
    lock, start = threading.Lock(), threading.Barrier(threads)

    def worker():
        try:
            start.wait()
            mine = [not ratelimit.hit("race", "one-key", f"{limit}/h") for _ in range(each)]
            with lock:
                passed.extend(mine)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert len(passed) == threads * each
    assert sum(passed) == limit
    assert ratelimit.usage(("race", "one-key", f"{limit}/h")) == [threads * each]
