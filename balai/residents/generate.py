"""Synthetic residents: realistic families with valid NIKs, for tests, the demo and benchmarks.

Rows come out in OpenSID's 43-column "Data Penduduk" layout, so the same rows
can be written to an .xlsx file (benchmarks) or imported directly (the
`generate-residents` command), through the one import path.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from faker import Faker

from balai.residents.choices import Education, MaritalStatus, Occupation, Relationship, Sex
from balai.residents.importing import OPENSID_COLUMNS
from balai.residents.nik import make_nik

DUSUN = ["Krajan", "Sumberejo", "Karanganyar", "Sukorejo", "Sidorejo", "Kebonsari", "Gondang"]
STREETS = ["Jl. Raya", "Jl. Masjid", "Jl. Pasar", "Jl. Sekolah", "Jl. Kenanga", "Jl. Melati"]
_COL = {name: i for i, name in enumerate(OPENSID_COLUMNS)}


class Generator:
    """Makes families for one village; NIKs are unique against `taken` (shared across calls)."""

    def __init__(self, seed: int = 0, taken: set[str] | None = None):
        self.random = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        faker = Faker("id_ID")
        faker.seed_instance(seed)
        self.male = sorted({faker.first_name_male() for _ in range(600)})
        self.female = sorted({faker.first_name_female() for _ in range(600)})
        self.last = sorted({faker.last_name() for _ in range(400)})
        self.places = ["Lumajang"] * 8 + sorted({faker.city_name() for _ in range(30)})
        self.taken = taken if taken is not None else set()
        self.today = dt.date(2026, 11, 1)

    # -- people

    def _name(self, sex: int) -> str:
        first = self.random.choice(self.male if sex == Sex.MALE else self.female)
        if self.random.random() < 0.55:
            return f"{first} {self.random.choice(self.last)}"
        return first

    def _birth(self, low: int, high: int) -> dt.date:
        days = self.random.randint(low * 365, high * 365 + 364)
        return self.today - dt.timedelta(days=days)

    def _nik(self, district: str, birth: dt.date, sex: int) -> str:
        while True:
            nik = make_nik(district, birth, sex, self.random.randint(1, 9999))
            if nik not in self.taken:
                self.taken.add(nik)
                return nik

    def _number(self, prefix: str) -> str:
        while True:
            value = f"{prefix}{self.random.randint(1, 28):02d}{self.random.randint(1, 12):02d}" + (
                f"{self.random.randint(5, 26):02d}{self.random.randint(1, 9999):04d}"
            )
            if value not in self.taken:
                self.taken.add(value)
                return value

    def _education(self, age: int) -> int:
        if age < 6:
            return Education.NONE
        if age < 13:
            return Education.PRIMARY_UNFINISHED
        return self.random.choices(
            [3, 4, 5, 6, 7, 8, 9],
            weights=[35, 25, 28, 2, 3, 6, 1] if age > 22 else [0, 40, 60, 0, 0, 0, 0],
        )[0]

    def _occupation(self, age: int, sex: int, role: int) -> int:
        if age < 6:
            return Occupation.NONE
        if age < 19:
            return Occupation.STUDENT
        if role == Relationship.WIFE and self.random.random() < 0.6:
            return Occupation.HOMEMAKER
        if age > 64 and self.random.random() < 0.4:
            return self.random.choice([Occupation.NONE, Occupation.RETIRED])
        return self.random.choices(
            [9, 20, 88, 15, 19, 84, 65, 5, 81, 26],
            weights=[30, 20, 15, 10, 8, 6, 3, 2, 3, 3],
        )[0]

    def person(
        self, district, *, sex, birth, role, marital, family_name=None, father=None, mother=None
    ):
        age = (self.today - birth).days // 365
        name = self._name(sex)
        if family_name and " " not in name and self.random.random() < 0.3:
            name = f"{name} {family_name}"
        status = self.random.choices([1, 2, 3, 4], weights=[965, 20, 12, 3])[0]
        return {
            "nama": name,
            "nik": self._nik(district, birth, sex),
            "sex": int(sex),
            "tempatlahir": self.random.choice(self.places),
            "tanggallahir": birth,
            "agama_id": self.random.choices([1, 2, 3, 4, 5, 6], weights=[962, 20, 8, 6, 3, 1])[0],
            "pendidikan_kk_id": int(self._education(age)),
            "pekerjaan_id": int(self._occupation(age, sex, role)),
            "status_kawin": int(marital),
            "kk_level": int(role),
            "warganegara_id": 1,
            "ayah_nik": father["nik"] if father else "",
            "nama_ayah": father["nama"] if father else self._name(Sex.MALE),
            "ibu_nik": mother["nik"] if mother else "",
            "nama_ibu": mother["nama"] if mother else self._name(Sex.FEMALE),
            "golongan_darah_id": self.random.choices([1, 2, 3, 4, 13], weights=[2, 2, 1, 3, 12])[0],
            "status_dasar": status if age > 0 else 1,
        }

    def family(self, district: str, dusun: str, rw: int, rt: int) -> list[dict]:
        r = self.random
        head_age = r.randint(22, 80)
        head_sex = Sex.MALE if r.random() < 0.88 else Sex.FEMALE
        married = head_sex == Sex.MALE and r.random() < 0.85
        marital = MaritalStatus.MARRIED if married else r.choice([1, 3, 4])
        head = self.person(
            district,
            sex=head_sex,
            birth=self._birth(head_age, head_age),
            role=Relationship.HEAD,
            marital=marital,
        )
        surname = head["nama"].split()[-1] if " " in head["nama"] else None
        members = [head]
        wife = None
        if married:
            wife_age = max(18, head_age - r.randint(0, 8))
            wife = self.person(
                district,
                sex=Sex.FEMALE,
                birth=self._birth(wife_age, wife_age),
                role=Relationship.WIFE,
                marital=MaritalStatus.MARRIED,
            )
            members.append(wife)
        if head_age < 75:
            mother_age = (
                head_age if wife is None else (self.today - wife["tanggallahir"]).days // 365
            )
            for _ in range(r.choices([0, 1, 2, 3, 4], weights=[15, 25, 35, 18, 7])[0]):
                high = min(mother_age - 17, 40)
                if high < 0:
                    break
                child_sex = r.choice([Sex.MALE, Sex.FEMALE])
                child_age = r.randint(0, high)
                members.append(
                    self.person(
                        district,
                        sex=child_sex,
                        birth=self._birth(child_age, child_age),
                        role=Relationship.CHILD,
                        marital=MaritalStatus.MARRIED if child_age > 25 and r.random() < 0.3 else 1,
                        family_name=surname,
                        father=head if head_sex == Sex.MALE else None,
                        mother=wife or (head if head_sex == Sex.FEMALE else None),
                    )
                )
        if r.random() < 0.08:
            members.append(
                self.person(
                    district,
                    sex=Sex.FEMALE,
                    birth=self._birth(66, 90),
                    role=Relationship.PARENT,
                    marital=MaritalStatus.WIDOWED,
                )
            )
        no_kk = self._number(district)
        address = f"{r.choice(STREETS)} No. {r.randint(1, 120)}"
        for m in members:
            m.update(no_kk=no_kk, alamat=address, dusun=dusun, rw=f"{rw:03d}", rt=f"{rt:03d}")
        return members

    def residents(self, village_code: str, count: int) -> Iterator[dict]:
        """About `count` residents of a village (whole families; stops at `count`)."""
        district = village_code.replace(".", "")[:6]
        dusun = DUSUN[: 2 + self.random.randint(0, 4)]
        made = 0
        while made < count:
            d = self.random.randrange(len(dusun))
            for member in self.family(district, dusun[d], d + 1, self.random.randint(1, 6)):
                if made >= count:
                    return
                made += 1
                yield member


def as_opensid_row(person: dict) -> list:
    row = [""] * len(OPENSID_COLUMNS)
    for key, value in person.items():
        row[_COL[key]] = value
    return row


def write_opensid_xlsx(path, people) -> int:
    """Write people as OpenSID's workbook ("Data Penduduk", NIK/KK as text, `###` end)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Data Penduduk")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text_format = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, OPENSID_COLUMNS)
    n = 0
    for n, person in enumerate(people, start=1):
        for col, value in enumerate(as_opensid_row(person)):
            if value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(
                    n, col, dt.datetime(value.year, value.month, value.day), date_format
                )
            elif isinstance(value, str):
                sheet.write_string(n, col, value, text_format if value.isdigit() else None)
            else:
                sheet.write_number(n, col, value)
    sheet.write_string(n + 1, 1, "###")
    workbook.add_worksheet("Kode Data").write_row(0, 0, ["kode", "nama"])
    workbook.close()
    return n


def as_sheet(people, count: int):
    """Generated people as an import Sheet (header first), for `import_sheets`."""
    from balai.residents.importing import Sheet

    def rows():
        yield list(OPENSID_COLUMNS)
        for person in people:
            yield as_opensid_row(person)

    return Sheet("Data Penduduk", rows(), count + 1)
