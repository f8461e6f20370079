from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balai.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write the database and every media file into one archive FILE (a tar file with a "
        "manifest of counts and SHA-256 sums), consistent while the site serves; FILE "
        "appears only when complete (docs/backups.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. balai-20261205-0200.tar")

    def handle(self, *args, **options):
        target = Path(options["file"])
        try:
            make_backup(target, self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"backup failed, nothing written to {target}: {exc}") from None
        self.stdout.write(f"wrote {target} ({target.stat().st_size} bytes)")
