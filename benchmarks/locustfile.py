"""The load mix of benchmarks/bench_load.py, for locust (run by it, not by hand).

Each kind of user comes in a fixed number and acts at a fixed pace
(constant_pacing), so the mix arrives at a steady rate whatever the answers'
speed; with LOAD_FLAT_OUT=1 every user acts again as soon as it is
answered (the 1-vs-2 web processes comparison). Every user connects from its
own loopback address (127.x.y.z), as residents come from many: the site's
per-address rate limits then count each apart, as in production.

What the users need (tracking codes, residents, requests awaiting signature,
tokens, passwords) is in the JSON file LOAD_PLAN, written by the
benchmark after seeding the database.
"""

import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, constant, constant_pacing, task
from requests.adapters import HTTPAdapter

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
FLAT_OUT = os.environ.get("LOAD_FLAT_OUT") == "1"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')

_addresses = itertools.count(int(os.environ.get("LOAD_ADDRESS_BASE", "0")))
_residents = iter(PLAN["residents"])
_to_sign = iter(PLAN["to_sign"])
_tracked = itertools.cycle(PLAN["letter_codes"])
_complaint_keys = itertools.cycle(PLAN["complaint_codes"])


def pace(seconds: float):
    return constant(0) if FLAT_OUT else constant_pacing(seconds)


class FromOwnAddress(HTTPAdapter):
    def __init__(self, address: str, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Visitor(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.verify = PLAN["certificate"]
        # As a browser's form posts do: Django checks it on https.
        self.client.headers["Origin"] = self.host
        self.new_address()

    def new_address(self) -> None:
        """Connect from the next loopback address (127.10.0.1, 127.10.0.2, ...)."""
        n = next(_addresses)
        address = f"127.{10 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}"
        self.client.mount("https://", FromOwnAddress(address))

    def csrf_of(self, html: str) -> str:
        found = CSRF.search(html)
        assert found, "no CSRF token on the page"
        return found.group(1)


class LetterTracker(Visitor):
    """A resident opens their letter request's tracking page."""

    fixed_count = 8
    wait_time = pace(2)

    @task
    def track(self) -> None:
        self.client.get(f"/surat/lacak/{next(_tracked)}/", name="resident: track letter")


class ComplaintTracker(Visitor):
    fixed_count = 4
    wait_time = pace(2)

    @task
    def track(self) -> None:
        self.client.get(f"/aduan/lacak/{next(_complaint_keys)}/", name="resident: track complaint")


class LetterApplicant(Visitor):
    """Identifies with NIK, KK and birth date, submits, lands on the tracking page."""

    fixed_count = 8
    wait_time = pace(20)

    @task
    def apply(self) -> None:
        self.new_address()  # each submission is another resident, on their own phone
        nik, no_kk, birth = next(_residents)
        path = PLAN["letter_form"]
        page = self.client.get(path, name="resident: letter form")
        key = IDEMPOTENCY.search(page.text)
        data = {
            "csrfmiddlewaretoken": self.csrf_of(page.text),
            "idempotency_key": key.group(1) if key else "",
            "nik": nik,
            "no_kk": no_kk,
            "birth_date": birth,
            "purpose": "persyaratan melamar pekerjaan",
            "phone": "0812-3456-7890",
            "email": "",
        }
        with self.client.post(
            path, data, name="resident: submit letter", catch_response=True
        ) as answer:
            if "/surat/lacak/" not in answer.url:
                answer.failure(f"not submitted: {answer.status_code} {answer.url}")


class Complainant(Visitor):
    """Picks a category and a village, then files the report (the web form's two steps)."""

    fixed_count = 6
    wait_time = pace(60)

    @task
    def report(self) -> None:
        self.new_address()
        where = {"category": PLAN["category"], "village": PLAN["village"]}
        page = self.client.get("/aduan/lapor/", params=where, name="resident: complaint form")
        data = {
            **where,
            "csrfmiddlewaretoken": self.csrf_of(page.text),
            "description": "Jalan berlubang di depan pasar, sudah dua minggu.",
            "privacy": "public",
            "reporter_phone": "0812-3456-7890",
        }
        with self.client.post(
            "/aduan/lapor/", data, name="resident: submit complaint", catch_response=True
        ) as answer:
            if "/aduan/lacak/" not in answer.url:
                answer.failure(f"not filed: {answer.status_code} {answer.url}")


class Staff(Visitor):
    abstract = True
    username = ""

    def on_start(self) -> None:
        super().on_start()
        page = self.client.get("/akun/masuk/", name="staff: sign-in page")
        data = {
            "csrfmiddlewaretoken": self.csrf_of(page.text),
            "username": self.username,
            "password": PLAN["password"],
        }
        answer = self.client.post("/akun/masuk/", data, name="staff: sign in")
        assert "/akun/masuk/" not in answer.url, f"{self.username} could not sign in"


class LetterClerk(Staff):
    """The village operator's queue of letter requests."""

    fixed_count = 2
    username = "operator"
    wait_time = pace(3)

    @task
    def queue(self) -> None:
        self.client.get("/surat/staf/", name="staff: letter queue")


class AgencyOfficer(Staff):
    """The agency's queue of complaints."""

    fixed_count = 2
    username = "opd"
    wait_time = pace(3)

    @task
    def queue(self) -> None:
        self.client.get("/aduan/staf/", name="staff: complaint queue")


class Signer(Staff):
    """The village head opens a request awaiting signature and signs it."""

    fixed_count = 1
    username = "kades"
    wait_time = pace(2)

    @task
    def sign(self) -> None:
        uuid = next(_to_sign, None)
        if uuid is None:  # all signed: the queue, like a head with nothing left
            self.client.get("/surat/staf/", name="staff: letter queue")
            return
        page = self.client.get(f"/surat/staf/permohonan/{uuid}/", name="staff: request page")
        with self.client.post(
            f"/surat/staf/permohonan/{uuid}/tandatangani/",
            {"csrfmiddlewaretoken": self.csrf_of(page.text)},
            name="staff: sign letter",
            catch_response=True,
        ) as answer:
            if "Surat ditandatangani" not in answer.text:
                answer.failure(f"not signed: {answer.status_code}")


class ApiReader(Visitor):
    """A national programme reading the regency through the API with its token."""

    fixed_count = 3
    wait_time = pace(1)

    @task
    def letters(self) -> None:
        self.client.get(
            "/api/v1/letter-requests?status=open",
            headers={"Authorization": f"Bearer {PLAN['letters_token']}"},
            name="api: letter requests",
        )

    @task
    def complaints(self) -> None:
        self.client.get(
            "/api/v1/complaints",
            headers={"Authorization": f"Bearer {PLAN['complaints_token']}"},
            name="api: complaints",
        )


class Open311Client(Visitor):
    """A partner app posting reports through Open311 GeoReport v2."""

    fixed_count = 2
    wait_time = pace(4)

    @task
    def post(self) -> None:
        self.client.post(
            "/open311/v2/requests.json",
            {
                "api_key": PLAN["open311_key"],
                "service_code": PLAN["category"],
                "description": "Lampu jalan mati di depan sekolah.",
                "lat": "-8.133",
                "long": "113.224",
                "attribute[village]": PLAN["village"],
            },
            name="open311: post request",
        )
