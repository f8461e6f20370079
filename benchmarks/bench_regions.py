"""`balai load-regions`: all of Indonesia (83,762 villages) into a fresh SQLite database.

Target (issue 2): under 10 s. Baseline in the same run: only reading and
checking the CSV files, so the ratio shows what the database adds.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import setup_django, stamp


def main() -> None:
    setup_django()
    from balai.regions.codes import DATA_DIR
    from balai.regions.loading import LEVELS, load_regions, read_rows
    from balai.regions.models import Village

    start = time.perf_counter()
    for (_, filename, _, parent_column), level in zip(
        LEVELS, ["province", "regency", "district", "village"], strict=True
    ):
        read_rows(DATA_DIR / filename, parent_column, level)
    read_only = time.perf_counter() - start

    start = time.perf_counter()
    load_regions()
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = load_regions()
    second = time.perf_counter() - start
    assert all(r.created == r.updated == 0 for r in again.values())

    print(f"load-regions, {stamp()}")
    print(f"  villages loaded:         {Village.objects.count():,}")
    print(f"  read CSV only:           {read_only:.2f} s")
    print(f"  first load (SQLite):     {first:.2f} s  ({first / read_only:.1f}x reading)")
    print(f"  second load (no change): {second:.2f} s")


if __name__ == "__main__":
    main()
