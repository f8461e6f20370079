"""The regency's starting catalogue of letter types (loaded by a migration).

Classification codes follow the Ministry of Home Affairs' archive
classification (470 population, 474.x civil registration, 475 moving,
503 permits, 400/460 welfare). The regency admin edits everything later.
"""

OPENING = (
    "Yang bertanda tangan di bawah ini, Kepala {{ desa.jenis }} {{ desa.nama }}, "
    "Kecamatan {{ kecamatan.nama }}, Kabupaten {{ kabupaten.nama }}, dengan ini "
    "menerangkan bahwa:"
)
CLOSING = (
    "Demikian surat keterangan ini dibuat dengan sebenarnya untuk dipergunakan "
    "sebagaimana mestinya."
)
KTP = {"key": "ktp", "label": "Foto KTP-el", "upload": True, "required": True}
KK = {"key": "kk", "label": "Foto Kartu Keluarga", "upload": True, "required": True}
RT = {"key": "pengantar_rt", "label": "Surat pengantar RT/RW", "upload": True, "required": False}


def _body(*middle: str) -> str:
    return "\n\n".join([OPENING, *middle, CLOSING])


CATALOGUE = [
    {
        "code": "domisili",
        "short_code": "SKD",
        "name": "Surat Keterangan Domisili",
        "title": "SURAT KETERANGAN DOMISILI",
        "classification": "470",
        "requirements": [KTP, KK, RT],
        "extra_fields": [],
        "validity_days": 90,
        "body": _body(
            "Orang tersebut benar-benar penduduk yang berdomisili di {{ penduduk.alamat }}. "
            "Surat keterangan ini diberikan untuk keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "tidak-mampu",
        "short_code": "SKTM",
        "name": "Surat Keterangan Tidak Mampu (SKTM)",
        "title": "SURAT KETERANGAN TIDAK MAMPU",
        "classification": "460",
        "requirements": [KTP, KK, RT],
        "extra_fields": [
            {
                "name": "penghasilan",
                "label": "Penghasilan keluarga per bulan (Rp)",
                "kind": "number",
                "required": True,
            },
            {
                "name": "tanggungan",
                "label": "Jumlah tanggungan",
                "kind": "number",
                "required": True,
            },
        ],
        "validity_days": 90,
        "body": _body(
            "Berdasarkan pengamatan kami, keluarga orang "
            "tersebut tergolong keluarga tidak mampu, dengan penghasilan sekitar "
            "Rp{{ isian.penghasilan }} per bulan dan {{ isian.tanggungan }} orang tanggungan. "
            "Surat keterangan ini diberikan untuk keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "usaha",
        "short_code": "SKU",
        "name": "Surat Keterangan Usaha",
        "title": "SURAT KETERANGAN USAHA",
        "classification": "503",
        "requirements": [
            KTP,
            KK,
            {"key": "foto_usaha", "label": "Foto tempat usaha", "upload": True, "required": True},
        ],
        "extra_fields": [
            {"name": "nama_usaha", "label": "Nama usaha", "kind": "text", "required": True},
            {"name": "jenis_usaha", "label": "Jenis usaha", "kind": "text", "required": True},
            {"name": "alamat_usaha", "label": "Alamat usaha", "kind": "text", "required": True},
            {
                "name": "mulai_usaha",
                "label": "Mulai usaha sejak",
                "kind": "date",
                "required": False,
            },
        ],
        "validity_days": 180,
        "body": _body(
            "Orang tersebut benar-benar mempunyai usaha {{ isian.jenis_usaha }} dengan nama "
            "“{{ isian.nama_usaha }}” yang beralamat di {{ isian.alamat_usaha }}. Surat "
            "keterangan ini diberikan untuk keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "kehilangan",
        "short_code": "SKK",
        "name": "Surat Keterangan Kehilangan",
        "title": "SURAT KETERANGAN KEHILANGAN",
        "classification": "470",
        "requirements": [KTP],
        "extra_fields": [
            {
                "name": "barang",
                "label": "Barang/dokumen yang hilang",
                "kind": "text",
                "required": True,
            },
            {"name": "tanggal_hilang", "label": "Tanggal hilang", "kind": "date", "required": True},
            {
                "name": "tempat_hilang",
                "label": "Perkiraan tempat hilang",
                "kind": "text",
                "required": True,
            },
        ],
        "validity_days": 30,
        "body": _body(
            "Orang tersebut telah melaporkan kehilangan {{ isian.barang }} pada tanggal "
            "{{ isian.tanggal_hilang }} di sekitar {{ isian.tempat_hilang }}. Surat "
            "keterangan ini diberikan untuk keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "kelahiran",
        "short_code": "SKL",
        "name": "Surat Keterangan Kelahiran",
        "title": "SURAT KETERANGAN KELAHIRAN",
        "classification": "474.1",
        "requirements": [
            KTP,
            KK,
            {
                "key": "surat_bidan",
                "label": "Surat keterangan lahir dari bidan/rumah sakit",
                "upload": True,
                "required": True,
            },
        ],
        "extra_fields": [
            {"name": "nama_bayi", "label": "Nama bayi", "kind": "text", "required": True},
            {
                "name": "jenis_kelamin_bayi",
                "label": "Jenis kelamin bayi",
                "kind": "choice",
                "choices": ["Laki-laki", "Perempuan"],
                "required": True,
            },
            {
                "name": "tanggal_lahir_bayi",
                "label": "Tanggal lahir bayi",
                "kind": "date",
                "required": True,
            },
            {
                "name": "tempat_lahir_bayi",
                "label": "Tempat lahir bayi",
                "kind": "text",
                "required": True,
            },
        ],
        "validity_days": 0,
        "body": _body(
            "Pada tanggal {{ isian.tanggal_lahir_bayi }} di {{ isian.tempat_lahir_bayi }} telah "
            "lahir seorang anak {{ isian.jenis_kelamin_bayi }} bernama {{ isian.nama_bayi }}, "
            "anak dari orang tersebut di atas. Surat keterangan ini diberikan untuk keperluan "
            "{{ keperluan }}."
        ),
    },
    {
        "code": "kematian",
        "short_code": "SKM",
        "name": "Surat Keterangan Kematian",
        "title": "SURAT KETERANGAN KEMATIAN",
        "classification": "474.3",
        "requirements": [KTP, KK],
        "extra_fields": [
            {
                "name": "nama_almarhum",
                "label": "Nama yang meninggal",
                "kind": "text",
                "required": True,
            },
            {
                "name": "nik_almarhum",
                "label": "NIK yang meninggal",
                "kind": "text",
                "required": True,
            },
            {
                "name": "tanggal_meninggal",
                "label": "Tanggal meninggal",
                "kind": "date",
                "required": True,
            },
            {
                "name": "tempat_meninggal",
                "label": "Tempat meninggal",
                "kind": "text",
                "required": True,
            },
            {
                "name": "sebab",
                "label": "Sebab meninggal",
                "kind": "choice",
                "choices": ["Sakit", "Kecelakaan", "Usia lanjut", "Lainnya"],
                "required": True,
            },
        ],
        "validity_days": 0,
        "body": _body(
            "Orang tersebut di atas melaporkan bahwa {{ isian.nama_almarhum }} (NIK "
            "{{ isian.nik_almarhum }}) telah meninggal dunia pada tanggal "
            "{{ isian.tanggal_meninggal }} di {{ isian.tempat_meninggal }} karena "
            "{{ isian.sebab }}. Surat keterangan ini diberikan untuk keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "belum-menikah",
        "short_code": "SKBM",
        "name": "Surat Keterangan Belum Menikah",
        "title": "SURAT KETERANGAN BELUM PERNAH MENIKAH",
        "classification": "474.2",
        "requirements": [KTP, KK],
        "extra_fields": [],
        "validity_days": 90,
        "body": _body(
            "Sepanjang pengetahuan kami dan berdasarkan data kependudukan, orang tersebut "
            "sampai saat ini belum pernah menikah. Surat keterangan ini diberikan untuk "
            "keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "penghasilan",
        "short_code": "SKP",
        "name": "Surat Keterangan Penghasilan",
        "title": "SURAT KETERANGAN PENGHASILAN",
        "classification": "400",
        "requirements": [KTP, KK],
        "extra_fields": [
            {
                "name": "penghasilan",
                "label": "Penghasilan per bulan (Rp)",
                "kind": "number",
                "required": True,
            },
            {"name": "sumber", "label": "Sumber penghasilan", "kind": "text", "required": True},
        ],
        "validity_days": 90,
        "body": _body(
            "Orang tersebut mempunyai penghasilan rata-rata Rp{{ isian.penghasilan }} per bulan "
            "dari {{ isian.sumber }}. Surat keterangan ini diberikan untuk keperluan "
            "{{ keperluan }}."
        ),
    },
    {
        "code": "pengantar-skck",
        "short_code": "SP-SKCK",
        "name": "Surat Pengantar SKCK",
        "title": "SURAT PENGANTAR",
        "classification": "331",
        "requirements": [KTP, KK, RT],
        "extra_fields": [],
        "validity_days": 30,
        "body": _body(
            "Orang tersebut benar penduduk kami dan sepanjang pengetahuan kami berkelakuan "
            "baik serta tidak pernah terlibat perkara pidana. Surat pengantar ini diberikan "
            "untuk mengurus Surat Keterangan Catatan Kepolisian (SKCK) di Kepolisian untuk "
            "keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "pengantar-nikah",
        "short_code": "SP-N",
        "name": "Surat Pengantar Nikah",
        "title": "SURAT PENGANTAR PERKAWINAN",
        "classification": "474.2",
        "requirements": [
            KTP,
            KK,
            {
                "key": "ktp_calon",
                "label": "Foto KTP calon pasangan",
                "upload": True,
                "required": True,
            },
        ],
        "extra_fields": [
            {
                "name": "nama_calon",
                "label": "Nama calon pasangan",
                "kind": "text",
                "required": True,
            },
            {
                "name": "alamat_calon",
                "label": "Alamat calon pasangan",
                "kind": "text",
                "required": True,
            },
            {
                "name": "tanggal_nikah",
                "label": "Rencana tanggal pernikahan",
                "kind": "date",
                "required": False,
            },
        ],
        "validity_days": 90,
        "body": _body(
            "Orang tersebut bermaksud melangsungkan pernikahan dengan {{ isian.nama_calon }} "
            "yang beralamat di {{ isian.alamat_calon }}. Surat pengantar ini diberikan untuk "
            "diajukan ke Kantor Urusan Agama (KUA) untuk keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "pindah",
        "short_code": "SKPD",
        "name": "Surat Keterangan Pindah",
        "title": "SURAT KETERANGAN PINDAH",
        "classification": "475",
        "requirements": [KTP, KK],
        "extra_fields": [
            {"name": "alamat_tujuan", "label": "Alamat tujuan", "kind": "text", "required": True},
            {
                "name": "alasan_pindah",
                "label": "Alasan pindah",
                "kind": "choice",
                "choices": ["Pekerjaan", "Pendidikan", "Keluarga", "Perumahan", "Lainnya"],
                "required": True,
            },
            {
                "name": "jumlah_pengikut",
                "label": "Jumlah anggota keluarga yang ikut pindah",
                "kind": "number",
                "required": False,
            },
        ],
        "validity_days": 30,
        "body": _body(
            "Orang tersebut bermaksud pindah ke {{ isian.alamat_tujuan }} dengan alasan "
            "{{ isian.alasan_pindah }}. Surat keterangan ini diberikan untuk diajukan ke "
            "Dinas Kependudukan dan Pencatatan Sipil untuk keperluan {{ keperluan }}."
        ),
    },
    {
        "code": "pengantar",
        "short_code": "SP",
        "name": "Surat Pengantar / Rekomendasi",
        "title": "SURAT PENGANTAR",
        "classification": "400",
        "requirements": [KTP, KK],
        "extra_fields": [
            {"name": "tujuan", "label": "Ditujukan kepada", "kind": "text", "required": True},
        ],
        "validity_days": 30,
        "body": _body(
            "Orang tersebut benar penduduk kami. Surat pengantar ini diberikan kepada yang "
            "bersangkutan untuk diajukan kepada {{ isian.tujuan }} untuk keperluan "
            "{{ keperluan }}."
        ),
    },
    {
        "code": "beda-identitas",
        "short_code": "SKBI",
        "name": "Surat Keterangan Beda Identitas",
        "title": "SURAT KETERANGAN BEDA IDENTITAS",
        "classification": "470",
        "requirements": [
            KTP,
            KK,
            {
                "key": "dokumen_beda",
                "label": "Dokumen dengan data yang berbeda",
                "upload": True,
                "required": True,
            },
        ],
        "extra_fields": [
            {
                "name": "dokumen",
                "label": "Nama dokumen yang berbeda",
                "kind": "text",
                "required": True,
            },
            {
                "name": "data_tertulis",
                "label": "Data yang tertulis di dokumen itu",
                "kind": "text",
                "required": True,
            },
        ],
        "validity_days": 0,
        "body": _body(
            "Data orang tersebut pada {{ isian.dokumen }} tertulis “{{ isian.data_tertulis }}”. "
            "Data tersebut dan data di atas adalah satu orang yang sama. Surat keterangan ini "
            "diberikan untuk keperluan {{ keperluan }}."
        ),
    },
]


def load(letter_type_model) -> int:
    """Create the catalogue's types that do not exist yet; returns how many."""
    made = 0
    for order, item in enumerate(CATALOGUE, start=1):
        _, created = letter_type_model.objects.get_or_create(
            code=item["code"], defaults={**item, "order": order * 10}
        )
        made += created
    return made
