from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balai.accounts.actions import load_boundaries
from balai.regions.boundaries import BoundaryFileError


class Command(BaseCommand):
    help = (
        "Load region outlines from a GeoJSON file whose features carry Kemendagri codes "
        "(properties.code) of this regency, its districts or villages. Idempotent; all or "
        "nothing. The regency's own files are in balai/regions/data/boundaries/."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE.geojson")

    def handle(self, *args, files, **options):
        for path in files:
            try:
                result = load_boundaries(path)
            except BoundaryFileError as exc:
                raise CommandError(str(exc)) from None
            levels = ", ".join(f"{n} {level}" for level, n in result.levels.items())
            self.stdout.write(
                f"{path.name}: {levels}; {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
