"""Bytes per row of Balai's tables on PostgreSQL (table, TOAST and indexes), for docs/scaling.md.

    .venv/bin/python benchmarks/table_sizes.py postgres://postgres@127.0.0.1:5432/balai_perf_bogor

Prints, for every table with rows: the rows (counted), pg_total_relation_size
(heap + TOAST + every index), the indexes alone, and bytes per row. A freshly
loaded table has no dead rows or bloat: a table that is updated in place
(requests, complaints) grows by about a fifth more between vacuums.
"""

import argparse
import sys

import psycopg


def sizes(url: str, smallest: int) -> list[tuple[str, int, int, int]]:
    with psycopg.connect(url) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1"
            )
        ]
        rows = []
        for table in tables:
            (count,) = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone() or (0,)  # noqa: S608
            if count < smallest:
                continue
            total, indexes = conn.execute(
                "SELECT pg_total_relation_size(%s::regclass), pg_indexes_size(%s::regclass)",
                [table, table],
            ).fetchone() or (0, 0)
            rows.append((table, count, total, indexes))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", help="a PostgreSQL URL")
    parser.add_argument("--smallest", type=int, default=1000, help="skip tables with fewer rows")
    args = parser.parse_args()
    rows = sizes(args.database, args.smallest)
    if not rows:
        sys.exit("no table has that many rows")
    print("| table | rows | total (heap + TOAST + indexes) | indexes | bytes per row |")
    print("| --- | --- | --- | --- | --- |")
    for table, count, total, indexes in sorted(rows, key=lambda r: -r[2]):
        print(
            f"| {table} | {count:,} | {total / 2**20:,.1f} MB | {indexes / 2**20:,.1f} MB | "
            f"{total / count:,.0f} |"
        )


if __name__ == "__main__":
    main()
