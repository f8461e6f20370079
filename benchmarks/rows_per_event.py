"""Rows written per letter and per complaint, through the real actions (for docs/scaling.md).

    .venv/bin/python benchmarks/rows_per_event.py [--count 50] [--database URL]

A letter: submitted online with a phone number, signed by the head, collected.
A complaint: submitted with an email and a phone number, verified (and so
dispatched to its agency), started, answered, resolved, confirmed by the reporter. Counts
every table's rows before and after, on a fresh SQLite database or the
--database given (row counts do not depend on the database; bytes per row come
from benchmarks/table_sizes.py on PostgreSQL). Tasks are queued as the
database backend stores them, not run: the rows the worker then writes (a
message per staff member of the unit) are not counted.
"""

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import setup_django  # noqa: E402


def counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.db_table: m._default_manager.count() for m in apps.get_models()}


def letters(n: int) -> dict[str, int]:
    from django.db import connection

    from benchmarks.bench_letters import VILLAGES, requests_to_sign, world

    if connection.vendor == "postgresql":  # world() creates its scratch table in SQLite's words
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY)")
    world(residents_per_village=50)
    from balai.accounts.models import User
    from balai.letters import actions

    head = User.objects.get(village_id=VILLAGES[0], role="village_head")
    operator = User.objects.get(village_id=VILLAGES[0], role="village_operator")
    before = counts()
    for req in requests_to_sign(VILLAGES[0], n):
        actions.sign_request(req, head)
        req.refresh_from_db()
        actions.record_collection(req, operator, "pemohon")
    return {k: v - before.get(k, 0) for k, v in counts().items() if v != before.get(k, 0)}


def complaints(n: int) -> dict[str, int]:
    from django.core.management import call_command

    call_command("load_regions", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    from balai.accounts.models import User
    from balai.complaints import actions, lookups
    from balai.complaints.models import Category, Complaint
    from balai.regions.models import Village

    category = Category.objects.filter(agency__isnull=False).order_by("code").first()
    village = Village.objects.active().order_by("code").first()
    staff = User.objects.get(username="commandcenter")  # may work on any unit's report
    before = counts()
    lookups.clear()
    for i in range(n):
        complaint, _code = actions.submit_complaint(
            category=category,
            village=village,
            description=f"Jalan berlubang di depan pasar ({i}).",
            reporter_email="warga@example.org",
            reporter_phone="081234567890",
        )
        complaint = Complaint.objects.get(pk=complaint.pk)
        actions.verify_complaint(complaint, staff)  # routed: goes on to its agency
        actions.start_progress(complaint, staff)
        actions.respond(complaint, staff, "Sudah kami jadwalkan.")
        actions.resolve_complaint(complaint, staff, "Sudah ditambal.")
        actions.confirm_resolution(complaint)
    return {k: v - before.get(k, 0) for k, v in counts().items() if v != before.get(k, 0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument(
        "--database", help="DATABASE_URL (e.g. PostgreSQL, to measure its bytes per row after)"
    )
    args = parser.parse_args()
    setup_django(args.database)
    made_by = {"complaint": complaints(args.count), "letter": letters(args.count)}
    for name, made in made_by.items():
        print(f"\nrows per {name} ({args.count} {name}s):")
        for table, rows in sorted(made.items(), key=lambda kv: -kv[1]):
            print(f"  {table}: {rows / args.count:.2f}")


if __name__ == "__main__":
    main()
