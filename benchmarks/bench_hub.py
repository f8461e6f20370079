"""The service catalogue (issue 13): search latency and page weight.

Targets: search p95 under 50 ms with 2,000 catalogue entries, on SQLite and on
PostgreSQL; catalogue pages no heavier than the village pages (under 30 KB
compressed with their CSS).

- Search: the demo catalogue (agencies' services, every letter type and
  complaint category) plus synthetic agency entries up to 2,000, each with a
  name, a plain description, requirements and tags drawn from realistic
  Indonesian service vocabulary. 40 queries residents type (with typos,
  synonyms and filler words), each run 25 times through `search.search`
  (the page's and the API's one path: parse, typo lookup, synonyms, the
  ranked full-text query, loading the entries). Baseline in the same run: a
  bare indexed lookup, `Service.objects.filter(slug=...).first()`.
  SQLite and PostgreSQL each run in their own process; PostgreSQL's database
  is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/balai_bench_hub),
  dropped and created fresh.
- Weight: the entry, agency, theme and search pages and their stylesheet,
  each gzipped (level 6), against the demo village page in the same run.
"""

import gzip
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import p95, setup_django, stamp

ENTRIES = 2000
RUNS = 25
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/balai_bench_hub"

QUERIES = [
    "ktp hilang",
    "ktp hlang",
    "surat pindah",
    "jalan rusak",
    "bansos",
    "akta lahir",
    "akte kelahrian",
    "kartu keluarga",
    "sktm",
    "surat keterangan domisili",
    "cara mengurus akte kelahiran anak",
    "lampu jalan mati",
    "sampah menumpuk",
    "banjir",
    "bikin e-ktp",
    "pkh",
    "mutasi penduduk",
    "jalan berlubang dekat pasar",
    "puskesmas",
    "ambulan",
    "izin mendirikan bangunan",
    "pupuk subsidi",
    "kursi roda",
    "imb",
    "kk hilang",
    "bpjs gratis",
    "daftar sekolah smp",
    "surat kematian",
    "surat nikah",
    "pungli",
    "bantuan sosail",
    "kartu keluraga",
    "domisilli",
    "tanah longsor semeru",
    "legalisir ijazah",
    "uji kir",
    "bedah rumah",
    "informasi publik",
    "posyandu",
    "qwxzvbk",
]

WORDS = {
    "what": [
        "izin",
        "rekomendasi",
        "pendaftaran",
        "bantuan",
        "pelayanan",
        "pengesahan",
        "pemeriksaan",
        "penerbitan",
        "perpanjangan",
        "konsultasi",
        "pendampingan",
        "pelatihan",
    ],
    "thing": [
        "usaha mikro",
        "reklame",
        "trayek angkutan",
        "sumur bor",
        "irigasi tersier",
        "benih padi",
        "ternak sapi",
        "vaksin rabies",
        "alat tangkap ikan",
        "koperasi",
        "tenaga kerja",
        "kartu pencari kerja",
        "wisata desa",
        "sanggar seni",
        "pemakaman",
        "sertifikat halal",
        "pangan olahan",
        "rumah makan",
        "menara telekomunikasi",
        "air bersih",
        "hidran",
        "taman kota",
        "pohon pelindung",
        "jembatan desa",
        "perahu nelayan",
        "lahan kritis",
        "bibit pohon",
        "gizi balita",
        "lansia",
        "anak jalanan",
        "disabilitas netra",
        "korban bencana",
        "beasiswa mahasiswa",
    ],
    "where": [
        "Pasirian",
        "Tempeh",
        "Candipuro",
        "Pronojiwo",
        "Tempursari",
        "Senduro",
        "Klakah",
        "Ranuyoso",
        "Yosowilangun",
        "Kunir",
        "Sukodono",
        "Rowokangkung",
    ],
}


class Quiet:
    def write(self, *_):
        pass


def synthetic(n: int, agencies, themes) -> int:
    from balai.hub import index
    from balai.hub.models import Service

    rng = random.Random(13)
    made = 0
    with index.batch():
        for i in range(n):
            what, thing = rng.choice(WORDS["what"]), rng.choice(WORDS["thing"])
            where = rng.choice(WORDS["where"])
            service = Service.objects.create(
                slug=f"layanan-{i}",
                name=f"{what.capitalize()} {thing} Kecamatan {where}",
                description=(
                    f"{what.capitalize()} {thing} untuk warga Kecamatan {where}. Ajukan di "
                    f"kantor kecamatan atau secara daring; petugas memeriksa berkas dan "
                    f"memberi kabar lewat WhatsApp."
                ),
                requirements="KTP-el\nKartu Keluarga\nSurat pengantar desa",
                duration_days=rng.randint(1, 30),
                tags=f"{thing}, {where.lower()}",
                agency=rng.choice(agencies),
                status=rng.choice(["live", "live", "live", "trial", "planned"]),
            )
            service.themes.set(rng.sample(themes, 2))
            made += 1
    return made


def bench_search(label: str) -> None:
    """Run in its own process, with DATABASE_URL (or not) set by the parent."""
    setup_django(os.environ.get("DATABASE_URL"))
    from django.db import connection

    from balai.agencies.models import Agency
    from balai.complaints.demo import seed_categories
    from balai.core.demo import seed_agencies
    from balai.hub import demo, search
    from balai.hub.models import Service, Theme

    seed_agencies()
    seed_categories()
    demo.seed(Quiet())
    start = time.perf_counter()
    extra = ENTRIES - Service.objects.count()
    synthetic(extra, list(Agency.objects.all()), list(Theme.objects.all()))
    indexing = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Service.objects.count()

    for q in QUERIES:  # warm: stemmer caches, the synonym cache, the database's pages
        search.search(q)
    slugs = list(Service.objects.values_list("slug", flat=True)[:200])
    searched, looked_up, cpu, found = [], [], [], 0
    for _ in range(RUNS):
        for q in QUERIES:
            begin, begin_cpu = time.perf_counter(), time.process_time()
            results, _query = search.search(q, limit=20)
            searched.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
            found += bool(results)
        for slug in slugs[: len(QUERIES)]:
            begin = time.perf_counter()
            Service.objects.filter(slug=slug).first()
            looked_up.append((time.perf_counter() - begin) * 1000)
    load = os.getloadavg()[0]
    print(f"search on {label}, {stamp()}")
    print(f"  entries: {total} ({extra} synthetic, indexed in {indexing:.1f} s)")
    print(f"  {len(QUERIES)} queries x {RUNS}: {found}/{len(searched)} found something")
    print(
        f"  search: median {statistics.median(searched):.2f} ms, p95 {p95(searched):.2f} ms"
        f" (target p95 < 50 ms)"
    )
    print(
        f"  bare indexed lookup: median {statistics.median(looked_up):.2f} ms, "
        f"p95 {p95(looked_up):.2f} ms"
    )
    print(f"  search / lookup, p95: {p95(searched) / p95(looked_up):.1f}x (load {load:.1f})")
    print(
        f"  this process's CPU per search (not the database server's): median "
        f"{statistics.median(cpu):.2f} ms, p95 {p95(cpu):.2f} ms"
    )


def fresh_postgres(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"  PostgreSQL not reachable at {admin}: {exc}; skipped")
        return False
    return True


def weight() -> None:
    setup_django()
    from django.core.management import call_command
    from django.test import Client

    from balai.complaints.demo import seed as seed_complaints
    from balai.core.demo import seed as seed_core
    from balai.hub import demo
    from balai.letters.actions import enable_types
    from balai.letters.models import LetterType
    from balai.portal.demo import seed as seed_portal
    from balai.regions.demo import demo_villages
    from balai.regions.loading import load_regions

    load_regions()
    seed_core(Quiet())
    seed_complaints(Quiet())
    seed_portal(Quiet())
    demo.seed(Quiet())
    call_command("collectstatic", interactive=False, verbosity=0)
    village = demo_villages()[0]
    enable_types(village, list(LetterType.objects.values_list("code", flat=True)))
    browser = Client(HTTP_HOST="127.0.0.1")

    def get(path: str) -> bytes:
        response = browser.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return b"".join(response) if response.streaming else response.content

    village_html = get(f"/desa/{village.code}/")
    link = re.search(rb'<link rel="stylesheet" href="([^"]+)"', village_html)
    assert link, "no stylesheet"
    from django.conf import settings

    css_path = Path(settings.STATIC_ROOT) / link.group(1).decode().removeprefix(settings.STATIC_URL)
    css_gz = len(gzip.compress(css_path.read_bytes(), 6))
    pages = {
        "village page (baseline)": f"/desa/{village.code}/",
        "catalogue home": "/katalog/",
        "entry: KTP-el hilang/rusak": "/katalog/layanan/ktp-el-hilang-rusak/",
        "agency: Dispendukcapil": "/katalog/opd/dispendukcapil/",
        "theme: kependudukan": "/katalog/tema/kependudukan/",
        "search: 'surat' (20 results)": "/katalog/cari/?q=surat",
        "portal home with the search box": "/",
    }
    print(f"catalogue page weight, {stamp()}")
    print(f"  CSS: {css_gz:,} B gzip (shared)")
    for label, path in pages.items():
        html = get(path)
        html_gz = len(gzip.compress(html, 6))
        total = (html_gz + css_gz) / 1024
        print(f"  {label:34} HTML {len(html):>6,} B, {html_gz:>5,} B gzip; with CSS {total:.1f} KB")


def main() -> None:
    here = str(Path(__file__).resolve())
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run([sys.executable, here, "--search", "SQLite"], env=env, check=True)
    url = os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT)
    if fresh_postgres(url):
        pg_env = {**env, "DATABASE_URL": url}
        subprocess.run([sys.executable, here, "--search", "PostgreSQL"], env=pg_env, check=True)
    subprocess.run([sys.executable, here, "--weight"], env=env, check=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--search":
        bench_search(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--weight":
        weight()
    else:
        main()
