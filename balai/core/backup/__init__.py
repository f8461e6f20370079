"""`balai backup FILE` and `balai restore FILE`: the database and the media in one archive.

The database snapshot is taken first, the media copied after it. Files are
written before the rows that name them are committed, so every file a row of
the snapshot names is already in storage when the media are copied; files
written after the snapshot are copied too and are harmless extras. (Copying the
media first would miss the files of rows committed in between.) The backup
checks that every name a row of the snapshot holds was copied, and restore
checks it again before it touches anything. docs/backups.md has the rest.
"""

from balai.core.backup.archive import BackupError
from balai.core.backup.make import make_backup
from balai.core.backup.restore import restore_backup

__all__ = ["BackupError", "make_backup", "restore_backup"]
