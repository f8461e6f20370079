"""The Lumajang demo: agencies, onboarded villages and one account per role.

Every step is idempotent, so `balai seed-demo` can run on every start.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.accounts.actions import issue_enrolment_code, onboard_villages
from balai.accounts.choices import Role
from balai.accounts.models import User
from balai.agencies.models import Agency
from balai.regions.demo import demo_villages
from balai.regions.models import Village

DEMO_PASSWORD = "balai-demo-2026"  # noqa: S105 - printed for the demo, never used in production
DEMO_ENROLMENT_MINUTES = 24 * 60

AGENCIES = [
    (
        "dinas-pupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Dinas PUPR",
        "Jalan, jembatan, drainase, irigasi, penerangan jalan umum, tata ruang.",
    ),
    (
        "dlh",
        "Dinas Lingkungan Hidup",
        "DLH",
        "Sampah, kebersihan, pencemaran, taman kota, pohon tumbang di taman.",
    ),
    (
        "dishub",
        "Dinas Perhubungan",
        "Dishub",
        "Lalu lintas, rambu, lampu lalu lintas, parkir, angkutan umum.",
    ),
    (
        "bpbd",
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        "Banjir, tanah longsor, erupsi Semeru, kebakaran hutan, pohon tumbang, bencana.",
    ),
    ("dinkes", "Dinas Kesehatan", "Dinkes", "Puskesmas, layanan kesehatan, wabah, gizi, sanitasi."),
    (
        "dispendik",
        "Dinas Pendidikan",
        "Dispendik",
        "Sekolah dasar dan menengah pertama, guru, bantuan pendidikan.",
    ),
    (
        "dispendukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dispendukcapil",
        "KTP-el, Kartu Keluarga, akta kelahiran dan kematian, pindah datang.",
    ),
    (
        "dinsos",
        "Dinas Sosial",
        "Dinsos",
        "Bantuan sosial, PKH, orang terlantar, penyandang disabilitas.",
    ),
    (
        "satpol-pp",
        "Satuan Polisi Pamong Praja",
        "Satpol PP",
        "Ketertiban umum, pedagang kaki lima, bangunan liar, penegakan perda.",
    ),
    (
        "diskominfo",
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
        "Internet desa, CCTV, aplikasi pemerintah, informasi publik.",
    ),
    (
        "perkim",
        "Dinas Perumahan dan Kawasan Permukiman",
        "Disperkim",
        "Rumah tidak layak huni, permukiman kumuh, air bersih permukiman.",
    ),
    (
        "dinas-pertanian",
        "Dinas Pertanian",
        "Dinas Pertanian",
        "Pupuk, irigasi tersier, hama tanaman, penyuluhan pertanian.",
    ),
]

ACCOUNTS = [
    ("operator", Role.VILLAGE_OPERATOR, "Operator Desa"),
    ("sekdes", Role.VILLAGE_SECRETARY, "Sekretaris Desa"),
    ("kades", Role.VILLAGE_HEAD, "Kepala Desa"),
    ("operator2", Role.VILLAGE_OPERATOR, "Operator Desa Kedua"),
    ("kecamatan", Role.DISTRICT_STAFF, "Staf Kecamatan"),
    ("opd", Role.AGENCY_STAFF, "Staf Dinas PUPR"),
    ("admin", Role.REGENCY_ADMIN, "Admin Kabupaten"),
    ("commandcenter", Role.COMMAND_CENTER, "Petugas Command Center"),
]


@transaction.atomic
def seed_agencies() -> None:
    for slug, name, short_name, duties in AGENCIES:
        Agency.objects.update_or_create(
            slug=slug, defaults={"name": name, "short_name": short_name, "duties": duties}
        )


@transaction.atomic
def seed_accounts(villages: list[Village]) -> list[tuple[str, str]]:
    first, second = villages[0], villages[1]
    scope: dict[str, dict[str, Any]] = {
        "operator": {"village": first},
        "sekdes": {"village": first},
        "kades": {"village": first},
        "operator2": {"village": second},
        "kecamatan": {"district": first.district},
        "opd": {"agency": Agency.objects.get(slug="dinas-pupr")},
    }
    printed = []
    for username, role, full_name in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": full_name,
                **scope.get(username, {}),
                "is_staff": role == Role.REGENCY_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        target = user.village or user.district or user.agency or settings.BALAI_REGENCY
        printed.append((username, f"{user.get_role_display()} — {target}"))
    return printed


def seed(stdout) -> None:
    seed_agencies()
    villages = demo_villages()
    onboard_villages([v.code for v in villages])
    accounts = seed_accounts(villages)
    stdout.write(f"{len(villages)} villages onboarded, {len(AGENCIES)} agencies")
    stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, label in accounts:
        stdout.write(f"  {username:<14} {label}")
    admin = User.objects.get(username="admin")
    if not TOTPDevice.objects.filter(user=admin, confirmed=True).exists():
        # The password alone cannot enrol an admin's authenticator: print the one-time code.
        code = issue_enrolment_code(admin, minutes=DEMO_ENROLMENT_MINUTES)
        stdout.write(
            f"  admin's enrolment code: {code} (once, within 24 hours; then scan the QR code "
            "with an authenticator app)"
        )
