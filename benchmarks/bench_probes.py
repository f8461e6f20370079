"""One CCTV probe round over 3,000 simulated cameras on loopback.

10% silent (accept and never answer), 5% refusing, the rest healthy cameras
with an HTTP snapshot (a 640x360 JPEG with a ticking clock) and an ONVIF
clock. The simulated cameras run in another process (`python -m
balai.cctv.simulator`), so they do not share the engine's event loop; they
share one HTTP port, told apart by their URLs.

Baseline in the same run: a TCP-connect-only round over the same cameras.
Target: the full round under 30 s on 2 cores.

.venv/bin/python benchmarks/bench_probes.py [--cameras 3000]
"""

import argparse
import asyncio
import dataclasses
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from balai.cctv.probing import DEFAULT_LIMITS, Check, Target, run_round
from benchmarks.common import stamp


def start_simulator() -> tuple[subprocess.Popen[str], tuple[int, int, int]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "balai.cctv.simulator", "--base-port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout
    line = process.stdout.readline().split()
    if not line or line[0] != "READY":
        process.kill()
        raise SystemExit("the simulator did not start")
    http, silent, refusing = map(int, line[1:4])
    return process, (http, silent, refusing)


def cameras(count: int, http: int, silent: int, refusing: int) -> list[Target]:
    targets = []
    for i in range(count):
        if i % 20 in (0, 1):  # 10%
            base = f"http://127.0.0.1:{silent}"
        elif i % 20 == 2:  # 5%
            base = f"http://127.0.0.1:{refusing}"
        else:
            base = f"http://127.0.0.1:{http}"
        targets.append(
            Target(
                f"cam-{i}",
                onvif_url=f"{base}/onvif/0/device_service",
                snapshot_url=f"{base}/snapshot/moving/bench.jpg?camera={i}",
            )
        )
    return targets


LOOP_FACTORY: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of another process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_round(targets: list[Target], server: int):
    wall, cpu, server_cpu = time.perf_counter(), time.process_time(), cpu_seconds(server)
    results = run_round(targets, DEFAULT_LIMITS, loop_factory=LOOP_FACTORY)
    elapsed = time.perf_counter() - wall
    return results, elapsed, time.process_time() - cpu, cpu_seconds(server) - server_cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cameras", type=int, default=3000)
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    args = parser.parse_args()
    global LOOP_FACTORY
    LOOP_FACTORY = uvloop.new_event_loop if args.loop == "uvloop" else None
    process, ports = start_simulator()
    try:
        targets = cameras(args.cameras, *ports)
        load_before = os.getloadavg()
        tcp_only = []
        for t in targets:
            assert t.onvif_url  # cameras() gives every target one
            port = int(t.onvif_url.split(":")[2].split("/")[0])
            tcp_only.append(Target(t.key, host="127.0.0.1", port=port))
        _, tcp_wall, tcp_cpu, tcp_server = timed_round(tcp_only, process.pid)
        first, wall1, cpu1, server1 = timed_round(targets, process.pid)
        time.sleep(1.1)  # the simulated clocks tick, as they would between rounds
        again = [
            dataclasses.replace(t, previous_fingerprint=r.fingerprint)
            for t, r in zip(targets, first, strict=True)
        ]
        second, wall2, cpu2, server2 = timed_round(again, process.pid)
        load_after = os.getloadavg()
    finally:
        process.kill()
        process.wait()

    n = len(targets)
    print(f"bench_probes — {stamp()}, {args.loop} event loop")
    print(f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f}")
    print(f"concurrency {DEFAULT_LIMITS.concurrency}, timeouts: connect "
          f"{DEFAULT_LIMITS.connect_timeout} s, onvif {DEFAULT_LIMITS.onvif_timeout} s, "
          f"snapshot {DEFAULT_LIMITS.snapshot_timeout} s")  # fmt: skip
    print("| what | wall | engine CPU | simulated cameras' CPU | cameras/s |")
    print("| --- | --- | --- | --- | --- |")
    rows = [
        ("baseline: TCP connect only", tcp_wall, tcp_cpu, tcp_server),
        ("full round, first", wall1, cpu1, server1),
        ("full round, second", wall2, cpu2, server2),
    ]
    for name, wall, cpu, server in rows:
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {server:.2f} s | {n / wall:.0f} |")
    for label, results in (("first", first), ("second", second)):
        states = Counter("down" if r.down else "degraded" if r.degraded else "up" for r in results)
        problems = Counter(p.value for r in results for p in r.problems)
        print(f"{label} round states: {dict(states)}; problems: {dict(problems)}")
    spent: Counter[Check] = Counter()
    for r in second:
        for check, seconds in r.durations.items():
            spent[check] += seconds
    total = sum(spent.values())
    print("second round, share of probe time (summed over cameras) per check:")
    for check in Check:
        if spent[check]:
            healthy = [
                r.durations[check] for r in second if check in r.durations and not r.problems
            ]
            mean = sum(healthy) / len(healthy) * 1000 if healthy else 0
            print(f"  {check.value:9} {spent[check] / total:6.1%}  "
                  f"(mean {mean:.0f} ms on a healthy camera)")  # fmt: skip
    silent = max(sum(r.durations.values()) for r in second[::20])
    refusing = max(sum(r.durations.values()) for r in second[2::20])
    print(
        f"slowest silent camera found down after {silent:.1f} s, "
        f"slowest refusing one after {refusing * 1000:.0f} ms"
    )
    if max(wall1, wall2) >= 30:
        print("TARGET MISSED: a round took 30 s or more")


if __name__ == "__main__":
    main()
