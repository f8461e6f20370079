"""Generated entries: village letter types and complaint categories in the catalogue.

Each letter type and each complaint category has exactly one entry
(`Service.source` + `source_code`), rewritten from its source whenever the
source is saved (signals.py) and by `sync_all` (the demo, `balai
sync-catalogue`). Their text is edited where they come from (the letters and
complaints admin); the catalogue only adds themes.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from balai.complaints.models import Category
from balai.hub import index, search
from balai.hub.choices import Source, Status
from balai.hub.models import Service, Synonym, Theme
from balai.hub.vocabulary import SYNONYMS
from balai.letters.models import LetterType

# slug, name, description: the themes a resident looks under.
THEMES = [
    ("kependudukan", "Kependudukan", "KTP-el, Kartu Keluarga, akta, pindah datang."),
    ("surat-desa", "Surat dari desa", "Surat keterangan dari kantor desa/kelurahan."),
    ("sosial", "Bantuan sosial", "Bansos, PKH, BPNT, warga tidak mampu, disabilitas."),
    ("kesehatan", "Kesehatan", "Puskesmas, BPJS, ambulans, gizi dan imunisasi."),
    ("pendidikan", "Pendidikan", "Sekolah, pendaftaran murid baru, beasiswa."),
    ("infrastruktur", "Jalan dan infrastruktur", "Jalan, jembatan, drainase, lampu jalan."),
    ("lingkungan", "Lingkungan", "Sampah, pencemaran, taman."),
    ("kebencanaan", "Kebencanaan", "Banjir, longsor, Semeru, keadaan darurat."),
    ("perizinan", "Perizinan dan usaha", "Izin usaha, bangunan, UMKM."),
    ("ketertiban", "Ketertiban dan perhubungan", "Lalu lintas, parkir, PKL, ketertiban umum."),
    ("aduan", "Pengaduan", "Laporkan masalah; diteruskan ke yang bertugas."),
    ("informasi", "Informasi dan TIK", "Internet desa, CCTV, aplikasi, informasi publik."),
]

# A complaint category's group -> the theme its entry is listed under.
GROUP_THEMES = {
    "Infrastruktur": "infrastruktur",
    "Lingkungan": "lingkungan",
    "Perhubungan": "ketertiban",
    "Ketertiban": "ketertiban",
    "Kebencanaan": "kebencanaan",
    "Kesehatan": "kesehatan",
    "Kependudukan": "kependudukan",
    "Sosial": "sosial",
    "Pendidikan": "pendidikan",
    "TIK": "informasi",
    "Desa": "surat-desa",
}
LETTER_THEMES = {
    "kelahiran": ["kependudukan"],
    "kematian": ["kependudukan"],
    "pindah": ["kependudukan"],
    "domisili": ["kependudukan"],
    "tidak-mampu": ["sosial"],
    "usaha": ["perizinan"],
}


def load_themes() -> None:
    for order, (slug, name, description) in enumerate(THEMES):
        Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )


def load_synonyms() -> int:
    """The starting vocabulary; phrases already there (maybe moved by the admin) stay."""
    have = set(Synonym.objects.values_list("phrase", flat=True))
    new = [
        Synonym(group=group, phrase=phrase)
        for group, phrases in SYNONYMS.items()
        for phrase in phrases
        if phrase not in have
    ]
    Synonym.objects.bulk_create(new, ignore_conflicts=True)
    index.add_words(search.surface_words(*(s.phrase for s in new)))
    search.forget_synonyms()
    return len(new)


def _themes(slugs: list[str]) -> list[Theme]:
    return list(Theme.objects.filter(slug__in=slugs))


def _upsert(source: str, code: str, fields: dict, themes: list[str]) -> Service:
    service = Service.objects.filter(source=source, source_code=code).first()
    if service is None:
        service = Service(source=source, source_code=code, slug=fields.pop("slug"))
    else:
        fields.pop("slug")
    for name, value in fields.items():
        setattr(service, name, value)
    service.save()
    service.themes.add(*_themes(themes))
    return service


@transaction.atomic
def sync_letter_type(letter_type: LetterType) -> Service:
    requirements = [r.get("label", "") for r in letter_type.requirements if isinstance(r, dict)]
    fields = {
        "slug": slugify(f"surat-{letter_type.code}")[:80],
        "name": letter_type.name,
        "description": letter_type.description
        or f"{letter_type.name} dari kantor desa/kelurahan tempat Anda terdaftar.",
        "audience": "Penduduk desa/kelurahan yang sudah bergabung dengan Balai",
        "requirements": "\n".join(r for r in requirements if r),
        "cost": "Gratis",
        "duration_days": letter_type.sla_days,
        "agency": None,
        "contact": "Kantor desa/kelurahan tempat Anda terdaftar",
        "tags": ", ".join(t for t in (letter_type.short_code, letter_type.title.lower()) if t),
        "status": Status.LIVE if letter_type.is_active else Status.RETIRED,
    }
    themes = ["surat-desa", *LETTER_THEMES.get(letter_type.code, [])]
    return _upsert(Source.LETTER, letter_type.code, fields, themes)


@transaction.atomic
def sync_category(category: Category) -> Service:
    agency = category.agency
    unit = (
        agency.name
        if agency
        else ("pemerintah desa/kelurahan" if category.handled_by_village else "command center")
    )
    fields = {
        "slug": slugify(f"aduan-{category.code}")[:80],
        "name": f"Aduan: {category.name}",
        "description": category.description
        or f"Laporkan {category.name.lower()} secara daring; aduan diteruskan ke {unit}.",
        "audience": "Siapa saja; boleh tanpa nama",
        "requirements": "Uraian masalah\nLokasi (titik peta atau alamat)\nFoto (bila ada)",
        "cost": "Gratis",
        "duration_days": category.resolution_days,
        "agency": agency,
        "contact": unit,
        "tags": ", ".join(t for t in (category.keywords, category.group, "lapor, aduan") if t),
        "status": Status.LIVE if category.is_active else Status.RETIRED,
    }
    themes = ["aduan", *([GROUP_THEMES[category.group]] if category.group in GROUP_THEMES else [])]
    return _upsert(Source.COMPLAINT, category.code, fields, themes)


def forget_source(instance) -> None:
    source = Source.LETTER if isinstance(instance, LetterType) else Source.COMPLAINT
    Service.objects.filter(source=source, source_code=instance.code).delete()


@index.batch()
def sync_all() -> dict[str, int]:
    """Themes, synonyms and every generated entry; entries whose source is gone go too."""
    load_themes()
    synonyms = load_synonyms()
    letters = [sync_letter_type(t) for t in LetterType.objects.all()]
    categories = [sync_category(c) for c in Category.objects.select_related("agency")]
    Service.objects.filter(source=Source.LETTER).exclude(pk__in=[s.pk for s in letters]).delete()
    Service.objects.filter(source=Source.COMPLAINT).exclude(
        pk__in=[s.pk for s in categories]
    ).delete()
    return {"letters": len(letters), "complaints": len(categories), "synonyms": synonyms}
