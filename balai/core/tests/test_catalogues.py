"""The English catalogues are complete, compiled, and hold every marked string.

Source strings are Indonesian (docs/i18n.md); an English reader sees the
Indonesian source wherever a catalogue lacks an entry, so a missing, fuzzy or
uncompiled entry is a bug. `make messages` fixes all three at once.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from balai.core.tests.tools import missing_tool

BALAI = Path(settings.BASE_DIR)
CATALOGUES = sorted(BALAI.rglob("locale/*/LC_MESSAGES/django.po"))
STATISTICS = re.compile(r"(\d+) (translated|fuzzy|untranslated)")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
MSGFMT = shutil.which("msgfmt") or "msgfmt"
MSGATTRIB = shutil.which("msgattrib") or "msgattrib"


@pytest.fixture
def gettext_tools():
    if not shutil.which("msgfmt") or not shutil.which("xgettext"):
        missing_tool("GNU gettext (msgfmt, xgettext) is not installed")


NOOP = {"gettext_noop", "gettext_lazy", "_lazy", "pgettext_lazy"}


def msgfmt(po: Path, mo: Path) -> dict[str, int]:
    """Compile `po` with the checks compilemessages uses; the counts it reports."""
    done = subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", str(mo), str(po)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert done.returncode == 0, done.stderr
    return {kind: int(n) for n, kind in STATISTICS.findall(done.stderr)}


def messages(mo: Path) -> dict:
    """Every entry of a compiled catalogue, as gettext reads it."""
    with mo.open("rb") as f:
        return dict(vars(gettext.GNUTranslations(f))["_catalog"])


def test_every_app_has_its_own_catalogue():
    """Without `locale/`, an app's strings would land in the project catalogue (docs/i18n.md)."""
    have = {po.relative_to(BALAI).parts[0] for po in CATALOGUES}
    ours = {Path(c.path).name for c in apps.get_app_configs() if c.name.startswith("balai.")}
    assert "locale" in have
    assert ours - have == set(), "mkdir balai/<app>/locale, then make messages"


@pytest.mark.usefixtures("gettext_tools")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BALAI)))
def test_every_entry_is_translated_and_compiled(po: Path, tmp_path: Path):
    counts = msgfmt(po, tmp_path / "django.mo")
    assert counts.get("untranslated", 0) == 0, f"{po}: {counts}; fill in msgstr (make messages)"
    assert counts.get("fuzzy", 0) == 0, f"{po}: {counts}; check and un-fuzzy the entries"
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} missing: make messages"
    assert messages(committed) == messages(tmp_path / "django.mo"), (
        f"{committed} is not compiled from {po.name}: make messages"
    )


def test_a_string_has_one_translation_across_catalogues() -> None:
    """Django merges every catalogue into one, so two translations of one msgid
    means one app shows the other's wording; a real difference needs a context
    (`pgettext`, `{% translate "..." context "..." %}`)."""
    seen: dict = {}
    for po in CATALOGUES:
        for msgid, text in messages(po.with_suffix(".mo")).items():
            if msgid:  # not the header
                seen.setdefault(msgid, {})[po.relative_to(BALAI).parts[0]] = text
    differ = {msgid: where for msgid, where in seen.items() if len(set(where.values())) > 1}
    assert not differ, "\n".join(f"{msgid!r}: {where}" for msgid, where in differ.items())


def _noop_names(tree: ast.Module) -> set[str]:
    """Module constants whose value is marked for extraction (gettext_noop and kin)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name) and func.id in NOOP:
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def test_gettext_is_called_on_strings_extraction_can_see():
    """`_(variable)` is only right when the variable's text was marked where it is written."""
    unseen = []
    for path in BALAI.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        marked = _noop_names(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in GETTEXT or not node.args:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                continue
            if isinstance(arg, ast.Name) and arg.id in marked:
                continue
            unseen.append(f"{path.relative_to(BALAI)}:{node.lineno}: {ast.unparse(node)}")
    assert not unseen, "mark the text with gettext_noop where it is written:\n" + "\n".join(unseen)


def _msgids(po: Path) -> set[str]:
    """The entries of a catalogue, without obsolete ones (msgcat normalises wrapping)."""
    done = subprocess.run(
        [MSGATTRIB, "--no-obsolete", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    ids: set[str] = set()
    current: list[str] = []
    for line in [*done.stdout.splitlines(), ""]:
        if line.startswith(("msgctxt", "msgid")) or (current and line.startswith('"')):
            current.append(line)
        elif current:
            ids.add("\n".join(current))
            current = []
    ids.discard('msgid ""')
    return ids


@pytest.mark.usefixtures("gettext_tools")
def test_extraction_finds_nothing_the_catalogues_lack(tmp_path: Path):
    """makemessages, run on a copy of the source, adds and removes no entry."""
    copy = tmp_path / "balai"
    shutil.copytree(BALAI, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    here = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    differ = []
    for po in CATALOGUES:
        extracted = copy / po.relative_to(BALAI)
        missing = _msgids(extracted) - _msgids(po)
        gone = _msgids(po) - _msgids(extracted)
        differ += [f"{po.relative_to(BALAI)}: not in the catalogue: {m}" for m in sorted(missing)]
        differ += [f"{po.relative_to(BALAI)}: no longer in the source: {m}" for m in sorted(gone)]
    known = {copy / po.relative_to(BALAI) for po in CATALOGUES}
    new = sorted(set(copy.rglob("locale/*/LC_MESSAGES/django.po")) - known)
    differ += [f"new catalogue {p.relative_to(copy)}" for p in new]
    assert not differ, "run make messages:\n" + "\n".join(differ)
