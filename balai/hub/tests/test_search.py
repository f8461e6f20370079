"""The search over the demo catalogue: realistic queries, typos, synonyms, ranking.

Runs on SQLite and, with DATABASE_URL set, on PostgreSQL: the same
expectations hold for FTS5 and for tsvector + pg_trgm.
"""

from balai.hub import search
from balai.hub.choices import Status
from balai.hub.models import Service, Synonym

# query as a resident types it -> an entry that must be among the first three
EXPECTED = [
    ("ktp hilang", "ktp-el-hilang-rusak"),
    ("KTP saya hilang", "ktp-el-hilang-rusak"),
    ("kehilangan e-ktp", "ktp-el-hilang-rusak"),
    ("ktp rusak", "ktp-el-hilang-rusak"),
    ("ganti kartu tanda penduduk yang patah", "ktp-el-hilang-rusak"),
    ("bikin ktp baru", "ktp-el-baru"),
    ("rekam e-ktp", "ktp-el-baru"),
    ("surat pindah", "pindah-datang"),
    ("surat pindah", "surat-pindah"),
    ("mutasi penduduk", "pindah-datang"),
    ("pindah domisili ke lumajang", "pindah-datang"),
    ("jalan rusak", "perbaikan-jalan"),
    ("jalan rusak", "aduan-jalan-rusak"),
    ("jalan berlubang", "aduan-jalan-rusak"),
    ("aspal jalan ambles", "perbaikan-jalan"),
    ("bansos", "daftar-dtsen-bansos"),
    ("bantuan sosial", "daftar-dtsen-bansos"),
    ("daftar pkh", "daftar-dtsen-bansos"),
    ("bpnt sembako", "daftar-dtsen-bansos"),
    ("akta lahir", "akta-kelahiran"),
    ("akte kelahiran anak", "akta-kelahiran"),
    ("cara mengurus akte kelahiran", "akta-kelahiran"),
    ("surat kelahiran dari desa", "surat-kelahiran"),
    ("akta kematian", "akta-kematian"),
    ("orang tua meninggal", "akta-kematian"),
    ("kartu keluarga", "kartu-keluarga"),
    ("kk baru", "kartu-keluarga"),
    ("sktm", "surat-tidak-mampu"),
    ("surat keterangan tidak mampu", "surat-tidak-mampu"),
    ("surat domisili", "surat-domisili"),
    ("lampu jalan mati", "lampu-pju"),
    ("pju", "aduan-pju"),
    ("sampah menumpuk", "aduan-sampah"),
    ("banjir", "aduan-banjir"),
    ("tanah longsor", "aduan-longsor"),
    ("ambulans", "ambulans-psc-119"),
    ("berobat ke puskesmas", "pendaftaran-puskesmas"),
    ("bpjs gratis", "rekomendasi-pbi"),
    ("imunisasi bayi", "imunisasi"),
    ("izin mendirikan bangunan", "persetujuan-bangunan-gedung"),
    ("imb", "persetujuan-bangunan-gedung"),
    ("daftar sekolah smp", "spmb-sekolah"),
    ("ppdb", "spmb-sekolah"),
    ("pupuk subsidi", "kartu-tani"),
    ("bedah rumah", "bedah-rumah"),
    ("kursi roda", "bantuan-disabilitas"),
    ("skck", "surat-pengantar-skck"),
    ("surat nikah", "surat-pengantar-nikah"),
    ("keterangan usaha", "surat-usaha"),
    ("pungli", "aduan-pungli"),
]

TYPOS = [
    ("ktp hlang", "ktp-el-hilang-rusak"),
    ("akte kelahrian", "akta-kelahiran"),
    ("akta kelairan", "akta-kelahiran"),
    ("kartu keluraga", "kartu-keluarga"),
    ("bantuan sosail", "daftar-dtsen-bansos"),
    ("jalan berlobang", "aduan-jalan-rusak"),
    ("ambulan", "ambulans-psc-119"),
    ("puskesmsa", "pendaftaran-puskesmas"),
    ("domisilli", "surat-domisili"),
]


def top(query: str, n: int = 3) -> list[str]:
    found, _ = search.search(query, limit=n)
    return [s.slug for s in found]


# One test per list (a fresh catalogue per test costs seconds); every miss is listed.
def test_realistic_queries_find_the_right_entry(catalogue):
    missed = [(q, slug, top(q, 5)) for q, slug in EXPECTED if slug not in top(q)]
    assert missed == []


def test_misspelt_queries_still_find_it(catalogue):
    missed = [
        (q, slug, top(q, 5), search.parse(q).corrected) for q, slug in TYPOS if slug not in top(q)
    ]
    assert missed == []


def test_the_best_match_comes_first(catalogue):
    assert top("ktp hilang", 1) == ["ktp-el-hilang-rusak"]
    assert top("akta kelahiran", 1) == ["akta-kelahiran"]
    assert top("kursi roda", 1) == ["bantuan-disabilitas"]


def test_a_misspelt_word_says_what_was_searched_instead(catalogue):
    assert "hilang" in search.parse("ktp hlang").corrected["hlang"]


def test_nonsense_and_empty_queries_find_nothing(catalogue):
    assert top("qwxzvbk") == []
    assert top("") == []
    assert top("cara bagaimana") == []  # only words that say how one asks
    top("'\" OR 1=1 -- NEAR( * ^ AND")  # never an error: words only reach the database


def test_only_trial_and_live_entries_are_found(catalogue):
    Service.objects.filter(slug="ktp-el-hilang-rusak").update(status=Status.RETIRED)
    assert "ktp-el-hilang-rusak" not in top("ktp hilang", 20)
    assert "wifi-desa" not in top("internet desa wifi", 20)  # planned


def test_the_index_follows_every_save_and_delete(catalogue):
    service = Service.objects.get(slug="bantuan-disabilitas")
    service.name = "Alat bantu dengar dan tongkat"
    service.tags = "tongkat"
    service.description = "Untuk warga tuli dan tunanetra."
    service.save()
    assert "bantuan-disabilitas" in top("tunanetra")
    assert "bantuan-disabilitas" not in top("kursi roda", 20)
    service.delete()
    assert top("tunanetra") == []


def test_a_new_synonym_is_used_at_once(catalogue):
    assert "aduan-sampah" not in top("rongsokan", 20)
    Synonym.objects.create(group="sampah", phrase="rongsokan")
    assert "aduan-sampah" in top("rongsokan")


def test_generated_entries_follow_their_source(catalogue):
    from balai.complaints.models import Category
    from balai.letters.models import LetterType

    category = Category.objects.get(code="banjir")
    category.name = "Banjir dan genangan rob"
    category.save()
    assert Service.objects.get(slug="aduan-banjir").name == "Aduan: Banjir dan genangan rob"
    assert "aduan-banjir" in top("rob")
    letter = LetterType.objects.get(code="domisili")
    letter.is_active = False
    letter.save()
    assert Service.objects.get(slug="surat-domisili").status == Status.RETIRED
    category.delete()
    assert not Service.objects.filter(slug="aduan-banjir").exists()


def test_one_list_of_everything_a_resident_can_ask_for(catalogue):
    from balai.complaints.models import Category
    from balai.letters.models import LetterType

    assert Service.objects.filter(source="letter").count() == LetterType.objects.count()
    assert Service.objects.filter(source="complaint").count() == Category.objects.count()
