"""Demo complaints for Lumajang: the routing table by duty and a few reports."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from balai.accounts.models import User
from balai.agencies.models import Agency
from balai.complaints import actions
from balai.complaints.choices import Privacy, UnitKind
from balai.complaints.models import Category, Complaint, RoutingOverride
from balai.regions.models import Village

# code, name, agency slug (or "village" / "" for the command center), days, group, keywords
CATEGORIES = [
    (
        "jalan-rusak",
        "Jalan kabupaten rusak/berlubang",
        "dinas-pupr",
        10,
        "Infrastruktur",
        "jalan, lubang, aspal",
    ),
    ("jembatan", "Jembatan rusak", "dinas-pupr", 15, "Infrastruktur", "jembatan"),
    (
        "drainase",
        "Saluran air/drainase tersumbat",
        "dinas-pupr",
        7,
        "Infrastruktur",
        "got, selokan, banjir kecil",
    ),
    ("pju", "Penerangan jalan umum mati", "dinas-pupr", 5, "Infrastruktur", "lampu jalan, PJU"),
    ("sampah", "Sampah menumpuk/TPS penuh", "dlh", 3, "Lingkungan", "sampah, TPS, bau"),
    ("pencemaran", "Pencemaran air/udara", "dlh", 10, "Lingkungan", "limbah, asap, sungai"),
    (
        "lampu-lalu-lintas",
        "Lampu lalu lintas rusak",
        "dishub",
        3,
        "Perhubungan",
        "traffic light, bangjo",
    ),
    ("parkir-liar", "Parkir liar/rambu rusak", "dishub", 5, "Perhubungan", "parkir, rambu"),
    ("banjir", "Banjir", "bpbd", 2, "Kebencanaan", "banjir, genangan"),
    ("longsor", "Tanah longsor", "bpbd", 2, "Kebencanaan", "longsor"),
    (
        "semeru",
        "Dampak erupsi Semeru/lahar",
        "bpbd",
        2,
        "Kebencanaan",
        "Semeru, lahar, abu vulkanik",
    ),
    ("pohon-tumbang", "Pohon tumbang", "bpbd", 2, "Kebencanaan", "pohon"),
    (
        "layanan-kesehatan",
        "Layanan puskesmas/kesehatan",
        "dinkes",
        5,
        "Kesehatan",
        "puskesmas, BPJS, obat",
    ),
    ("ktp-kk", "KTP-el, KK dan akta", "dispendukcapil", 5, "Kependudukan", "KTP, KK, akta"),
    ("bansos", "Bantuan sosial (PKH, BPNT)", "dinsos", 10, "Sosial", "bansos, PKH, BPNT"),
    ("pkl", "Pedagang kaki lima/ketertiban umum", "satpol-pp", 5, "Ketertiban", "PKL, trotoar"),
    (
        "cctv-internet",
        "CCTV atau internet desa mati",
        "diskominfo",
        3,
        "TIK",
        "CCTV, wifi, internet",
    ),
    ("sekolah", "Sekolah dasar/menengah pertama", "dispendik", 10, "Pendidikan", "sekolah, guru"),
    (
        "jalan-desa",
        "Jalan desa/jalan lingkungan",
        "village",
        10,
        "Desa",
        "jalan desa, gang, makadam",
    ),
    (
        "pelayanan-desa",
        "Pelayanan kantor desa",
        "village",
        5,
        "Desa",
        "surat, balai desa, perangkat",
    ),
    ("pungli", "Pungutan liar/penyalahgunaan wewenang", "", 10, "Integritas", "pungli, suap"),
    ("lainnya", "Lainnya", "", 10, "Lainnya", ""),
]

SAMPLES = [
    (
        "jalan-rusak",
        "Jalan berlubang dalam di tikungan dekat pasar, sudah dua motor jatuh.",
        -8.133,
        113.224,
    ),
    (
        "sampah",
        "TPS di ujung gang penuh sejak minggu lalu, sampah meluber ke jalan.",
        -8.121,
        113.215,
    ),
    ("lampu-lalu-lintas", "Lampu merah di perempatan mati sejak pagi.", -8.135, 113.226),
    ("jalan-desa", "Jalan makadam dusun rusak setelah hujan, sulit dilewati.", None, None),
    ("semeru", "Aliran lahar dingin menutup jalan penghubung antar dusun.", -8.178, 112.958),
    ("pju", "Tiga lampu jalan mati berturut-turut, jalan gelap malam hari.", -8.140, 113.230),
]


@transaction.atomic
def seed_categories() -> None:
    agencies = {a.slug: a for a in Agency.objects.all()}
    for order, (code, name, unit, days, group, keywords) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "agency": agencies.get(unit),
                "handled_by_village": unit == "village",
                "sensitive": code == "pungli",
                "resolution_days": days,
                "group": group,
                "keywords": keywords,
                "order": order,
            },
        )
    # Roads in Pronojiwo (on Semeru's slope) after eruptions are BPBD's first.
    pronojiwo = Village.objects.in_regency().filter(district__name__iexact="Pronojiwo").first()
    if pronojiwo and "bpbd" in agencies:
        RoutingOverride.objects.get_or_create(
            category=Category.objects.get(code="jalan-rusak"),
            district_id=pronojiwo.district_id,
            defaults={"unit_kind": UnitKind.AGENCY, "agency": agencies["bpbd"]},
        )


def seed_reports() -> int:
    if Complaint.objects.exists():
        return 0
    villages = list(Village.objects.active().order_by("code")[:6])
    if not villages:
        return 0
    cc = User.objects.filter(role="command_center").first()
    officer = User.objects.filter(role="agency_staff", agency__slug="dinas-pupr").first()
    now = timezone.now()
    made = []
    for i, (code, text, lat, lng) in enumerate(SAMPLES):
        complaint, _ = actions.submit_complaint(
            category=Category.objects.get(code=code),
            village=villages[i % len(villages)],
            description=text,
            privacy=Privacy.ANONYMOUS if i % 3 == 2 else Privacy.PUBLIC,
            latitude=lat,
            longitude=lng,
            reporter_name="Warga Demo",
            now=now - timedelta(days=6 - i),
        )
        made.append(complaint)
    if cc and officer:
        road, garbage = made[0], made[1]
        actions.verify_complaint(road, cc, now=now - timedelta(days=5))
        actions.start_progress(
            road, officer, "Tim survei dijadwalkan.", now=now - timedelta(days=4)
        )
        actions.verify_complaint(garbage, cc, now=now - timedelta(days=4))
        actions.verify_complaint(made[5], cc, now=now - timedelta(hours=20))
        actions.resolve_complaint(
            made[5], officer, "Lampu sudah diganti.", now=now - timedelta(hours=2)
        )
    return len(made)


def seed(stdout) -> None:
    seed_categories()
    made = seed_reports()
    stdout.write(f"{len(CATEGORIES)} complaint categories, {made} demo complaints")
