from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from balai.regions.models import Village

# Each domain adds its demo data after the foundation's; every step is idempotent.
DEMO_STEPS = [
    "balai.core.demo.seed",
    "balai.letters.pki.seed_demo",
    "balai.complaints.demo.seed",
    "balai.residents.demo.seed",
    "balai.letters.demo.seed",
    "balai.portal.demo.seed",
    "balai.cctv.demo.seed",
    "balai.hub.demo.seed",
]


class Command(BaseCommand):
    help = (
        "Create the Lumajang demo: agencies, 20 onboarded villages, one account per role "
        "and each domain's sample data. Idempotent. Needs `balai load-regions` first."
    )

    def handle(self, *args, **options):
        if not Village.objects.in_regency().exists():
            raise CommandError("no villages for this regency: run `balai load-regions` first")
        for step in DEMO_STEPS:
            import_string(step)(self.stdout)
