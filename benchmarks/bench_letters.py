"""Letter services on SQLite (issue 4): issuing, the tracking page, submissions.

    .venv/bin/python benchmarks/bench_letters.py

1. Issuing through the workflow's own `sign_request` (number, render, QR,
   sign, store the PDF and its SHA-256, letter row, status, step, audit,
   notification): letters/s in one process with each stage's share, then in
   two processes (two villages, each its own head) on the machine's 2 cores.
   Target: at least 40 letters/s.
2. The tracking page and request submission, served by gunicorn on 127.0.0.1
   (2 sync workers) beside two bare Django views in the same server and run:
   one primary-key read (the tracking page's baseline) and one insert (the
   submission's). Load comes from this process (threads, bounded by count and
   time). Target: each at least 50% of its baseline's requests/s.
"""

import argparse
import http.client
import multiprocessing
import os
import re
import signal
import statistics
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import free_port, http_load, p95, setup_django, stamp, start_gunicorn  # noqa: E402

VILLAGES = ["35.08.01.2001", "35.08.01.2002", "35.08.01.2003"]
BENCH_TYPE = "bench-pengantar"


def world(residents_per_village: int) -> None:
    """Regions, heads with demo certificates, residents, letter types switched on."""
    import datetime as dt

    from django.db import connection

    from balai.accounts.choices import Role
    from balai.accounts.models import User
    from balai.letters import actions, pki
    from balai.letters.models import LetterType, VillageLetterSettings
    from balai.regions.models import District, Province, Regency, Village
    from balai.residents.models import Family, Resident

    Province.objects.get_or_create(code="35", defaults={"name": "Jawa Timur"})
    Regency.objects.get_or_create(
        code="35.08", defaults={"province_id": "35", "name": "Kabupaten Lumajang"}
    )
    District.objects.get_or_create(
        code="35.08.01", defaults={"regency_id": "35.08", "name": "Tempursari"}
    )
    heads = []
    for i, code in enumerate(VILLAGES):
        village, _ = Village.objects.get_or_create(
            code=code,
            defaults={"district_id": "35.08.01", "name": f"Desa {i + 1}", "is_active": True},
        )
        VillageLetterSettings.objects.update_or_create(
            village=village, defaults={"uses_verification": False, "address": "Jl. Raya 1"}
        )
        heads.append(
            User.objects.get_or_create(
                username=f"kades{i}",
                defaults={"role": Role.VILLAGE_HEAD, "village": village, "first_name": "Kades"},
            )[0]
        )
        User.objects.get_or_create(
            username=f"operator{i}", defaults={"role": Role.VILLAGE_OPERATOR, "village": village}
        )
        family = Family.objects.create(
            no_kk=f"35080101{i:02d}{0:06d}",
            village=village,
            address="Jl. Kenanga",
            rt="001",
            rw="002",
            dusun="Krajan",
        )
        Resident.objects.bulk_create(
            [
                Resident(
                    nik=f"3508014207{i:02d}{n:04d}",
                    village=village,
                    family=family,
                    name=f"Warga Nomor {n}",
                    sex=2,
                    birth_place="Lumajang",
                    birth_date=dt.date(1961, 7, 2),
                    religion=1,
                    occupation=9,
                )
                for n in range(residents_per_village)
            ]
        )
    # A type whose requirements are shown at pickup (no uploads): submissions
    # then measure the workflow, not image re-encoding.
    LetterType.objects.get_or_create(
        code=BENCH_TYPE,
        defaults={
            "name": "Surat Pengantar (uji beban)",
            "title": "SURAT PENGANTAR",
            "classification": "400",
            "body": LetterType.objects.get(code="pengantar").body.replace(
                "{{ isian.tujuan }}", "yang berkepentingan"
            ),
            "requirements": [{"key": "ktp", "label": "KTP-el", "upload": False}],
        },
    )
    for village in Village.objects.filter(code__in=VILLAGES):
        actions.enable_types(village, [BENCH_TYPE, "domisili"])
    pki.init_demo_pki(heads)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert "
            "(id integer PRIMARY KEY AUTOINCREMENT, body text, created_at text)"
        )


def requests_to_sign(village_code: str, n: int) -> list:
    from balai.letters import actions
    from balai.letters.models import LetterType
    from balai.residents.models import Resident

    letter_type = LetterType.objects.get(code="domisili")
    residents = list(
        Resident.objects.filter(village_id=village_code).select_related("village", "family")[:n]
    )
    made = []
    for i in range(n):
        resident = residents[i % len(residents)]
        req, _ = actions.submit_request(
            village=resident.village,
            letter_type=letter_type,
            resident=resident,
            purpose="persyaratan melamar pekerjaan",
            values={},
            phone="6281234567890",
        )
        made.append(req)
    return made


STAGES = {
    "number (counter row)": ("balai.letters.actions", "_take_number"),
    "render (Typst, PDF/A)": ("balai.letters.rendering", "render_letter"),
    "QR code": ("balai.letters.rendering", "qr_svg"),
    "sign (PAdES)": ("balai.letters.signing", "sign_pdf"),
    "store the PDF file": ("django.core.files.storage.FileSystemStorage", "_save"),
}


def timed_stages() -> dict:
    """Wrap each stage's function to add up its time (in this process)."""
    import importlib

    totals: defaultdict[str, float] = defaultdict(float)
    for label, (module_name, attr) in STAGES.items():
        if "." in attr:
            continue
        owner: object
        if module_name.endswith("FileSystemStorage"):
            from django.core.files.storage import FileSystemStorage

            owner = FileSystemStorage
        else:
            owner = importlib.import_module(module_name)
        original = getattr(owner, attr)

        def wrapper(*args, _original=original, _label=label, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                totals[_label] += time.perf_counter() - start

        setattr(owner, attr, wrapper)
    return totals


def issue_many(village_code: str, n: int, with_stages: bool):
    from balai.accounts.models import User
    from balai.letters import actions

    head = User.objects.get(village_id=village_code, role="village_head")
    batch = requests_to_sign(village_code, n + 1)
    actions.sign_request(batch.pop(), head)  # warm the compiler, fonts and signer
    totals = timed_stages() if with_stages else {}
    start, cpu = time.perf_counter(), time.process_time()
    for req in batch:
        actions.sign_request(req, head)
    return time.perf_counter() - start, time.process_time() - cpu, dict(totals)


def process_worker(data_dir, village_code, n, barrier, results):
    os.environ["BALAI_DATA_DIR"] = data_dir
    import django

    django.setup()
    from balai.accounts.models import User
    from balai.letters import actions

    head = User.objects.get(village_id=village_code, role="village_head")
    batch = requests_to_sign(village_code, n + 1)
    actions.sign_request(batch.pop(), head)
    barrier.wait()
    start, cpu = time.perf_counter(), time.process_time()
    for req in batch:
        actions.sign_request(req, head)
    results.put((n, start, time.perf_counter(), time.process_time() - cpu))


def load(port, make_request, clients: int, seconds: float, cap: int, ok=(200, 201, 302)):
    """Requests/s and p95 from `clients` threads, bounded by time and by count."""
    count, elapsed, latencies = http_load(port, make_request, clients, seconds, cap, ok)
    return count / elapsed, p95(latencies)


def csrf(port: int, path: str) -> tuple[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    html = response.read().decode()
    set_cookie = response.getheader("Set-Cookie")
    field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert set_cookie and field, f"{path} set no CSRF cookie or form field"
    cookie, token = set_cookie.split(";")[0], field.group(1)
    return cookie, token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=200, help="letters per issuing run")
    parser.add_argument("--seconds", type=float, default=10, help="per HTTP run")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="alternating HTTP rounds")
    parser.add_argument("--http-only", action="store_true", help="skip the issuing runs")
    args = parser.parse_args()
    data_dir = setup_django()
    world(residents_per_village=400)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)

    print(f"# Letters on SQLite — {stamp()}")

    if not args.http_only:
        issuing(args, data_dir)
    else:
        requests_to_sign(VILLAGES[0], 200)
    http_runs(args)


def issuing(args, data_dir) -> None:
    from django.db import connection

    # 1. issuing, one process, with stages
    elapsed, cpu, totals = issue_many(VILLAGES[0], args.letters, with_stages=True)
    rate = args.letters / elapsed
    print(
        f"issue, one process: {rate:.1f} letters/s wall clock, {args.letters / cpu:.1f} "
        f"letters per CPU-second ({args.letters} letters; load average {os.getloadavg()[0]:.1f})"
    )
    inner = totals.get("QR code", 0.0)
    shares = dict(totals)
    shares["render (Typst, PDF/A)"] -= inner  # render_letter calls qr_svg
    shares["workflow: request lock, letter row, status, step, audit, notification"] = elapsed - sum(
        shares.values()
    )
    for label, seconds in shares.items():
        print(f"  {label:<72} {100 * seconds / elapsed:5.1f}%")

    # 2. issuing, two processes, two villages
    connection.close()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(target=process_worker, args=(data_dir, code, args.letters, barrier, results))
        for code in VILLAGES[1:3]
    ]
    for p in procs:
        p.start()
    got = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    total = sum(n for n, _, _, _ in got)
    span = max(end for _, _, end, _ in got) - min(start for _, start, _, _ in got)
    per_cpu = sum(n / cpu for n, _, _, cpu in got)
    print(
        f"issue, two processes (two villages): {total / span:.1f} letters/s wall clock; "
        f"{per_cpu:.1f} letters/s if each process had its core "
        f"(load average {os.getloadavg()[0]:.1f})"
    )

    from django.db.models import Count

    from balai.letters.models import Letter

    dupes = (
        Letter.objects.values("village", "year", "scope", "sequence")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    for code in VILLAGES:
        seqs = sorted(Letter.objects.filter(village_id=code).values_list("sequence", flat=True))
        assert seqs == list(range(1, len(seqs) + 1)), f"gap in {code}"
    assert dupes == 0
    print("numbers: no gaps, no duplicates")


def http_runs(args) -> None:
    from django.db import connection

    from balai.letters.models import LetterRequest

    # 3. HTTP: tracking page and submission against bare views, same server
    codes = list(LetterRequest.objects.values_list("tracking_code", flat=True)[:500])
    pks = list(LetterRequest.objects.values_list("pk", flat=True)[:500])
    connection.close()
    port = free_port()
    server = start_gunicorn("benchmarks.letters_wsgi", port, args.workers)
    try:

        def get(path_of):
            return lambda w, n: ("GET", path_of(w, n), None, {})

        track = get(lambda w, n: f"/surat/lacak/{codes[(w * 997 + n) % len(codes)]}/")
        bare_read = get(lambda w, n: f"/bench/read/{pks[(w * 997 + n) % len(pks)]}")
        load(port, track, args.clients, 2, 200)  # warm up both workers
        load(port, bare_read, args.clients, 2, 200)

        form_path = f"/surat/ajukan/{VILLAGES[0]}/{BENCH_TYPE}/"
        cookie, token = csrf(port, form_path)
        niks = [f"3508014207{0:02d}{n:04d}" for n in range(400)]
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}

        def submit(w, n):
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "nik": niks[(w * 101 + n) % len(niks)],
                    "no_kk": "3508010100000000",
                    "birth_date": "1961-07-02",
                    "purpose": "persyaratan melamar pekerjaan",
                    "phone": "081234567890",
                    "idempotency_key": str(uuid.uuid4()),
                }
            )
            return "POST", form_path, body, headers

        def insert(w, n):
            body = urlencode({"purpose": f"persyaratan melamar pekerjaan {w}-{n}"})
            return (
                "POST",
                "/bench/insert",
                body,
                {"Content-Type": "application/x-www-form-urlencoded"},
            )

        load(port, insert, args.clients, 2, 200)
        load(port, submit, args.clients, 2, 200, ok=(302,))
        # Alternate baseline and page in short rounds; the medians resist the
        # load other work puts on the machine meanwhile.
        runs = defaultdict(list)
        for _round in range(args.rounds):
            runs["read"].append(load(port, bare_read, args.clients, args.seconds, 50_000))
            runs["track"].append(load(port, track, args.clients, args.seconds, 50_000))
            runs["insert"].append(load(port, insert, args.clients, args.seconds, 50_000))
            runs["submit"].append(load(port, submit, args.clients, args.seconds, 50_000, ok=(302,)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    med = {
        k: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v))
        for k, v in runs.items()
    }
    ratios = {
        "track": statistics.median(
            t[0] / r[0] for t, r in zip(runs["track"], runs["read"], strict=True)
        ),
        "submit": statistics.median(
            t[0] / r[0] for t, r in zip(runs["submit"], runs["insert"], strict=True)
        ),
    }
    print(
        f"HTTP, gunicorn {args.workers} sync workers, {args.clients} client threads, "
        f"{args.rounds} rounds of {args.seconds:.0f} s each, medians:"
    )
    for key, label, base in [
        ("read", "bare PK read", None),
        ("track", "tracking page", "track"),
        ("insert", "bare insert", None),
        ("submit", "submission", "submit"),
    ]:
        rps, p = med[key]
        extra = f"  = {100 * ratios[base]:.0f}% of its baseline" if base else ""
        print(f"  {label:<15} {rps:7.0f} req/s  p95 {p * 1000:6.1f} ms{extra}")


if __name__ == "__main__":
    main()
