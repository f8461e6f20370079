"""Balai scaled out on loopback, as docs/scale-out.md lays it out (a pytest plugin,
loaded by the root conftest).

`scaled_out(web=2, workers=2, **env)` starts the production layout of
balai/core/tests/deployment.py (nginx with the shipped configuration in front
of the web processes) with Redis for the cache, the sessions and the task
queue (RQ workers), on the test's database. The test process queues tasks in
the same Redis (`rq_settings`).

`Browser` is a small HTTP client that keeps its cookies itself, so one session
can be carried from nginx (https) to a web process's own plain address.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest
import requests

PASSWORD = "correct horse battery"


@pytest.fixture
def scaled_out(deployment, rq_settings, redis_url, settings) -> Callable:

    def start(*, web: int = 2, workers: int = 2, **env: str):
        return deployment(
            web=web,
            workers=workers,
            env={
                "BALAI_REDIS_URL": redis_url,
                "BALAI_TASKS_BACKEND": "rq",
                "BALAI_TASKS_REDIS_URL": redis_url,
                **env,
            },
        )

    return start


class Browser:
    """One visitor: its cookies, sent to whichever address it is pointed at."""

    def __init__(self, verify) -> None:
        self.cookies: dict[str, str] = {}
        self.verify = verify

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method,
            url,
            headers=headers,
            allow_redirects=False,
            timeout=120,
            verify=self.verify,
            **kwargs,
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, data: dict, **kwargs) -> requests.Response:
        # CSRF: the token of the cookie; the Referer that https requests must carry.
        base = url.split("/", 3)[:3]
        headers = {"Referer": "/".join(base) + "/", **kwargs.pop("headers", {})}
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.request("POST", url, data=form, headers=headers, **kwargs)

    def sign_in(self, base: str, user) -> None:
        """Sign `user` in through the login form at `base`."""
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        self.get(f"{base}/akun/masuk/")
        form = {"username": user.username, "password": PASSWORD}
        answer = self.post(f"{base}/akun/masuk/", form)
        assert answer.status_code == 302, answer.text[-2000:]


def at_once(work: Callable, items: Iterable, threads: int = 8) -> list:
    """Run work(item) for every item from `threads` threads together; results in order."""
    items = list(items)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, items))


def fresh_window(seconds: int, margin: float = 120) -> None:
    """Wait, if need be, until the current fixed window of `seconds` has at least
    `margin` seconds left, so that a test's requests all count in one window."""
    while seconds - time.time() % seconds < margin:
        time.sleep(1)
