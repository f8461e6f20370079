"""Code lists as villages know them: the Dukcapil numbering OpenSID uses.

Values are the Dukcapil codes, so a file exported from OpenSID (codes) and
Balai's own data agree; labels are the Indonesian names villages read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.IntegerChoices):
    MALE = 1, _("Laki-laki")
    FEMALE = 2, _("Perempuan")


class Religion(models.IntegerChoices):
    ISLAM = 1, _("Islam")
    KRISTEN = 2, _("Kristen")
    KATHOLIK = 3, _("Katholik")
    HINDU = 4, _("Hindu")
    BUDHA = 5, _("Budha")
    KHONGHUCU = 6, _("Khonghucu")
    KEPERCAYAAN = 7, _("Kepercayaan terhadap Tuhan YME / Lainnya")


class Education(models.IntegerChoices):
    """Highest education as written on the KK (OpenSID `pendidikan_kk_id`)."""

    NONE = 1, _("Tidak/Belum Sekolah")
    PRIMARY_UNFINISHED = 2, _("Belum Tamat SD/Sederajat")
    PRIMARY = 3, _("Tamat SD/Sederajat")
    JUNIOR_HIGH = 4, _("SLTP/Sederajat")
    SENIOR_HIGH = 5, _("SLTA/Sederajat")
    DIPLOMA_1_2 = 6, _("Diploma I/II")
    DIPLOMA_3 = 7, _("Akademi/Diploma III/Sarjana Muda")
    BACHELOR = 8, _("Diploma IV/Strata I")
    MASTER = 9, _("Strata II")
    DOCTORATE = 10, _("Strata III")


class Occupation(models.IntegerChoices):
    """Occupation (OpenSID `pekerjaan_id`, Dukcapil 1-89)."""

    NONE = 1, _("Belum/Tidak Bekerja")
    HOMEMAKER = 2, _("Mengurus Rumah Tangga")
    STUDENT = 3, _("Pelajar/Mahasiswa")
    RETIRED = 4, _("Pensiunan")
    CIVIL_SERVANT = 5, _("Pegawai Negeri Sipil (PNS)")
    ARMY = 6, _("Tentara Nasional Indonesia (TNI)")
    POLICE = 7, _("Kepolisian RI (POLRI)")
    TRADE = 8, _("Perdagangan")
    FARMER = 9, _("Petani/Pekebun")
    RANCHER = 10, _("Peternak")
    FISHER = 11, _("Nelayan/Perikanan")
    INDUSTRY = 12, _("Industri")
    CONSTRUCTION = 13, _("Konstruksi")
    TRANSPORT = 14, _("Transportasi")
    PRIVATE_EMPLOYEE = 15, _("Karyawan Swasta")
    BUMN_EMPLOYEE = 16, _("Karyawan BUMN")
    BUMD_EMPLOYEE = 17, _("Karyawan BUMD")
    HONORARY_EMPLOYEE = 18, _("Karyawan Honorer")
    DAY_LABOURER = 19, _("Buruh Harian Lepas")
    FARM_LABOURER = 20, _("Buruh Tani/Perkebunan")
    FISHERY_LABOURER = 21, _("Buruh Nelayan/Perikanan")
    LIVESTOCK_LABOURER = 22, _("Buruh Peternakan")
    HOUSEHOLD_ASSISTANT = 23, _("Pembantu Rumah Tangga")
    BARBER = 24, _("Tukang Cukur")
    ELECTRICIAN = 25, _("Tukang Listrik")
    MASON = 26, _("Tukang Batu")
    CARPENTER = 27, _("Tukang Kayu")
    COBBLER = 28, _("Tukang Sol Sepatu")
    WELDER = 29, _("Tukang Las/Pandai Besi")
    TAILOR = 30, _("Tukang Jahit")
    DENTAL_ARTISAN = 31, _("Tukang Gigi")
    MAKEUP_ARTIST = 32, _("Penata Rias")
    DRESSER = 33, _("Penata Busana")
    HAIRDRESSER = 34, _("Penata Rambut")
    MECHANIC = 35, _("Mekanik")
    ARTIST = 36, _("Seniman")
    HEALER = 37, _("Tabib")
    TRADITIONAL_MIDWIFE = 38, _("Paraji")
    FASHION_DESIGNER = 39, _("Perancang Busana")
    TRANSLATOR = 40, _("Penterjemah")
    IMAM = 41, _("Imam Masjid")
    PASTOR_PROTESTANT = 42, _("Pendeta")
    PASTOR_CATHOLIC = 43, _("Pastor")
    JOURNALIST = 44, _("Wartawan")
    PREACHER = 45, _("Ustadz/Mubaligh")
    COOK = 46, _("Juru Masak")
    PROMOTER = 47, _("Promotor Acara")
    DPR_MEMBER = 48, _("Anggota DPR-RI")
    DPD_MEMBER = 49, _("Anggota DPD")
    BPK_MEMBER = 50, _("Anggota BPK")
    PRESIDENT = 51, _("Presiden")
    VICE_PRESIDENT = 52, _("Wakil Presiden")
    CONSTITUTIONAL_JUDGE = 53, _("Anggota Mahkamah Konstitusi")
    CABINET_MEMBER = 54, _("Anggota Kabinet/Kementerian")
    AMBASSADOR = 55, _("Duta Besar")
    GOVERNOR = 56, _("Gubernur")
    VICE_GOVERNOR = 57, _("Wakil Gubernur")
    REGENT = 58, _("Bupati")
    VICE_REGENT = 59, _("Wakil Bupati")
    MAYOR = 60, _("Walikota")
    VICE_MAYOR = 61, _("Wakil Walikota")
    PROVINCIAL_DPRD_MEMBER = 62, _("Anggota DPRD Provinsi")
    REGENCY_DPRD_MEMBER = 63, _("Anggota DPRD Kabupaten/Kota")
    LECTURER = 64, _("Dosen")
    TEACHER = 65, _("Guru")
    PILOT = 66, _("Pilot")
    LAWYER = 67, _("Pengacara")
    NOTARY = 68, _("Notaris")
    ARCHITECT = 69, _("Arsitek")
    ACCOUNTANT = 70, _("Akuntan")
    CONSULTANT = 71, _("Konsultan")
    DOCTOR = 72, _("Dokter")
    MIDWIFE = 73, _("Bidan")
    NURSE = 74, _("Perawat")
    PHARMACIST = 75, _("Apoteker")
    PSYCHIATRIST = 76, _("Psikiater/Psikolog")
    TV_PRESENTER = 77, _("Penyiar Televisi")
    RADIO_PRESENTER = 78, _("Penyiar Radio")
    SAILOR = 79, _("Pelaut")
    RESEARCHER = 80, _("Peneliti")
    DRIVER = 81, _("Sopir")
    BROKER = 82, _("Pialang")
    PSYCHIC = 83, _("Paranormal")
    MERCHANT = 84, _("Pedagang")
    VILLAGE_OFFICIAL = 85, _("Perangkat Desa")
    VILLAGE_HEAD = 86, _("Kepala Desa")
    NUN = 87, _("Biarawati")
    ENTREPRENEUR = 88, _("Wiraswasta")
    OTHER = 89, _("Lainnya")


class MaritalStatus(models.IntegerChoices):
    SINGLE = 1, _("Belum Kawin")
    MARRIED = 2, _("Kawin")
    DIVORCED = 3, _("Cerai Hidup")
    WIDOWED = 4, _("Cerai Mati")


class Relationship(models.IntegerChoices):
    """Relationship to the family head (OpenSID `kk_level`)."""

    HEAD = 1, _("Kepala Keluarga")
    HUSBAND = 2, _("Suami")
    WIFE = 3, _("Istri")
    CHILD = 4, _("Anak")
    CHILD_IN_LAW = 5, _("Menantu")
    GRANDCHILD = 6, _("Cucu")
    PARENT = 7, _("Orang Tua")
    PARENT_IN_LAW = 8, _("Mertua")
    OTHER_FAMILY = 9, _("Famili Lain")
    HOUSEHOLD_ASSISTANT = 10, _("Pembantu")
    OTHER = 11, _("Lainnya")


class Citizenship(models.IntegerChoices):
    WNI = 1, _("WNI")
    WNA = 2, _("WNA")
    DUAL = 3, _("Dua Kewarganegaraan")


class BloodType(models.IntegerChoices):
    A = 1, "A"
    B = 2, "B"
    AB = 3, "AB"
    O = 4, "O"  # noqa: E741 - the blood type is called O
    A_POS = 5, "A+"
    A_NEG = 6, "A-"
    B_POS = 7, "B+"
    B_NEG = 8, "B-"
    AB_POS = 9, "AB+"
    AB_NEG = 10, "AB-"
    O_POS = 11, "O+"
    O_NEG = 12, "O-"
    UNKNOWN = 13, _("Tidak Tahu")


class Status(models.IntegerChoices):
    """Basic status (OpenSID `status_dasar`): 1 alive, 2 dead, 3 moved, 4 missing.

    OpenSID's 6 (pergi, gone) is imported as moved; 9 (tidak valid) is refused.
    """

    ALIVE = 1, _("Hidup")
    DEAD = 2, _("Meninggal")
    MOVED = 3, _("Pindah")
    MISSING = 4, _("Hilang")


class EventKind(models.TextChoices):
    BIRTH = "birth", _("Kelahiran")
    DEATH = "death", _("Kematian")
    MOVE_IN = "move_in", _("Pindah masuk")
    MOVE_OUT = "move_out", _("Pindah keluar")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
