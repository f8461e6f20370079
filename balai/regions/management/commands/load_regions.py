from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balai.regions.codes import DATA_DIR
from balai.regions.loading import RegionFileError, load_regions


class Command(BaseCommand):
    help = (
        "Load Indonesia's provinces, regencies, districts and villages from the bundled "
        "Kemendagri code files. Idempotent: creates what is missing, renames what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="folder with provinces.csv, regencies.csv, districts.csv, villages.csv",
        )

    def handle(self, *args, data_dir, **options):
        try:
            results = load_regions(data_dir)
        except RegionFileError as exc:
            raise CommandError(str(exc)) from None
        for level, result in results.items():
            self.stdout.write(
                f"{level}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
