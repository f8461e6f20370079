"""A strict Content-Security-Policy on every page, no inline code in any template, HSTS on https."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import balai

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: rest for name, rest in ((p[0], p[1] if len(p) > 1 else "") for p in parts)}


def test_pages_carry_the_strict_policy(client, cast):
    for path in ("/", "/aduan/", "/aduan/peta/", "/akun/masuk/", "/halaman-yang-tidak-ada/"):
        response = client.get(path)
        header = response.get("Content-Security-Policy", "")
        policy = directives(header)
        for name, value in STRICT.items():
            assert policy.get(name) == value, (path, name, header)
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, (path, header)


def test_maps_load_no_image_from_another_host(client, cast):
    """Maps draw from Balai's own boundaries (docs/maps.md): no tile server."""
    policy = directives(client.get("/aduan/peta/")["Content-Security-Policy"])
    assert policy["img-src"].split() == ["'self'", "data:"]


class InlineCode(HTMLParser):
    """Inline <script>/<style>, style= and on*= attributes in markup."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower() for name, _ in attrs}
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names:
            kind = dict(attrs).get("type") or ""
            if kind not in ("application/json", "application/ld+json"):  # data, never run
                self.found.append("<script> without src")
        self.found += [f"{name}= on <{tag}>" for name in names if name == "style"]
        self.found += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]


def test_no_template_has_inline_script_style_or_handlers():
    root = Path(balai.__file__).parent
    templates = sorted(root.glob("templates/**/*.html")) + sorted(root.glob("*/templates/**/*.*"))
    assert len(templates) > 50
    offenders = []
    for template in templates:
        parser = InlineCode()
        parser.feed(template.read_text())
        offenders += [f"{template.relative_to(root)}: {what}" for what in parser.found]
    assert offenders == []


def test_rendered_error_pages_have_no_inline_code(client, settings, db):
    from django.template.loader import render_to_string

    for name, context in (("500.html", {}), ("413.html", {"limit_mb": 45})):
        parser = InlineCode()
        parser.feed(render_to_string(name, context))
        assert parser.found == [], name
    parser = InlineCode()
    parser.feed(client.get("/tidak-ada/").content.decode())
    assert parser.found == []


def run_shell(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "balai", "shell", "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


HSTS_REQUEST = """
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("/healthz", HTTP_X_FORWARDED_PROTO="https")
print("hsts", response.get("Strict-Transport-Security"))
"""


def test_hsts_when_the_site_is_https_behind_the_proxy(tmp_path):
    out = run_shell(
        HSTS_REQUEST,
        BALAI_DATA_DIR=str(tmp_path),
        BALAI_SITE_URL="https://layanan.lumajangkab.go.id",
        BALAI_BEHIND_PROXY="true",
    )
    assert "hsts max-age=31536000" in out


def test_no_hsts_for_a_plain_http_site(tmp_path):
    out = run_shell(
        HSTS_REQUEST,
        BALAI_DATA_DIR=str(tmp_path),
        BALAI_SITE_URL="http://127.0.0.1:8000",
        BALAI_BEHIND_PROXY="true",
    )
    assert "hsts None" in out
