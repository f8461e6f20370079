"""The regency's starting search vocabulary: synonyms and words that carry no meaning.

Each group lists phrases residents use for one thing; a query containing any
of them also searches the others (balai/hub/search.py). Loaded into the
`Synonym` table by `balai.hub.sync.load_synonyms` (the demo, `balai
sync-catalogue`), where the regency admin keeps it up to date.
"""

SYNONYMS: dict[str, list[str]] = {
    "ktp": [
        "ktp",
        "e-ktp",
        "ektp",
        "ktp-el",
        "ktp el",
        "kartu tanda penduduk",
        "ktp elektronik",
        "identitas",
    ],
    "kk": ["kk", "kartu keluarga", "kartu kk"],
    "kia": ["kia", "kartu identitas anak", "ktp anak"],
    "akta": ["akta", "akte", "akta catatan sipil"],
    "lahir": ["lahir", "kelahiran", "lahiran", "bayi", "anak lahir"],
    "mati": ["kematian", "meninggal", "wafat", "meninggal dunia", "mati"],
    "nikah": ["nikah", "menikah", "pernikahan", "kawin", "perkawinan"],
    "cerai": ["cerai", "perceraian"],
    "hilang": ["hilang", "kehilangan", "hilangnya", "raib"],
    "perpanjang": ["perpanjang", "perpanjangan", "memperpanjang", "perbarui", "ganti baru"],
    "pisah": ["pisah kk", "pecah kk", "pisah kartu keluarga", "kk baru"],
    "tersumbat": ["tersumbat", "mampet", "mampat", "buntu"],
    "rusak": ["rusak", "kerusakan", "hancur", "patah", "retak"],
    "pindah": [
        "pindah",
        "pindahan",
        "perpindahan",
        "mutasi",
        "pindah domisili",
        "pindah alamat",
        "pindah datang",
        "skpwni",
        "surat pindah",
        "boyong",
    ],
    "domisili": ["domisili", "tempat tinggal", "alamat tinggal", "skd"],
    "sktm": [
        "sktm",
        "tidak mampu",
        "keterangan tidak mampu",
        "miskin",
        "kurang mampu",
        "warga miskin",
    ],
    "bansos": [
        "bansos",
        "bantuan sosial",
        "pkh",
        "program keluarga harapan",
        "bpnt",
        "sembako",
        "blt",
        "bantuan langsung tunai",
        "dtks",
        "dtsen",
        "pbi",
    ],
    "jalan": ["jalan", "jalan raya", "jalanan", "aspal", "makadam", "gang"],
    "berlubang": ["berlubang", "lubang", "jeglongan", "aspal rusak", "jalan rusak", "ambles"],
    "pju": [
        "pju",
        "lampu jalan",
        "penerangan jalan",
        "penerangan jalan umum",
        "lampu penerangan",
        "lampu mati",
    ],
    "sampah": ["sampah", "tps", "tumpukan sampah", "limbah rumah tangga", "bak sampah"],
    "banjir": ["banjir", "genangan", "kebanjiran", "air meluap", "luapan"],
    "longsor": ["longsor", "tanah longsor", "tanah gerak"],
    "bencana": ["bencana", "darurat bencana", "erupsi", "semeru", "lahar", "abu vulkanik"],
    "drainase": ["drainase", "selokan", "got", "saluran air", "gorong-gorong"],
    "sakit": ["sakit", "berobat", "kesehatan", "puskesmas", "dokter"],
    "rumah-sakit": ["rumah sakit", "rsud", "rawat inap", "rawat jalan", "opname"],
    "bpjs": ["bpjs", "bpjs kesehatan", "jkn", "jaminan kesehatan", "kis"],
    "ambulans": ["ambulans", "ambulan", "gawat darurat", "ugd", "igd", "psc 119"],
    "sekolah": ["sekolah", "pendidikan", "sd", "smp", "murid", "siswa", "ppdb", "spmb"],
    "beasiswa": ["beasiswa", "bantuan pendidikan", "pip", "kip"],
    "izin": ["izin", "ijin", "perizinan", "perijinan", "oss", "nib"],
    "usaha": ["usaha", "umkm", "dagang", "warung", "toko", "sku"],
    "bangunan": ["pbg", "imb", "izin bangunan", "persetujuan bangunan gedung", "bangun rumah"],
    "pajak": ["pajak", "pbb", "pajak bumi dan bangunan", "sppt"],
    "air": ["air bersih", "pdam", "perumda air minum", "air mati", "air ledeng"],
    "rumah": ["rumah tidak layak huni", "rtlh", "bedah rumah", "rumah rusak"],
    "skck": ["skck", "catatan kepolisian", "kelakuan baik"],
    "kerja": ["kerja", "lowongan", "pekerjaan", "kartu kuning", "ak1", "pencari kerja", "loker"],
    "lalu-lintas": ["lampu lalu lintas", "traffic light", "bangjo", "rambu", "lampu merah"],
    "parkir": ["parkir", "parkir liar", "jukir"],
    "pkl": ["pkl", "pedagang kaki lima", "lapak liar"],
    "pohon": ["pohon tumbang", "pohon roboh", "dahan patah"],
    "internet": ["internet", "wifi", "wi-fi", "jaringan", "sinyal"],
    "pungli": ["pungli", "pungutan liar", "suap", "korupsi", "gratifikasi"],
    "aduan": ["aduan", "pengaduan", "lapor", "laporan", "keluhan", "komplain"],
    "lansia": ["lansia", "lanjut usia", "orang tua jompo"],
    "disabilitas": ["disabilitas", "difabel", "penyandang disabilitas", "cacat"],
    "stunting": ["stunting", "gizi buruk", "kurang gizi", "posyandu"],
    "vaksin": ["vaksin", "imunisasi", "vaksinasi"],
    "kb": ["kb", "keluarga berencana", "kontrasepsi"],
    "ternak": ["ternak", "sapi", "kambing", "hewan", "pmk"],
    "pertanian": ["tani", "petani", "pupuk", "pupuk subsidi", "kartu tani", "sawah"],
    "nelayan": ["nelayan", "perahu", "ikan"],
    "wisata": ["wisata", "pariwisata", "tempat wisata"],
}

# Words that say how a resident asks, not what for: dropped from queries.
STOPWORDS = frozenset(
    """
    dan atau yang di ke dari untuk bagi pada dengan ini itu saya aku kami kita mau ingin
    minta bisa bagaimana gimana gmn bgmn cara caranya mengurus urus ngurus mengurusnya
    membuat bikin buat membikin apa apakah dimana mana kemana kapan berapa tolong mohon
    syarat persyaratan prosedur online daring tentang soal perlu harus sudah belum tidak
    nggak gak ga tdk yg dgn utk sy ada mengajukan ajukan pengajuan daftar mendaftar
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# "tidak" stays out of queries alone, but inside "tidak mampu" the synonym matches first.
