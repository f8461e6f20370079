from django.core.management.base import BaseCommand

from balai.hub import index, sync


class Command(BaseCommand):
    help = (
        "Bring the catalogue in step with its sources: themes, the starting synonyms, one "
        "entry per village letter type and complaint category; then rebuild the search index."
    )

    def handle(self, *args, **options):
        counts = sync.sync_all()
        indexed = index.rebuild()
        self.stdout.write(
            f"{counts['letters']} letter types, {counts['complaints']} complaint categories, "
            f"{counts['synonyms']} new synonyms; {indexed} entries indexed"
        )
