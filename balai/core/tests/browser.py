"""Browser fixtures: Playwright (sync API) driving Debian's chromium on a phone.

Loaded for every app through the root conftest. A test asks for `page` (a
fresh 360x740 tab pointed at pytest-django's `live_server`, through
`page.goto(url("..."))` or `browser_url`) and, for staff journeys,
`browser_login(page, user)`, which signs in through the real login form (and
the TOTP step for roles that need it). Mark such tests `@pytest.mark.browser`.

Where no chromium is installed these tests skip with a message saying so, and
fail when CI=true (.ci/run installs it).
"""

import os
from collections.abc import Callable

import pytest

from balai.core.tests.tools import missing_tool

VIEWPORT = {"width": 360, "height": 740}
PASSWORD = "correct horse battery"  # the cast's password (root conftest.py)
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    return os.environ.get("BALAI_CHROMIUM", "/usr/bin/chromium")


def chromium_missing_reason() -> str | None:
    chromium = chromium_path()
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        return (
            f"browser test skipped: no chromium at {chromium} "
            "(apt-get install chromium, or set BALAI_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser test skipped: the playwright package is not installed (make install)"
    return None


def need_chromium() -> str:
    """Chromium's path; skips the test without it (fails it in CI)."""
    reason = chromium_missing_reason()
    if reason:
        missing_tool(reason)
    return chromium_path()


@pytest.fixture(scope="session")
def _playwright_browser(tmp_path_factory):
    """One chromium per test process (xdist worker), with its own profile."""
    chromium = need_chromium()
    # The sync API runs an event loop in this thread; Django's ORM refuses to
    # run beside one unless told it is safe (it is: the loop only waits here).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # Playwright refuses --user-data-dir on launch(): it gives every launch a
    # fresh temporary profile of its own, removed on close. TMPDIR points it
    # at this run's temporary directory.
    tmpdir = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmp_path_factory.mktemp("chromium"))
    with sync_playwright() as playwright:
        if tmpdir is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = tmpdir
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_url(live_server):
    """`browser_url("/akun/masuk/")` is that path on the live server."""
    return lambda path="/": live_server.url + path


@pytest.fixture
def page(_playwright_browser, live_server):
    """A fresh phone-sized tab (own cookies) on the live server; fails on server errors."""
    from django.core.cache import cache

    # Cached values live in the cache table, which the database flush between
    # transactional tests does not empty.
    cache.clear()
    server_errors: list[str] = []
    context, tab = phone_tab(_playwright_browser, live_server.url, server_errors)
    yield tab
    context.close()
    assert not server_errors, f"server errors during the journey: {server_errors}"


def phone_tab(browser, base_url: str, server_errors: list[str], timeout_ms=15_000, **options):
    """A new context (own cookies) and its phone-sized tab on base_url; the URL of any
    5xx response is appended to server_errors."""
    context = browser.new_context(
        viewport=VIEWPORT,
        base_url=base_url,
        locale="id-ID",
        is_mobile=True,
        has_touch=True,
        **options,
    )
    context.set_default_timeout(timeout_ms)
    tab = context.new_page()
    tab.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    return context, tab


def totp_code(device) -> str:
    """The current code of a TOTP device, computed from its key as a phone app would."""
    from django_otp.oath import totp

    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(value).zfill(device.digits)


def log_in(page, user, password=PASSWORD):
    """Sign in through the real login form (and the TOTP step where required)."""
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state()
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            page.get_by_label("Kode verifikasi").fill(totp_code(device))
            page.get_by_role("button", name="Verifikasi").click()
            page.wait_for_load_state()
    return page


@pytest.fixture
def browser_login():
    """`browser_login(page, cast.operator_a)` signs that user in through the login form."""
    return log_in


# Every violation the page reports, kept where the test can read it back.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page) -> Callable[[str], None]:
    """`watched(path)` opens path in the tab and fails on any CSP violation it reports."""
    page.add_init_script(LISTEN)
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )

    def visit(path: str) -> None:
        response = page.goto(path)
        assert response is not None and response.headers.get("content-security-policy")
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        assert violations == [] and messages == [], (path, violations, messages)

    return visit
