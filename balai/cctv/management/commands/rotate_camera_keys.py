from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from balai.accounts import audit
from balai.cctv import crypto
from balai.cctv.models import Camera


class Command(BaseCommand):
    help = (
        "Re-encrypt every camera's credentials under the first key of BALAI_CCTV_KEYS "
        "(after putting a new key first); then the old key can be removed."
    )

    def handle(self, *args, **options):
        rotated = 0
        try:
            with transaction.atomic():
                cameras = Camera.objects.exclude(credentials="").select_for_update()
                for camera in cameras.only("pk", "credentials"):
                    camera.credentials = crypto.rotate(camera.credentials)
                    camera.save(update_fields=["credentials"])
                    rotated += 1
                audit.record("camera_keys_rotated", detail={"cameras": rotated})
        except crypto.CredentialError as exc:
            raise CommandError(f"{exc}; nothing was changed") from None
        self.stdout.write(f"{rotated} cameras' credentials re-encrypted under the first key")
