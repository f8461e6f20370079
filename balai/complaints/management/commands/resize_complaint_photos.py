from django.core.management.base import BaseCommand
from django.db.models import Q

from balai.complaints import actions
from balai.complaints.models import ComplaintPhoto


class Command(BaseCommand):
    help = (
        "Make the resized copies (the list thumbnail and the page's medium size) that photos "
        "stored before copies existed lack, as an upload makes them; pages serve a photo's "
        "original until then. Idempotent: a photo that has its copies is left alone, so it "
        "can be stopped and run again. A photo whose stored image cannot be read is counted "
        "and keeps its original."
    )

    def handle(self, *args, **options):
        lacking = (
            ComplaintPhoto.objects.filter(Q(thumb="") | Q(medium=""))
            .select_related("complaint")  # the copies' folder is the report's month
            .order_by("pk")
        )
        made = unreadable = 0
        for photo in lacking.iterator(chunk_size=200):
            if actions.add_missing_copies(photo):
                made += 1
            else:
                unreadable += 1
        self.stdout.write(f"photos: {made} given resized copies, {unreadable} unreadable")
