"""Demo letters: every catalogue type switched on in the demo villages, and in
the first village (where the demo staff work) requests in each state."""

from django.contrib.auth.hashers import make_password

from balai.accounts.choices import Role
from balai.accounts.models import User
from balai.letters import actions
from balai.letters.choices import RequestStatus
from balai.letters.models import LetterRequest, LetterType, ResidentPin, VillageLetterSettings
from balai.regions.models import Village
from balai.residents.choices import Status
from balai.residents.models import Resident

DEMO_PIN = "246810"  # printed for the demo; it must be changed at first use
PURPOSES = [
    "persyaratan melamar pekerjaan",
    "pendaftaran sekolah anak",
    "pengajuan kredit usaha rakyat",
    "persyaratan beasiswa",
    "pengurusan BPJS Kesehatan",
    "pendaftaran bantuan sosial",
    "persyaratan administrasi bank",
]


def seed(stdout) -> None:
    villages = list(Village.objects.active().order_by("code"))
    codes = list(LetterType.objects.filter(is_active=True).values_list("code", flat=True))
    for village in villages:
        VillageLetterSettings.objects.get_or_create(
            village=village,
            defaults={
                "address": f"Jl. Raya {village.name} No. 1, Kabupaten Lumajang",
                "allows_download": True,
            },
        )
        actions.enable_types(village, codes)
    stdout.write(f"letter types switched on in {len(villages)} villages")
    first = next(iter(User.objects.filter(username="kades", role=Role.VILLAGE_HEAD)), None)
    if first is None or LetterRequest.objects.filter(village=first.village).exists():
        return
    _requests(first.village, first, stdout)


def _requests(village, head, stdout) -> None:
    operator = User.objects.filter(village=village, role=Role.VILLAGE_OPERATOR).first()
    residents = list(
        Resident.objects.filter(village=village, status=Status.ALIVE, family__isnull=False)
        .exclude(birth_date=None)
        .select_related("family", "village__district")
        .order_by("nik")[:7]
    )
    if len(residents) < 7 or operator is None:
        stdout.write("no demo residents yet: letter requests skipped")
        return
    types = [
        "domisili",
        "tidak-mampu",
        "pengantar-skck",
        "belum-menikah",
        "domisili",
        "pengantar-skck",
        "kehilangan",
    ]
    values = {
        "tidak-mampu": {"penghasilan": "900000", "tanggungan": "4"},
        "kehilangan": {
            "barang": "KTP-el",
            "tanggal_hilang": "2026-11-20",
            "tempat_hilang": "Pasar Tempursari",
        },
    }
    made = []
    for resident, code, purpose in zip(residents, types, PURPOSES, strict=True):
        req, _ = actions.submit_request(
            village=village,
            letter_type=LetterType.objects.get(code=code),
            resident=resident,
            purpose=purpose,
            values=values.get(code, {}),
            phone="6281234500000",
        )
        made.append(req)
    actions.verify_request(made[1], operator)
    actions.send_back(
        made[2],
        operator,
        "Foto KTP buram; unggah ulang foto yang jelas.",
        to=RequestStatus.RETURNED,
    )
    actions.send_back(
        made[6],
        operator,
        "Pemohon sudah mendapat surat yang sama bulan ini.",
        to=RequestStatus.REJECTED,
    )
    signed = []
    for req in made[3:6]:
        actions.verify_request(req, operator)
        try:
            signed.append(actions.sign_request(req, head))
        except Exception as exc:  # no demo certificate: leave it awaiting signature
            stdout.write(f"demo letter not signed ({exc})")
            break
    if len(signed) == 3:
        actions.record_collection(signed[2].request, operator, signed[2].request.resident.name)
    ResidentPin.objects.get_or_create(
        resident=residents[0],
        defaults={"village": village, "pin_hash": make_password(DEMO_PIN), "must_change": True},
    )
    stdout.write(f"{len(made)} demo letter requests in {village}; {len(signed)} letters signed")
    stdout.write(f"  tracking code of a ready letter: {made[3].grouped_code}")
    stdout.write(f"  layanan mandiri: NIK {residents[0].nik}, PIN {DEMO_PIN} (ganti saat masuk)")
