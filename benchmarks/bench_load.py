"""Load (issue 15): a steady mix for five minutes on the production layout, then 1 vs 2
web processes flat out on the same mix.

    .venv/bin/python benchmarks/bench_load.py                       # 300 s, then 60 s + 60 s
    .venv/bin/python benchmarks/bench_load.py --seconds 20 --compare 0   # a smoke run

The layout is the tests' harness (balai/core/tests/deployment.py): nginx with
the shipped configuration (TLS) in front of web processes (`balai web`) and
two task workers (`balai worker`), on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/balai_bench_load; pytest-django makes its
test_ database) with Redis (--redis-url). locust drives it (benchmarks/locustfile.py):

- residents: tracking letter requests and complaints, requesting a letter
  (identify with NIK, KK and birth date, submit), filing a complaint on the web form;
- staff: the letter queue, the agency's complaint queue, the head opening and signing;
- a national programme reading letter requests and complaints through the API with tokens;
- a partner app posting Open311 reports.

Each kind of user comes in a fixed number at a fixed pace (36 users, about
20 requests/s), each from its own loopback address. Reported: p50/p95/p99
per kind, errors (none allowed: the run fails), every process's RSS in the
first and the last minute after a warm-up of the same mix (--warmup), the load
average. The comparison runs the same users without pauses against 1 and then
2 web processes: requests/s ratio, and what the web processes' CPU bought. With
--web-cpu 0.4 each web process is capped at 0.4 of a core (a cgroup of its
own), so that on a small machine the web tier, not the load tool or the
database, is what runs out: the ratio then says whether a second process adds
what the first serves.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import stamp  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/balai_bench_load"
KINDS_ORDER = ("resident", "staff", "api", "open311")


def print_report(report: dict) -> None:
    steady = report["steady"]
    before, after = steady["load_average"]
    print(f"steady mix, {steady['seconds']:.0f} s — load average {before[0]:.1f} -> {after[0]:.1f}")
    print(f"{'kind':<30} {'requests':>8} {'fails':>5} {'p50':>6} {'p95':>6} {'p99':>6}  ms")
    kinds = sorted(
        steady["kinds"], key=lambda k: (KINDS_ORDER.index(k["Name"].split(":")[0]), k["Name"])
    )
    for row in [*kinds, steady["total"]]:
        print(
            f"{row['Name']:<30} {row['Request Count']:>8} {row['Failure Count']:>5} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    print(f"requests/s: {float(steady['total']['Requests/s']):.1f}")
    if "warmup" in report:
        print(f"(after {report['warmup']['seconds']:.0f} s of the same mix, not measured)")
    print(f"{'process':<24} {'first MiB':>9} {'last MiB':>9} {'growth':>7}")
    for name, row in steady["memory"].items():
        print(f"{name:<24} {row['first']:>9.1f} {row['last']:>9.1f} {row['growth']:>+7.1%}")
    print("counted by /metrics:", ", ".join(f"{k} {v:.0f}" for k, v in steady["metrics"].items()))
    runs = report["runs"]
    for run in runs:
        load = run["load_average"][1][0]
        share = f", each capped at {run['web_cpu_share']:.2f} core" if run["web_cpu_share"] else ""
        per_cpu = run["requests"] / run["web_cpu_seconds"] if run["web_cpu_seconds"] else 0
        print(
            f"flat out, {run['web']} web process(es){share}, {run['seconds']:.0f} s: "
            f"{run['requests_per_second']:.1f} requests/s, {run['failures']} failures, "
            f"web CPU {run['web_cpu_seconds']:.1f} s ({per_cpu:.1f} requests per CPU second), "
            f"load average {load:.1f}"
        )
        if run["failures"]:
            print(run["failure_kinds"])
    if len(runs) == 2:
        ratio = runs[1]["requests_per_second"] / runs[0]["requests_per_second"]
        print(f"2 web processes / 1: {ratio:.2f}x (target 1.8x), {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=300, help="the steady mix")
    parser.add_argument("--compare", type=float, default=60, help="each flat-out run; 0: none")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--warmup", type=float, default=60, help="the mix first, not measured")
    parser.add_argument(
        "--web-cpu",
        type=float,
        default=0,
        help="in the comparison, cap each web process at this share of a core (cgroup v1)",
    )
    args = parser.parse_args()
    if importlib.util.find_spec("locust") is None:
        sys.exit("locust is missing: .venv/bin/pip install -e '.[bench]' (or make benchmark)")
    report_file = Path(tempfile.mkdtemp(prefix="balai-load-")) / "report.json"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
        "LOAD_SECONDS": str(args.seconds),
        "LOAD_COMPARE_SECONDS": str(args.compare),
        "LOAD_WARMUP_SECONDS": str(args.warmup),
        "LOAD_WEB_CPU": str(args.web_cpu),
        "LOAD_REPORT": str(report_file),
        "LOAD_REDIS_URL": args.redis_url,
    }
    print(stamp(), flush=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-x",
            str(ROOT / "benchmarks" / "load_layout.py"),
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    if report_file.exists():
        report = json.loads(report_file.read_text())
        print_report(report)
        print(f"(seeding took {report['seed_seconds']} s; full report: {report_file})")
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
