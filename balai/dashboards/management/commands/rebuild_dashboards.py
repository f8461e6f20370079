import time

from django.core.management.base import BaseCommand

from balai.dashboards import rollups


class Command(BaseCommand):
    help = (
        "Count the dashboards' daily and monthly rollups again from the letter requests "
        "and complaints (after loading rows by SQL; the pages keep them fresh otherwise)."
    )

    def handle(self, *args, **options):
        for family in rollups.FAMILIES:
            start = time.perf_counter()
            rollups.rebuild(family)
            rows = family.model.objects.count()
            seconds = time.perf_counter() - start
            self.stdout.write(f"{family.name}: {rows} rollup rows in {seconds:.1f} s")
        start = time.perf_counter()
        rollups.rebuild_cameras()
        seconds = time.perf_counter() - start
        self.stdout.write(f"cameras: closed months summed in {seconds:.1f} s")
