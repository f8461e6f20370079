"""Write the error pages a proxy in front of Balai serves itself (docs/server.md).

nginx answers 400, 408, 413, 429, 500, 502, 503 and 504 on its own when Balai
is down, slow, or never sees the request; with these files (styled and in
Indonesian, the stylesheet from /static/) those answers look like every page.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation

CODES = (400, 408, 413, 429, 500, 502, 503, 504)


class Command(BaseCommand):
    help = "Write the proxy's error pages (400, 408, 413, 429, 500, 502, 503, 504) to a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--limit-mb", type=int, default=None)

    def handle(self, *args, folder: Path, limit_mb: int | None, **options):
        from django.conf import settings

        folder.mkdir(parents=True, exist_ok=True)
        limit = limit_mb or settings.BALAI_MAX_REQUEST_BYTES // (1024 * 1024)
        with translation.override("id"):
            for code in CODES:
                page = render_to_string(f"{code}.html", {"limit_mb": limit})
                (folder / f"{code}.html").write_text(page, encoding="utf-8")
        self.stdout.write(f"{len(CODES)} pages in {folder}")
