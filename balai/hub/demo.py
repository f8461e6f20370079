"""The Lumajang demo's catalogue: the agencies' own services, plus every village
letter type and complaint category generated from their apps."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from balai.agencies.models import Agency
from balai.hub import index, sync, tasks
from balai.hub.choices import Status
from balai.hub.models import Service, Theme

DUKCAPIL_OFFICE = "Mal Pelayanan Publik Lumajang, Jl. Alun-Alun Barat, Lumajang"
WEEKDAYS = "Senin-Kamis 08.00-15.00, Jumat 08.00-11.00"
KTP_KK = "KTP-el\nKartu Keluarga"

# slug, agency slug, themes, name, description, requirements, days, tags, extra fields
SERVICES: list[tuple[str, str, list[str], str, str, str, int | None, str, dict]] = [
    (
        "ktp-el-baru",
        "dispendukcapil",
        ["kependudukan"],
        "Perekaman dan pencetakan KTP-el baru",
        "Untuk warga yang baru berumur 17 tahun atau sudah menikah: rekam sidik jari, "
        "iris mata dan foto, lalu KTP-el dicetak.",
        "Kartu Keluarga\nBerumur 17 tahun atau sudah/pernah menikah",
        1,
        "e-ktp, ktp elektronik, rekam ktp, ktp pemula",
        {"audience": "Warga berumur 17 tahun atau sudah menikah"},
    ),
    (
        "ktp-el-hilang-rusak",
        "dispendukcapil",
        ["kependudukan"],
        "Cetak ulang KTP-el hilang atau rusak",
        "KTP-el yang hilang, rusak atau datanya berubah dicetak ulang. Untuk yang hilang, "
        "bawa surat keterangan kehilangan dari kepolisian.",
        "Kartu Keluarga\nSurat keterangan kehilangan dari kepolisian (bila hilang)\n"
        "KTP-el yang rusak (bila rusak)",
        1,
        "ktp hilang, ktp rusak, ganti ktp, cetak ulang ktp, ktp patah",
        {},
    ),
    (
        "kartu-keluarga",
        "dispendukcapil",
        ["kependudukan"],
        "Kartu Keluarga baru atau perubahan",
        "Membuat KK baru (keluarga baru, pisah KK) atau mengubah isi KK: tambah anggota, "
        "ganti kepala keluarga, perubahan data.",
        "KK lama\nBuku nikah/akta perkawinan (untuk keluarga baru)\nFormulir F-1.01",
        1,
        "kk, kartu keluarga, pisah kk, tambah anggota keluarga, ubah kk, kk hilang, kk rusak",
        {},
    ),
    (
        "akta-kelahiran",
        "dispendukcapil",
        ["kependudukan"],
        "Akta kelahiran",
        "Pencatatan kelahiran anak dan penerbitan akta kelahiran; bisa diurus orang tua "
        "sejak bayi lahir, juga untuk yang terlambat.",
        "Surat keterangan lahir dari bidan/rumah sakit/desa\n" + KTP_KK + "\nBuku nikah",
        1,
        "akte lahir, akta lahir, akte kelahiran, surat lahir, bayi",
        {},
    ),
    (
        "akta-kematian",
        "dispendukcapil",
        ["kependudukan"],
        "Akta kematian",
        "Pencatatan kematian anggota keluarga, agar data kependudukan dan bantuan diperbarui.",
        "Surat keterangan kematian dari desa/rumah sakit\nKTP-el almarhum\nKartu Keluarga",
        1,
        "akte kematian, surat kematian, meninggal dunia",
        {},
    ),
    (
        "pindah-datang",
        "dispendukcapil",
        ["kependudukan"],
        "Pindah datang dan pindah keluar (SKPWNI)",
        "Mengurus kepindahan penduduk keluar atau masuk Kabupaten Lumajang: surat "
        "keterangan pindah (SKPWNI) dan KK di alamat baru.",
        KTP_KK + "\nAlamat tujuan",
        1,
        "surat pindah, mutasi penduduk, pindah alamat, pindah domisili, skpwni",
        {},
    ),
    (
        "kartu-identitas-anak",
        "dispendukcapil",
        ["kependudukan"],
        "Kartu Identitas Anak (KIA)",
        "Kartu identitas untuk anak di bawah 17 tahun.",
        "Akta kelahiran anak\nKartu Keluarga\nPas foto anak (umur 5 tahun ke atas)",
        1,
        "kia, kartu anak, ktp anak",
        {},
    ),
    (
        "identitas-kependudukan-digital",
        "dispendukcapil",
        ["kependudukan"],
        "Aktivasi Identitas Kependudukan Digital (IKD)",
        "KTP digital di ponsel; aktivasi dibantu petugas.",
        "KTP-el\nPonsel dengan nomor dan email aktif",
        0,
        "ktp digital, ikd, ktp online",
        {"status": Status.TRIAL, "health": True},
    ),
    (
        "daftar-dtsen-bansos",
        "dinsos",
        ["sosial"],
        "Pendaftaran data kesejahteraan sosial (DTSEN) untuk bansos",
        "Warga miskin dan rentan mendaftar agar bisa menerima bantuan sosial: PKH, BPNT "
        "(sembako), PBI jaminan kesehatan. Diusulkan lewat desa/kelurahan.",
        KTP_KK,
        14,
        "bansos, bantuan sosial, pkh, bpnt, dtks, dtsen, blt, sembako, daftar bantuan",
        {},
    ),
    (
        "rekomendasi-pbi",
        "dinsos",
        ["sosial", "kesehatan"],
        "Rekomendasi BPJS Kesehatan gratis (PBI)",
        "Rekomendasi Dinas Sosial agar iuran BPJS Kesehatan warga tidak mampu dibayar pemerintah.",
        KTP_KK + "\nSurat keterangan tidak mampu (SKTM) dari desa",
        3,
        "bpjs gratis, kis, pbi, jaminan kesehatan warga miskin",
        {},
    ),
    (
        "bantuan-disabilitas",
        "dinsos",
        ["sosial"],
        "Alat bantu penyandang disabilitas",
        "Kursi roda, tongkat, alat bantu dengar untuk penyandang disabilitas tidak mampu.",
        KTP_KK + "\nSurat keterangan dokter",
        30,
        "kursi roda, difabel, disabilitas, alat bantu",
        {},
    ),
    (
        "perbaikan-jalan",
        "dinas-pupr",
        ["infrastruktur"],
        "Perbaikan jalan kabupaten rusak atau berlubang",
        "Jalan kabupaten yang rusak, berlubang atau ambles ditambal dan diperbaiki. "
        "Laporkan lokasinya; petugas memeriksa dan menjadwalkan perbaikan.",
        "Lokasi jalan (titik peta atau nama jalan)\nFoto kerusakan",
        10,
        "jalan rusak, jalan berlubang, aspal, tambal jalan",
        {},
    ),
    (
        "lampu-pju",
        "dinas-pupr",
        ["infrastruktur"],
        "Pemasangan dan perbaikan lampu penerangan jalan umum (PJU)",
        "Lampu jalan mati atau jalan gelap: usulan pemasangan dan perbaikan PJU.",
        "Lokasi tiang/jalan",
        5,
        "lampu jalan mati, pju, penerangan jalan",
        {},
    ),
    (
        "persetujuan-bangunan-gedung",
        "dinas-pupr",
        ["perizinan"],
        "Persetujuan Bangunan Gedung (PBG, dulu IMB)",
        "Izin sebelum membangun atau mengubah rumah dan gedung, diajukan lewat SIMBG.",
        "KTP-el\nBukti kepemilikan tanah\nGambar rencana bangunan",
        28,
        "imb, pbg, izin mendirikan bangunan, izin bangun rumah, simbg",
        {"online_url": "https://simbg.pu.go.id/"},
    ),
    (
        "ambulans-psc-119",
        "dinkes",
        ["kesehatan", "kebencanaan"],
        "Ambulans gawat darurat (PSC 119)",
        "Ambulans dan pertolongan pertama gawat darurat, 24 jam, gratis. Telepon 119.",
        "",
        0,
        "ambulans, ambulan, gawat darurat, kecelakaan, igd",
        {"phone": "119", "office_hours": "24 jam"},
    ),
    (
        "rsud-rawat-jalan",
        "dinkes",
        ["kesehatan"],
        "Pendaftaran rawat jalan RSUD dr. Haryoto Lumajang",
        "Daftar berobat ke poliklinik rumah sakit daerah dengan rujukan puskesmas; antrean "
        "bisa diambil daring sehari sebelumnya.",
        "KTP-el\nKartu BPJS/KIS\nSurat rujukan puskesmas (peserta BPJS)",
        0,
        "rumah sakit, rsud, poli, rujukan, antrean",
        {"office_address": "RSUD dr. Haryoto, Jl. Basuki Rahmat 5, Lumajang"},
    ),
    (
        "imunisasi",
        "dinkes",
        ["kesehatan"],
        "Imunisasi anak dan vaksinasi",
        "Imunisasi dasar lengkap bayi dan anak di puskesmas dan posyandu, gratis.",
        "Buku KIA/KMS anak",
        0,
        "imunisasi, vaksin, posyandu, bayi",
        {},
    ),
    (
        "pendaftaran-puskesmas",
        "dinkes",
        ["kesehatan"],
        "Pendaftaran berobat di puskesmas",
        "Daftar antrean berobat di puskesmas terdekat; peserta BPJS tidak dipungut biaya.",
        "KTP-el atau KK\nKartu BPJS/KIS (bila ada)",
        0,
        "berobat, puskesmas, antrean, dokter, sakit",
        {},
    ),
    (
        "penanganan-stunting",
        "dinkes",
        ["kesehatan"],
        "Pendampingan gizi dan pencegahan stunting",
        "Pemeriksaan tumbuh kembang anak, makanan tambahan dan konseling gizi.",
        "Buku KIA anak",
        0,
        "stunting, gizi buruk, posyandu, tumbuh kembang",
        {},
    ),
    (
        "spmb-sekolah",
        "dispendik",
        ["pendidikan"],
        "Pendaftaran murid baru SD dan SMP (SPMB)",
        "Pendaftaran sekolah negeri jenjang SD dan SMP: zonasi/domisili, afirmasi, "
        "prestasi dan mutasi orang tua.",
        "Kartu Keluarga\nAkta kelahiran\nRapor (untuk SMP)",
        None,
        "ppdb, spmb, daftar sekolah, sekolah negeri, zonasi",
        {},
    ),
    (
        "beasiswa",
        "dispendik",
        ["pendidikan", "sosial"],
        "Bantuan pendidikan dan beasiswa siswa tidak mampu",
        "Usulan Program Indonesia Pintar (PIP) dan bantuan pendidikan daerah.",
        "Kartu Keluarga\nSKTM atau kartu bansos (bila ada)",
        30,
        "beasiswa, pip, kip, bantuan sekolah",
        {},
    ),
    (
        "legalisir-ijazah",
        "dispendik",
        ["pendidikan"],
        "Legalisir dan surat keterangan pengganti ijazah",
        "Legalisir fotokopi ijazah SD/SMP, atau surat pengganti ijazah yang hilang.",
        "Ijazah asli\nSurat kehilangan dari kepolisian (bila hilang)",
        3,
        "legalisir, ijazah hilang",
        {},
    ),
    (
        "angkut-sampah",
        "dlh",
        ["lingkungan"],
        "Pengangkutan sampah dan tempat sampah baru",
        "Usulan jadwal angkut sampah, TPS baru, atau sampah yang tidak terangkut.",
        "Lokasi",
        3,
        "sampah, tps, angkut sampah, bank sampah",
        {},
    ),
    (
        "uji-kir",
        "dishub",
        ["ketertiban", "perizinan"],
        "Uji berkala kendaraan bermotor (KIR)",
        "Pengujian kendaraan angkutan barang dan penumpang.",
        "STNK\nBuku uji lama",
        1,
        "kir, uji kendaraan, truk, pick up",
        {"cost": "Sesuai Perda retribusi"},
    ),
    (
        "lapor-bencana",
        "bpbd",
        ["kebencanaan"],
        "Laporan kejadian bencana dan bantuan darurat",
        "Banjir, tanah longsor, lahar Semeru, angin kencang: laporkan agar tim reaksi "
        "cepat datang; pengungsi mendapat logistik.",
        "Lokasi kejadian",
        0,
        "bencana, banjir, longsor, semeru, pengungsi, darurat",
        {"office_hours": "24 jam"},
    ),
    (
        "bedah-rumah",
        "perkim",
        ["sosial"],
        "Bantuan bedah rumah tidak layak huni (RTLH)",
        "Perbaikan rumah tidak layak huni milik keluarga tidak mampu, diusulkan desa.",
        KTP_KK + "\nBukti kepemilikan tanah\nFoto rumah",
        60,
        "rtlh, bedah rumah, rumah rusak, rumah tidak layak huni",
        {},
    ),
    (
        "kartu-tani",
        "dinas-pertanian",
        ["perizinan"],
        "Pupuk bersubsidi dan kartu tani",
        "Pendaftaran kelompok tani (e-RDKK) agar petani mendapat pupuk bersubsidi.",
        "KTP-el\nBukti lahan garapan",
        14,
        "pupuk subsidi, kartu tani, rdkk, petani",
        {},
    ),
    (
        "informasi-publik",
        "diskominfo",
        ["informasi"],
        "Permohonan informasi publik (PPID)",
        "Meminta salinan informasi publik dari perangkat daerah, sesuai UU Keterbukaan "
        "Informasi Publik.",
        "KTP-el\nRincian informasi yang diminta",
        10,
        "ppid, informasi publik, keterbukaan informasi",
        {},
    ),
    (
        "wifi-desa",
        "diskominfo",
        ["informasi"],
        "Internet dan CCTV desa",
        "Usulan dan gangguan jaringan internet balai desa dan CCTV desa.",
        "Surat dari kepala desa",
        7,
        "internet desa, wifi, cctv, jaringan",
        {"status": Status.PLANNED},
    ),
]


@transaction.atomic
@index.batch()
def seed_services() -> int:
    agencies = {a.slug: a for a in Agency.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    made = 0
    for slug, agency, theme_slugs, name, description, reqs, days, tags, extra in SERVICES:
        if agency not in agencies:
            continue
        extra = dict(extra)
        health = extra.pop("health", False)
        fields = {
            "name": name,
            "description": description,
            "requirements": reqs,
            "duration_days": days,
            "tags": tags,
            "agency": agencies[agency],
            "office_address": extra.pop("office_address", DUKCAPIL_OFFICE)
            if agency == "dispendukcapil"
            else extra.pop("office_address", f"Kantor {agencies[agency].name}, Lumajang"),
            "office_hours": extra.pop("office_hours", WEEKDAYS),
            "contact": f"Layanan informasi {agencies[agency].short_name}",
            "phone": extra.pop("phone", agencies[agency].phone),
            "audience": extra.pop("audience", "Penduduk Kabupaten Lumajang"),
            # The demo's one probed service: Balai's own health check.
            "health_url": f"{settings.SITE_URL}/healthz" if health else "",
            **extra,
        }
        service, created = Service.objects.update_or_create(slug=slug, defaults=fields)
        service.themes.set([themes[t] for t in theme_slugs if t in themes])
        made += created
    return made


def seed(stdout) -> None:
    counts = sync.sync_all()
    made = seed_services()
    transaction.on_commit(tasks.start)  # the probed service's rounds
    stdout.write(
        f"catalogue: {made} new agency services, {counts['letters']} letter types and "
        f"{counts['complaints']} complaint categories as entries, "
        f"{counts['synonyms']} new synonyms"
    )
