import sys
import time

from django.core.management.base import BaseCommand, CommandError

from balai.lib.tables import to_csv
from balai.regions.models import Village
from balai.residents.actions import import_residents
from balai.residents.importing import FileProblem


def progress_bar(stream):
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        total = max(total, done, 1)
        width = 30
        filled = width * done // total
        rate = done / max(time.monotonic() - started, 1e-6)
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} baris ({rate:,.0f}/s)"
        )
        stream.flush()

    return show


class Command(BaseCommand):
    help = (
        "Import residents from an OpenSID 'Data Penduduk' workbook or a spreadsheet "
        "(.xlsx, .xls, .ods, .csv) into one village. Upserts by NIK, all or nothing: "
        "any bad row leaves the registry unchanged and lists every problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx/.xls/.ods/.csv file")
        parser.add_argument(
            "--village", required=True, help="village code, e.g. 35.08.01.2001 or 3508012001"
        )
        parser.add_argument("--dry-run", action="store_true", help="check everything, save nothing")
        parser.add_argument(
            "--errors", metavar="CSV", help="write the problem report (row, column, value, reason)"
        )

    def handle(self, *args, **options):
        code = options["village"]
        if "." not in code and len(code) == 10:
            code = f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
        village = Village.objects.in_regency().filter(code=code).first()
        if village is None:
            raise CommandError(f"no village {options['village']} in this regency")
        try:
            result = import_residents(
                options["file"],
                village,
                dry_run=options["dry_run"],
                progress=progress_bar(sys.stderr) if options["verbosity"] else None,
            )
        except FileProblem as exc:
            raise CommandError(str(exc)) from None
        except FileNotFoundError:
            raise CommandError(f"file not found: {options['file']}") from None
        if options["verbosity"]:
            sys.stderr.write("\n")
        self.report_problems(result.problems, options["errors"])
        for note in result.notes:
            self.stdout.write(note)
        summary = (
            f"{result.rows} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.error_count} errors, "
            f"{result.warning_count} warnings"
        )
        if not result.ok:
            raise CommandError(f"{summary}; nothing was saved")
        if options["dry_run"]:
            summary += " (dry run: nothing saved)"
        self.stdout.write(summary)

    def report_problems(self, problems: list, errors_path: str | None) -> None:
        """The first 50 problems on stderr; all of them in the --errors CSV if asked."""
        for row, column, value, reason, level in problems[:50]:
            self.stderr.write(f"baris {row}, kolom {column}, nilai {value!r}: {reason} ({level})")
        if len(problems) > 50:
            self.stderr.write(f"... dan {len(problems) - 50} lagi")
        if errors_path and problems:
            with open(errors_path, "wb") as f:
                f.write(to_csv(["baris", "kolom", "nilai", "alasan", "jenis"], problems))
