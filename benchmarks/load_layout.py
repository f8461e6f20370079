"""The load mix on the production layout, run by benchmarks/bench_load.py under pytest.

pytest because the layout is the tests' own harness (balai/core/tests/deployment.py:
nginx with the shipped configuration in front of web processes and task
workers, on pytest-django's database), reused rather than copied. Not collected
by `make test` (testpaths are balai/ and tests/); bench_load.py names this file.

Settings come from the environment bench_load.py sets: LOAD_SECONDS,
LOAD_COMPARE_SECONDS (0: no 1-vs-2 comparison), LOAD_WARMUP_SECONDS (the mix
run first, not measured), LOAD_WEB_CPU (each web process's share of a core in
the comparison, 0: none), LOAD_REPORT (a JSON file for the results),
LOAD_REDIS_URL (cache, sessions, queue).
"""

import contextlib
import csv
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LETTER_TYPE = "bench-pengantar"
RESIDENTS = 6000
TO_SIGN = 900
PASSWORD = "load-test-password-2026"  # noqa: S105 - the staff of a throwaway database
RSS_EVERY = 5.0  # seconds between memory samples
CGROUP_CPU = Path("/sys/fs/cgroup/cpu")  # cgroup v1's cpu controller, as on this machine

pytestmark = pytest.mark.django_db(transaction=True)


def seed() -> dict:
    """The demo regency, a village's residents, a letter type without uploads, tokens."""
    from django.core.management import call_command

    from balai.accounts.actions import create_token
    from balai.accounts.choices import Scope
    from balai.accounts.models import User
    from balai.complaints import actions as complaints
    from balai.complaints.models import Category
    from balai.letters import actions
    from balai.letters.models import LetterType, VillageLetterSettings
    from balai.regions.models import Village
    from balai.residents.choices import Status
    from balai.residents.models import Resident

    if not Village.objects.exists():
        call_command("load_regions", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    for user in User.objects.filter(username__in=["operator", "kades", "opd"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    head = User.objects.get(username="kades")
    village = head.village
    assert village is not None
    call_command("generate_residents", village=village.code, count=RESIDENTS, seed=15)
    pengantar = LetterType.objects.get(code="pengantar")
    letter_type, _ = LetterType.objects.get_or_create(
        code=LETTER_TYPE,
        defaults={
            "name": "Surat Pengantar (uji beban)",
            "title": "SURAT PENGANTAR",
            "classification": "400",
            "body": pengantar.body.replace("{{ isian.tujuan }}", "yang berkepentingan"),
            "requirements": [{"key": "ktp", "label": "KTP-el", "upload": False}],
        },
    )
    actions.enable_types(village, [LETTER_TYPE])
    VillageLetterSettings.objects.update_or_create(
        village=village,
        defaults={"uses_verification": False, "uses_secretary_check": False, "address": "Jl. 1"},
    )
    # Only the living identify themselves (generated registries hold the dead and moved too).
    residents = list(
        Resident.objects.filter(village=village, status=Status.ALIVE)
        .select_related("family", "village")
        .order_by("pk")
    )
    # The first ones wait for the head's signature; the rest apply during the run.
    to_sign, codes = [], []
    for resident in residents[:TO_SIGN]:
        req, _ = actions.submit_request(
            village=village,
            letter_type=letter_type,
            resident=resident,
            purpose="persyaratan melamar pekerjaan",
            values={},
            phone="6281234567890",
        )
        to_sign.append(str(req.uuid))
        codes.append(req.tracking_code)
    category = Category.objects.get(code="jalan-rusak")
    complaint_codes = [
        complaints.submit_complaint(
            category=category, village=village, description=f"Jalan berlubang nomor {n}."
        )[1]
        for n in range(50)
    ]
    cc = User.objects.get(username="commandcenter")
    return {
        "village": village.code,
        "category": category.code,
        "letter_form": f"/surat/ajukan/{village.code}/{LETTER_TYPE}/",
        "password": PASSWORD,
        "residents": [
            [r.nik, r.family.no_kk, r.birth_date.isoformat()] for r in residents[TO_SIGN:]
        ],
        "to_sign": to_sign,
        "letter_codes": codes[:200],
        "complaint_codes": complaint_codes,
        "letters_token": create_token(
            User.objects.get(username="operator"), [Scope.LETTERS_READ], 1
        )[1],
        "complaints_token": create_token(cc, [Scope.COMPLAINTS_READ], 1)[1],
        "open311_key": create_token(cc, [Scope.OPEN311], 1)[1],
    }


def tree(root: int) -> list[int]:
    """`root` and every process below it."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def give_a_core_share(process, share: float) -> None:
    """Put the process and its children in a cgroup of their own capped at `share` of a core.

    The comparison asks whether a second web process doubles what one serves when
    each has a core of its own. On a 2-core machine the load tool, nginx, the
    database and the workers need cores too, so each web process gets an equal
    slice instead (a CFS quota), with a high weight so nothing else takes it.
    """
    group = CGROUP_CPU / f"balai-load-{process.name}-{process.pid}"
    group.mkdir()
    period = int((group / "cpu.cfs_period_us").read_text())
    (group / "cpu.cfs_quota_us").write_text(str(int(period * share)))
    (group / "cpu.shares").write_text("65536")
    for pid in tree(process.pid):
        with contextlib.suppress(OSError):  # a process that has just gone
            (group / "cgroup.procs").write_text(str(pid))


class MemorySampler(threading.Thread):
    """Every RSS_EVERY seconds, the RSS of each process of the deployment."""

    def __init__(self, site):
        super().__init__(daemon=True)
        self.site, self.stopping = site, threading.Event()
        self.samples: dict[str, list[tuple[float, int]]] = {}
        self.started = time.monotonic()

    def run(self) -> None:
        while True:
            at = time.monotonic() - self.started
            for process in self.site.processes:
                for n, pid in enumerate(tree(process.pid)):
                    kib = rss_kib(pid)
                    if kib is not None:
                        name = process.name if n == 0 else f"{process.name}/{pid}"
                        self.samples.setdefault(name, []).append((at, kib))
            if self.stopping.wait(RSS_EVERY):
                return

    def report(self, seconds: float) -> dict[str, dict]:
        """Mean RSS (MiB) of the first and the last minute (or fifth, for a short run)."""
        window = min(60.0, max(seconds / 5, 2 * RSS_EVERY))
        rows = {}
        for name, series in sorted(self.samples.items()):
            first = [kib for at, kib in series if at <= window]
            last = [kib for at, kib in series if at >= seconds - window]
            if first and last:
                a, b = sum(first) / len(first) / 1024, sum(last) / len(last) / 1024
                rows[name] = {
                    "first": round(a, 1),
                    "last": round(b, 1),
                    "growth": b / a - 1,
                    "series_mib": [round(kib / 1024, 1) for _, kib in series],
                }
        return rows


def run_locust(site, plan: dict, seconds: float, workdir: Path, *, flat_out: bool, base: int):
    """locust headless against nginx; (per-name stats rows, the total row)."""
    plan_file = workdir / "plan.json"
    plan_file.write_text(json.dumps({**plan, "certificate": str(site.certificate)}))
    prefix = workdir / "locust"
    env = {
        **os.environ,
        "LOAD_PLAN": str(plan_file),
        "LOAD_FLAT_OUT": "1" if flat_out else "",
        "LOAD_ADDRESS_BASE": str(base),
    }
    users = 36  # the sum of the locustfile's fixed counts
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{int(seconds)}s",
            "--stop-timeout",
            "60",
            "--host",
            site.url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if not Path(f"{prefix}_stats.csv").exists():
        pytest.fail(f"locust wrote no results:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    failures = Path(f"{prefix}_failures.csv").read_text()
    total = next(r for r in rows if r["Name"] == "Aggregated")
    kinds = [r for r in rows if r["Name"] != "Aggregated"]
    if int(total["Failure Count"]) or run.returncode:
        print(run.stdout[-3000:], run.stderr[-3000:], failures, sep="\n")
    return kinds, total, failures


METRICS_TOKEN = secrets.token_urlsafe(32)


def load_env() -> dict[str, str]:
    redis_url = os.environ.get("LOAD_REDIS_URL", "")
    env = {"BALAI_METRICS_TOKEN": METRICS_TOKEN}
    return {**env, "BALAI_REDIS_URL": redis_url} if redis_url else env


def scraped(site) -> dict[str, float]:
    """What /metrics (through nginx) counted: requests answered, by status class, and errors."""
    from prometheus_client.parser import text_string_to_metric_families

    request = urllib.request.Request(  # noqa: S310 - the deployment's own https URL
        site.url + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    with urllib.request.urlopen(request, context=site.tls, timeout=60) as response:  # noqa: S310
        text = response.read().decode()
    counted: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == "balai_http_request_duration_seconds_count":
                key = f"requests {s.labels['status']}"
                counted[key] = counted.get(key, 0) + s.value
            elif s.name == "balai_errors_total":
                counted["errors"] = counted.get("errors", 0) + s.value
            elif s.name == "balai_letter_sign_seconds_count":
                counted["letters signed"] = s.value
    return counted


def used(kinds: list[dict], name: str) -> int:
    return sum(int(k["Request Count"]) for k in kinds if k["Name"] == name)


def test_load(deployment, settings, tmp_path):
    from balai.accounts.models import User
    from balai.letters import pki

    seconds = float(os.environ.get("LOAD_SECONDS", "300"))
    compare = float(os.environ.get("LOAD_COMPARE_SECONDS", "0"))
    warmup = float(os.environ.get("LOAD_WARMUP_SECONDS", "0"))
    web_cpu = float(os.environ.get("LOAD_WEB_CPU", "0"))
    # Real hashes: the deployment's processes check passwords with Balai's own hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    started = time.monotonic()
    plan = seed()
    report: dict = {"seed_seconds": round(time.monotonic() - started, 1), "runs": []}

    def layout(web: int):
        site = deployment(web=web, workers=2, env=load_env())
        settings.DATA_DIR = site.data_dir  # the head's certificate, where the processes look
        pki.init_demo_pki([User.objects.get(username="kades")])
        return site

    def consume(kinds: list[dict]) -> None:
        """What a run signed and who applied are not offered to the next run."""
        plan["to_sign"] = plan["to_sign"][used(kinds, "staff: request page") :]
        plan["residents"] = plan["residents"][used(kinds, "resident: letter form") :]

    site = layout(2)
    if warmup:
        # Each process's first letters, pages and code paths (Typst, the signer's key)
        # load what it keeps for its life: not the growth the memory check looks for.
        (tmp_path / "warmup").mkdir()
        warm_kinds, _, warm_failures = run_locust(
            site, plan, warmup, tmp_path / "warmup", flat_out=False, base=40000
        )
        consume(warm_kinds)
        report["warmup"] = {"seconds": warmup, "failures": warm_failures}
    sampler = MemorySampler(site)
    sampler.start()
    load_before = os.getloadavg()
    kinds, total, failures = run_locust(site, plan, seconds, tmp_path, flat_out=False, base=0)
    sampler.stopping.set()
    sampler.join()
    report["steady"] = {
        "seconds": seconds,
        "load_average": [load_before, os.getloadavg()],
        "kinds": kinds,
        "total": total,
        "memory": sampler.report(seconds),
        "metrics": scraped(site),
    }
    site.stop()
    consume(kinds)
    if compare:
        for n, web in enumerate((1, 2)):
            site = layout(web)
            if web_cpu:
                for process in site.web:
                    give_a_core_share(process, web_cpu)
            web_pids = [pid for process in site.web for pid in tree(process.pid)]
            load, cpu_before = os.getloadavg(), cpu_seconds(web_pids)
            workdir = tmp_path / f"web{web}"
            workdir.mkdir()
            flat_kinds, flat_total, flat_failures = run_locust(
                site, plan, compare, workdir, flat_out=True, base=20000 * (n + 1)
            )
            report["runs"].append(
                {
                    "web": web,
                    "seconds": compare,
                    "web_cpu_share": web_cpu,
                    "web_cpu_seconds": round(cpu_seconds(web_pids) - cpu_before, 1),
                    "requests": int(flat_total["Request Count"]),
                    "requests_per_second": float(flat_total["Requests/s"]),
                    "failures": int(flat_total["Failure Count"]),
                    "failure_kinds": flat_failures,
                    "load_average": [load, os.getloadavg()],
                }
            )
            site.stop()
            consume(flat_kinds)
    report["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="minutes")
    Path(os.environ.get("LOAD_REPORT", tmp_path / "report.json")).write_text(
        json.dumps(report, indent=1)
    )
    assert int(total["Failure Count"]) == 0, failures
