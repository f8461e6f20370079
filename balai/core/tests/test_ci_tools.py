"""In CI a test whose tool is missing fails; on a developer's machine it skips."""

import pytest

from balai.core.tests.browser import chromium_missing_reason, need_chromium
from balai.letters.tests.pdftools import need


def test_a_missing_chromium_skips_on_a_developers_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("BALAI_CHROMIUM", "/nonexistent/chromium")
    assert "no chromium at /nonexistent/chromium" in chromium_missing_reason()
    with pytest.raises(pytest.skip.Exception):
        need_chromium()


def test_a_missing_chromium_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("BALAI_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(pytest.fail.Exception, match="no chromium"):
        need_chromium()


def test_a_missing_pdf_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="balai-no-such-tool"):
        need("balai-no-such-tool")


def test_a_missing_pdf_tool_skips_on_a_developers_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        need("balai-no-such-tool")
