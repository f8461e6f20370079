from django.core.management import call_command
from django.core.management.base import BaseCommand

from balai.regions.boundaries import bundled_files
from balai.regions.models import Boundary, Village


class Command(BaseCommand):
    help = (
        "Prepare a database for the demo: migrate, collect static files, load the regions "
        "and the regency's bundled boundaries when missing, and seed the Lumajang demo."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not Village.objects.exists():
            call_command("load_regions", stdout=self.stdout)
        if not Boundary.objects.exists() and bundled_files():
            call_command("load_boundaries", *bundled_files(), stdout=self.stdout)
        call_command("seed_demo", stdout=self.stdout)
