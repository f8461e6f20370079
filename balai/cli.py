"""The `balai` command: Django's manage.py, with dashed command names.

`balai load-regions` runs the `load_regions` management command. Known
configuration and database errors end with one line and exit code 2 instead
of a stack trace.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    argv = list(sys.argv)
    argv[0] = "balai"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")

    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line
        from django.db.utils import DatabaseError

        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.exit(f"balai: configuration error: {exc}")
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.exit(f"balai: database error: {first_line}")


if __name__ == "__main__":
    main()
