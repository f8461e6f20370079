"""Demo village pages: a profile and a current announcement for each onboarded demo village."""

import random

from django.db import transaction
from faker import Faker

from balai.portal.models import Announcement, VillageProfile
from balai.regions.demo import demo_villages

ANNOUNCEMENTS = [
    (
        "Pelayanan surat daring lewat Balai",
        "Mulai bulan ini warga dapat mengajukan surat keterangan dari rumah lewat halaman ini. "
        "Surat yang sudah siap diambil di balai desa pada jam pelayanan.\n\n"
        "Panduan lengkap: https://lumajangkab.go.id",
    ),
    (
        "Posyandu balita dan lansia",
        "Posyandu dilaksanakan di balai desa setiap Selasa minggu kedua, pukul 08.00. "
        "Bawa buku KIA dan KTP.",
    ),
]


@transaction.atomic
def seed(stdout) -> None:
    villages = demo_villages()
    for index, village in enumerate(villages):
        fake = Faker("id_ID")
        fake.seed_instance(village.code)
        rng = random.Random(village.code)  # noqa: S311 - demo data, repeatable on purpose
        slug = village.name.lower().replace(" ", "")
        VillageProfile.objects.get_or_create(
            village=village,
            defaults={
                "head_name": fake.name(),
                "address": f"Jl. Raya {village.name} No. {rng.randint(1, 60)}, "
                f"Kec. {village.district.name}",
                "office_hours": "Senin-Kamis 08.00-15.00, Jumat 08.00-11.00",
                # The one stored form of every phone (balai/lib/phones.py).
                "phone": f"62334{rng.randint(100000, 999999)}",
                "whatsapp": f"62812{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}",
                "email": f"pemdes@{slug}.desa.id",
                "latitude": f"{-8.13 - rng.random() * 0.25:.6f}",
                "longitude": f"{112.95 + rng.random() * 0.35:.6f}",
                "about": f"{village} di Kecamatan {village.district.name}, Kabupaten Lumajang. "
                "Kantor desa melayani surat keterangan, surat pengantar, dan aduan warga.",
            },
        )
        title, body = ANNOUNCEMENTS[index % len(ANNOUNCEMENTS)]
        Announcement.objects.get_or_create(village=village, title=title, defaults={"body": body})
    stdout.write(f"{len(villages)} village pages with a profile and an announcement")
