"""Visit every page a visitor can reach by following links, once per URL pattern.

Used by test_browser_axe_all.py: from a few seed paths, the crawler follows
every same-site link (GET pages only: no downloads, no API, no sign-out),
keeps one URL per route (`/aduan/laporan/A/` and `/aduan/laporan/B/` are one
page), and calls `check(page, path)` on each. It returns the routes visited,
so the test can compare them with every route of the URLconf.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

# Paths never followed: not pages (files, feeds, API, Django's admin, which is
# Django's own UI) or acts rather than pages (signing out, switching language).
SKIPPED_PREFIXES = ("/api/", "/admin/", "/i18n/", "/static/", "/media/", "/open311/")
SKIPPED_SUFFIXES = (
    ".csv",
    ".xlsx",
    ".pdf",
    ".json",
    ".geojson",
    ".xml",
    ".txt",
    ".png",
    ".jpg",
    ".svg",
    ".ics",
    ".html",  # fragments a page fetches (the CCTV board), not pages
)
SKIPPED_ROUTES = {
    "accounts:logout",
    "letters:pin-logout",
    "complaints:photo",
    "letters:document",
    "letters:pdf",
    "residents:export",
}
# getAttribute, not a.href: a link inside an SVG map has an SVGAnimatedString href.
LINKS = """() => Array.from(
    document.querySelectorAll("a[href]"),
    (a) => new URL(a.getAttribute("href"), document.baseURI).href
)"""


def route_of(path: str) -> str | None:
    """The URL pattern's name ("app:name") or its route when unnamed; None: not ours."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def routes_without_arguments(patterns=None, namespace: str = "") -> list[str]:
    """The paths of every named route of the URLconf that takes no argument."""
    found = []
    for item in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(item, URLResolver):
            if item.pattern.converters or getattr(item.pattern, "regex", None) is None:
                continue
            inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
            found += routes_without_arguments(item.url_patterns, inner)
        elif isinstance(item, URLPattern) and item.name and not item.pattern.converters:
            try:
                path = reverse(f"{namespace}{item.name}")
            except NoReverseMatch:
                continue
            if wanted(path):
                found.append(path)
    return found


def wanted(path: str) -> bool:
    return not (path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES))


def crawl(
    page, base_url: str, seeds: list[str], check: Callable, limit: int = 150
) -> dict[str, str]:
    """Visit the seeds and every page linked from them, one URL per route; call
    check(page, path) on each page. Returns {route: path visited}."""
    visited: dict[str, str] = {}
    refused: set[str] = set()
    queue = list(seeds)
    while queue and len(visited) < limit:
        path = queue.pop(0)
        route = route_of(urlsplit(path).path)
        if route is None or route in visited or route in refused or route in SKIPPED_ROUTES:
            continue
        try:
            response = page.goto(path)
        except Exception:  # playwright's Error: a 405 body-less answer, a download
            refused.add(route)
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status >= 400:
            # Not this visitor's page (403, 404): its error page is checked once.
            refused.add(route)
            page.wait_for_load_state("networkidle")
            check(page, path)
            continue
        page.wait_for_load_state("networkidle")
        visited[route] = path
        check(page, path)
        for href in page.evaluate(LINKS):
            if not href.startswith(base_url):
                continue
            parts = urlsplit(href)
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if wanted(parts.path) and route_of(parts.path) not in visited:
                queue.append(local)
    return visited
