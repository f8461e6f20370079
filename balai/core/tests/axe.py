"""axe-core in the browser tests: `assert_no_axe_violations(page)` checks the open page.

axe-core (balai/core/tests/vendor/axe-core, MPL-2.0) is vendored for the tests only
and never served. It is run through `page.evaluate`, which the DevTools protocol
runs regardless of the page's Content-Security-Policy, so the strict policy stays
on for the page under test.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The WCAG 2.1 A and AA rules (what the brief requires) and axe's best practices.
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


@cache
def _source() -> str:
    return AXE.read_text()


def axe_violations(page, tags: tuple[str, ...] = TAGS) -> list[dict]:
    """axe-core's violations on the page as it is now: id, impact, help, targets."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {_source()}\n}}")
    return page.evaluate(RUN, list(tags))


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'][:5])}"
        for v in violations
    )


def assert_no_axe_violations(page, tags: tuple[str, ...] = TAGS) -> None:
    violations = axe_violations(page, tags)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
