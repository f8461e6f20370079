"""Writing to the database: validated rows upserted by NIK in one transaction."""

from __future__ import annotations

import operator
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.regions.codes import compact
from balai.residents import names
from balai.residents.choices import Relationship
from balai.residents.importing.rows import (
    CONFLICT,
    OPENSID_COLUMNS,
    REQUIRED_COLUMNS,
    RESIDENT_COLUMNS,
    Columns,
    ImportResult,
    Parsed,
    header_map,
    parse_row,
)
from balai.residents.importing.safety import FileProblem
from balai.residents.importing.values import text
from balai.residents.models import Family, Resident, new_uuid

BATCH = 2000
SQLITE_CACHE_KB = 256 * 1024
_PICK_VALUES = operator.itemgetter(*RESIDENT_COLUMNS[:-1])
_NAME, _BIRTH = RESIDENT_COLUMNS.index("name"), RESIDENT_COLUMNS.index("birth_date")

FAMILY_COLUMNS = (
    "uuid", "no_kk", "village_id", "address", "dusun", "rt", "rw", "created_at", "updated_at",
)  # fmt: skip


def _bulk_insert(cursor, table: str, columns, rows) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster), executemany elsewhere."""
    names_ = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names_}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.executemany(
        f"INSERT INTO {table} ({names_}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608
        rows,
    )


def _in(column: str, values: list) -> tuple[str, list]:
    """`column IN values` as SQL and its parameters: one array on PostgreSQL (parsing
    2,000 literals took longer than the 2,000 index probes), placeholders elsewhere."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


class _Rollback(Exception):
    pass


def _other_person(existing: tuple, new: dict) -> bool:
    """Whether a row describes someone else than the registered resident: neither
    the name (folded: case, accents, spacing) nor the birth date agree."""
    # The dates first: they agree for nearly every row, and folding names costs more.
    return existing[_BIRTH] != new["birth_date"] and names.fold(existing[_NAME]) != names.fold(
        new["name"]
    )


def import_sheets(
    sheets,
    village,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    show_other_village: bool = False,
    finish: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Validate and upsert rows (Sheets, header row first) in one transaction.

    `finish(result)` runs inside that transaction after a good import (the
    caller's statistics and audit row), so they commit with the data or not at all.
    """
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _Importer(village, result, progress, show_other_village).run(sheets)
            if dry_run or not result.ok:
                raise _Rollback
            if finish is not None:
                finish(result)
    except _Rollback:
        pass
    return result


class _Importer:
    def __init__(self, village, result, progress, show_other_village) -> None:
        self.village = village
        self.village_code = compact(village.code)
        self.result = result
        self.progress = progress or (lambda done, total: None)
        self.show_other_village = show_other_village
        self.today = timezone.localdate()
        self.seen_niks: dict[str, object] = {}
        self.seen_kks: set[str] = set()
        self.existing = {
            nik: (pk, tuple(rest))
            for pk, nik, *rest in Resident.objects.filter(village=village).values_list(
                "pk", "nik", *RESIDENT_COLUMNS
            )
        }
        self.families = {
            kk: (pk, (address, dusun, rt, rw))
            for pk, kk, address, dusun, rt, rw in Family.objects.filter(
                village=village
            ).values_list("pk", "no_kk", "address", "dusun", "rt", "rw")
        }
        self.ops = connection.ops
        self.uuid_prep = (lambda u: u) if connection.vendor == "postgresql" else (lambda u: u.hex)
        self.now = self.ops.adapt_datetimefield_value(timezone.now())
        if connection.vendor == "sqlite":
            # The default 2 MB page cache thrashes once the indexes outgrow it
            # (a regency holds a million residents); this connection may use more.
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")

    def run(self, sheets) -> None:
        total = 0
        done = 0
        for sheet in sheets:
            total += max(sheet.height - 1, 0)
            header = next(sheet.rows, None)
            if header is None:
                continue
            header = header_map(header)
            if not header:
                continue
            self._check_header(sheet.name, header)
            cols = Columns(header)
            batch: list[Parsed] = []
            prefix = f"{sheet.name}:" if sheet.name not in ("csv", "Data Penduduk") else ""
            for number, cells in enumerate(sheet.rows, start=2):
                if len(cells) > 1 and text(cells[1]) == "###":
                    break
                if cells.count(None) + cells.count("") == len(cells):
                    continue  # a blank row
                self.result.rows += 1
                parsed = parse_row(
                    cells,
                    cols,
                    f"{prefix}{number}" if prefix else number,
                    self.village_code,
                    self.today,
                    self.result,
                )
                if parsed is not None and self._dedupe(parsed):
                    batch.append(parsed)
                if len(batch) >= BATCH:
                    self._write(batch)
                    batch = []
                    done = self.result.rows
                    self.progress(done, max(total, done))
            self._write(batch)
        self.progress(self.result.rows, self.result.rows)
        if self.result.rows == 0:
            raise FileProblem(_("Berkas tidak berisi baris data penduduk."))

    def _check_header(self, sheet_name, cols):
        missing = [c for c in REQUIRED_COLUMNS if c not in cols]
        unknown = [c for c in cols if c not in OPENSID_COLUMNS]
        if missing:
            message = _("Lembar '%(sheet)s': kolom wajib tidak ada: %(missing)s.") % {
                "sheet": sheet_name,
                "missing": ", ".join(missing),
            }
            if unknown:
                message += " " + _("Kolom tidak dikenal: %(unknown)s.") % {
                    "unknown": ", ".join(unknown)
                }
            message += " " + _("Baris pertama harus memuat nama kolom format OpenSID.")
            raise FileProblem(message)
        if unknown:
            self.result.notes.append(
                _("Kolom tidak dikenal diabaikan: %(unknown)s.") % {"unknown": ", ".join(unknown)}
            )

    def _dedupe(self, parsed: Parsed) -> bool:
        first = self.seen_niks.get(parsed.nik)
        if first is not None:
            self.result.add(
                parsed.row,
                "nik",
                parsed.nik,
                _("NIK ganda dalam berkas (baris %(row)s).") % {"row": first},
            )
            return False
        self.seen_niks[parsed.nik] = parsed.row
        return True

    def _write(self, batch: list[Parsed]) -> None:
        if not batch:
            return
        self._refuse_other_villages(batch)
        if not self.result.ok:
            return  # keep validating the rest of the file, write nothing more
        batch = self._set_aside_conflicts(batch)
        self._write_families(batch)
        table = Resident._meta.db_table
        inserts, updates = [], []
        pick = _PICK_VALUES
        for p in batch:
            row = (*pick(p.values), self.families[p.no_kk][0])
            current = self.existing.get(p.nik)
            if current is not None:
                if current[1] == row:
                    self.result.unchanged += 1
                    continue
                updates.append((*self._db_row(row), current[0]))
                self.existing[p.nik] = (current[0], row)
                self.result.updated += 1
            else:
                inserts.append(
                    (
                        self.uuid_prep(new_uuid()),
                        p.nik,
                        self.village.pk,
                        *self._db_row(row),
                        "",
                        "",
                        self.now,
                        self.now,
                    )
                )
                self.existing[p.nik] = (None, row)
                self.result.created += 1
        cols = (*RESIDENT_COLUMNS, "name_key", "name_sound")
        with connection.cursor() as cursor:
            if inserts:
                all_cols = (
                    "uuid",
                    "nik",
                    "village_id",
                    *cols,
                    "phone",
                    "nik_mismatch_reason",
                    "created_at",
                    "updated_at",
                )
                _bulk_insert(cursor, table, all_cols, inserts)
            if updates:
                assignments = ", ".join(f"{c} = %s" for c in cols)
                cursor.executemany(
                    f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s",  # noqa: S608
                    [(*u[:-1], self.now, u[-1]) for u in updates],
                )

    def _set_aside_conflicts(self, batch: list[Parsed]) -> list[Parsed]:
        """The batch without rows whose NIK is another person's here: a registered
        resident with both another name and another birth date. Such a row is never
        written over them; staff decide (balai.residents.actions.decide_conflict)."""
        kept = []
        for p in batch:
            current = self.existing.get(p.nik)
            if current is None or current[0] is None or not _other_person(current[1], p.values):
                kept.append(p)
                continue
            existing = current[1]
            self.result.add(
                p.row,
                "nik",
                p.nik,
                _(
                    "NIK ini milik penduduk lain di desa ini (%(name)s, lahir %(birth)s): "
                    "data lama dipertahankan sampai staf memutuskan."
                )
                % {"name": existing[_NAME], "birth": existing[_BIRTH]},
                level=CONFLICT,
            )
            self.result.add_conflict(
                {
                    "row": p.row,
                    "nik": p.nik,
                    "resident": current[0],
                    "existing": {"name": existing[_NAME], "birth_date": str(existing[_BIRTH])},
                    "new": {
                        **{k: v for k, v in p.values.items() if k != "birth_date"},
                        "birth_date": str(p.values["birth_date"]),
                        "no_kk": p.no_kk,
                        "family": list(p.family),
                    },
                    "decision": "",
                }
            )
        return kept

    def _db_row(self, row: tuple) -> tuple:
        values = list(row)
        values[_BIRTH] = self.ops.adapt_datefield_value(values[_BIRTH])
        folded = names.fold(row[0])
        return (*values, folded[:150], names.sound_folded(folded)[:150])

    def _refuse_other_villages(self, batch):
        new_niks = [p.nik for p in batch if p.nik not in self.existing]
        if new_niks:
            elsewhere = self._elsewhere_names(Resident, "nik", new_niks)
            for p in batch:
                if p.nik in elsewhere:
                    self.result.add(p.row, "nik", p.nik, self._elsewhere("NIK", elsewhere[p.nik]))
                    self.result.elsewhere.append(("nik", p.nik))
        new_kks = list({p.no_kk for p in batch if p.no_kk not in self.families})
        if new_kks:
            elsewhere = self._elsewhere_names(Family, "no_kk", new_kks)
            for p in batch:
                if p.no_kk in elsewhere:
                    self.result.add(
                        p.row, "no_kk", p.no_kk, self._elsewhere(_("Nomor KK"), elsewhere[p.no_kk])
                    )
                    self.result.elsewhere.append(("no_kk", p.no_kk))

    def _elsewhere_names(self, model, column: str, values: list[str]) -> dict[str, str]:
        """{value: village name} for values already registered in another village.

        Raw SQL: Django's `__in` preparation costs more than the query at 2,000 values.
        """
        table = model._meta.db_table
        where, params = _in(column, values)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column}, village_id FROM {table} WHERE {where} AND village_id <> %s",  # noqa: S608
                [*params, self.village.pk],
            )
            found: dict[str, str] = dict(cursor.fetchall())
        if not found:
            return {}
        from balai.regions.models import Village

        village_names = dict(
            Village.objects.filter(pk__in=set(found.values())).values_list("pk", "name")
        )
        return {value: village_names.get(code, code) for value, code in found.items()}

    def _elsewhere(self, what, village_name) -> str:
        if self.show_other_village:
            return _("%(what)s sudah terdaftar di desa %(village)s.") % {
                "what": what,
                "village": village_name,
            }
        return _("%(what)s sudah terdaftar di desa lain; hubungi Dispendukcapil.") % {"what": what}

    def _write_families(self, batch) -> None:
        new: dict[str, tuple] = {}
        changed: dict[str, tuple] = {}
        for p in batch:
            if p.no_kk in self.families:
                pk, current = self.families[p.no_kk]
                is_head = p.values["relationship"] == Relationship.HEAD
                if is_head and current != p.family and p.no_kk not in self.seen_kks:
                    changed[p.no_kk] = (pk, p.family)
            elif p.no_kk not in new or p.values["relationship"] == Relationship.HEAD:
                new[p.no_kk] = p.family
            self.seen_kks.add(p.no_kk)
        table = Family._meta.db_table
        with connection.cursor() as cursor:
            if new:
                _bulk_insert(
                    cursor,
                    table,
                    FAMILY_COLUMNS,
                    [
                        (self.uuid_prep(new_uuid()), kk, self.village.pk, *fam, self.now, self.now)
                        for kk, fam in new.items()
                    ],
                )
                where, params = _in("no_kk", list(new))
                cursor.execute(f"SELECT no_kk, id FROM {table} WHERE {where}", params)  # noqa: S608
                for kk, pk in cursor.fetchall():
                    self.families[kk] = (pk, new[kk])
                self.result.families_created += len(new)
            if changed:
                cursor.executemany(
                    f"UPDATE {table} SET address = %s, dusun = %s, rt = %s, rw = %s, "  # noqa: S608
                    "updated_at = %s WHERE id = %s",
                    [(*fam, self.now, pk) for pk, fam in changed.values()],
                )
                for kk, (pk, fam) in changed.items():
                    self.families[kk] = (pk, fam)
