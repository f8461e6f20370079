from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balai.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `balai backup` into this deployment's database, which "
        "must be new and empty, and its media storage. The archive is verified before "
        "anything is written (docs/backups.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by `balai backup`")

    def handle(self, *args, **options):
        try:
            restore_backup(Path(options["file"]), self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"restore stopped, nothing restored: {exc}") from None
        self.stdout.write("restored")
