"""Nobody can lock a resident out by naming their NIK (issue 10.3), while a KK
and birth date (or a PIN) for a known NIK stay out of reach of a guesser."""

from django.test import Client

from balai.letters.identity import IDENTIFY
from balai.letters.models import LetterRequest
from balai.letters.tests.test_request_page import MISMATCH, form_data, url

TOO_MANY = "Terlalu banyak percobaan"


def attempt(client, world, address, **overrides):
    """One identification from `address`; the form's first non-field error or ''."""
    data = form_data(client, world, **overrides)
    response = client.post(url(world), data, REMOTE_ADDR=address)
    if response.status_code == 302:
        return ""
    errors = response.context["form"].non_field_errors()
    return errors[0] if errors else "invalid"


def test_a_strangers_failures_from_many_addresses_do_not_block_the_residents_device(
    world, settings
):
    settings.BALAI_LETTERS_IDENTIFY_NIK_RATE = "10/d"
    resident = Client()
    assert attempt(resident, world, "192.0.2.10") == ""  # a success: a trusted device
    assert IDENTIFY.cookie in resident.cookies
    for n in range(12):  # twelve addresses, one wrong birth date each
        attempt(Client(), world, f"198.51.100.{n}", birth_date="1999-01-01")
    # An untrusted client is stopped for this NIK now, even with the right data...
    assert TOO_MANY in attempt(Client(), world, "203.0.113.5")
    # ...but the resident's own phone still gets through, from a new address too.
    assert attempt(resident, world, "203.0.113.99") == ""
    assert LetterRequest.objects.count() == 2


def test_an_ipv6_64_counts_as_one_client(world):
    for n in range(1, 6):  # five addresses of one /64
        assert MISMATCH in attempt(Client(), world, f"2001:db8:1:1::{n}", birth_date="1999-01-01")
    assert TOO_MANY in attempt(Client(), world, "2001:db8:1:1:ffff::1")
    # Another /64 is another client: not blocked by the first one's failures.
    assert attempt(Client(), world, "2001:db8:1:2::1") == ""


def test_the_per_nik_limit_stops_a_distributed_guesser_at_its_threshold(world, settings):
    settings.BALAI_LETTERS_IDENTIFY_NIK_RATE = "10/d"
    for n in range(10):  # each from its own /64: the per-client limits never apply
        error = attempt(Client(), world, f"2001:db8:{n}::1", birth_date="1999-01-01")
        assert MISMATCH in error
    assert TOO_MANY in attempt(Client(), world, "2001:db8:99::1", birth_date="1961-07-03")
    assert TOO_MANY in attempt(Client(), world, "2001:db8:98::1")  # the right data too
    assert not LetterRequest.objects.exists()


def test_a_trusted_device_guessing_is_itself_limited(world, settings):
    settings.BALAI_LETTERS_IDENTIFY_DEVICE_RATE = "3/h"
    device = Client()
    assert attempt(device, world, "192.0.2.10") == ""
    for n in range(3):
        assert MISMATCH in attempt(device, world, f"192.0.2.{20 + n}", birth_date="1999-01-01")
    # Its own failures used up, the device counts as a stranger: per client again.
    for _ in range(5):
        attempt(device, world, "192.0.2.30", birth_date="1999-01-01")
    assert TOO_MANY in attempt(device, world, "192.0.2.30")


def test_the_device_cookie_does_not_carry_the_nik(world):
    client = Client()
    attempt(client, world, "192.0.2.10")
    assert world.siti.nik not in client.cookies[IDENTIFY.cookie].value


def test_a_submission_reads_every_limit_in_one_query_and_counts_in_one(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert attempt(client, world, "192.0.2.10") == ""
    counters = [q["sql"] for q in queries.captured_queries if "ratecounter" in q["sql"]]
    assert [sql.split()[0] for sql in counters] == ["SELECT", "INSERT"]
