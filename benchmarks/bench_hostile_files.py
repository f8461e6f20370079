"""Peak memory of importing hostile spreadsheets and a normal one (issue 10.1).

    .venv/bin/python benchmarks/bench_hostile_files.py [--residents 10000]

Each import runs in a fresh process of its own (so ru_maxrss is that import's):
the importing process (validation, database) and the reading child
(balai.lib.spreadsheets) are reported apart. Target: under 500 MB each,
whatever the file; hostile files refused with a clear message.
"""

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import setup_django, stamp  # noqa: E402


def one_import(path: str) -> None:
    """Child mode: import `path` into a village, print the outcome and peaks as JSON."""
    setup_django()
    from balai.lib.spreadsheets import SheetError, SheetReader
    from balai.regions.loading import load_regions
    from balai.regions.models import Village
    from balai.residents.actions import import_residents
    from balai.residents.importing import FileProblem
    from balai.residents.importing.safety import check_file
    from balai.residents.importing.sheets import SKIPPED_SHEETS

    load_regions()
    village = Village.objects.get(code="35.08.21.2001")
    start = time.perf_counter()
    try:
        result = import_residents(path, village)
        outcome = f"imported {result.created:,} rows"
    except FileProblem as exc:
        outcome = f"refused: {exc}"
    elapsed = time.perf_counter() - start
    importer_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The reading child alone, again, for its own peak (ru_maxrss of a forked child
    # counts the parent's pages).
    reader = SheetReader(SKIPPED_SHEETS)
    with reader, contextlib.suppress(SheetError):
        for sheet in reader.read(path, check_file(Path(path))):
            for _row in sheet.rows:
                pass
    print(
        json.dumps(
            {
                "outcome": outcome,
                "seconds": elapsed,
                "importer_mb": importer_mb,
                "reader_mb": (reader.peak_kb or 0) / 1024,
            }
        )
    )


def compare(path: Path, rounds: int) -> str:
    """The same dry-run import, read in this process by calamine (as before issue 10.1)
    and through the measured child reader, alternating; best of `rounds` each."""
    from python_calamine import CalamineWorkbook

    from balai.lib.spreadsheets import Sheet
    from balai.regions.loading import load_regions
    from balai.regions.models import Village
    from balai.residents.importing import import_file, import_sheets

    load_regions()
    village = Village.objects.get(code="35.08.21.2001")

    def in_process():
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_name("Data Penduduk")
        return import_sheets([Sheet("Data Penduduk", sheet.iter_rows(), sheet.height)], village,
                             dry_run=True)  # fmt: skip

    def child():
        return import_file(path, village, dry_run=True)

    best: dict[str, list[float]] = {"in-process": [], "child": []}
    for _ in range(rounds):
        for name, run in (("in-process", in_process), ("child", child)):
            start = time.perf_counter()
            result = run()
            best[name].append(time.perf_counter() - start)
            assert result.ok and result.rows > 0
    old, new = min(best["in-process"]), min(best["child"])
    return (
        f"| dry-run import of {path.name}, best of {rounds}: calamine in the importing "
        f"process (before) / measured + child reader (after) | {old:.2f} s / {new:.2f} s, "
        f"**{new / old:.2f}x** |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_import(args.one)
        return
    setup_django()
    from balai.residents.generate import Generator, write_opensid_xlsx
    from balai.residents.tests.test_hostile_files import HOSTILE

    files = Path(tempfile.mkdtemp(prefix="balai-hostile-"))
    paths = [HOSTILE[name](files / name) for name in sorted(HOSTILE)]
    normal = files / f"normal-{args.residents}.xlsx"
    write_opensid_xlsx(normal, Generator(seed=1).residents("35.08.21.2001", args.residents))
    paths.append(normal)
    load = os.getloadavg()[0]
    lines = [
        f"bench_hostile_files, {stamp()}, load average {load:.1f}",
        "| file | size | outcome | time | importer peak | reader peak |",
        "|---|---|---|---|---|---|",
    ]
    for path in paths:
        out = (
            subprocess.run(
                [sys.executable, __file__, "--one", str(path)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        data = json.loads(out)
        lines.append(
            f"| {path.name} | {path.stat().st_size:,} B | {data['outcome'][:70]} | "
            f"{data['seconds']:.2f} s | {data['importer_mb']:.0f} MB | {data['reader_mb']:.0f} MB |"
        )
    lines.append(compare(normal, args.rounds))
    lines.append(f"load average after: {os.getloadavg()[0]:.1f}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
