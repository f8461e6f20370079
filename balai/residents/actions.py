"""State changes of the registry: each in one transaction with its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.accounts import audit, ratelimit
from balai.lib import storage
from balai.lib.faults import pause_point
from balai.residents import progress as import_progress
from balai.residents import stats
from balai.residents.choices import EventKind, ImportStatus, Status
from balai.residents.importing import FileProblem, ImportResult, import_file, import_sheets
from balai.residents.models import RegistryEvent, Resident, ResidentImport
from balai.residents.nik import mask, nik_mismatches

# A burst of changes (an import of several villages) is published once.
PUBLISH_DELAY = dt.timedelta(seconds=5)


def _recount(village) -> None:
    """The village's population counts again, and once committed the regency's
    published figures (residents.stats.publish) in a task, so that no page
    viewer waits for the suppression."""
    stats.rebuild_counts(village)
    transaction.on_commit(_publish_soon)


def _publish_soon() -> None:
    from balai.lib.tasks import schedule_once
    from balai.residents.tasks import publish_population

    schedule_once(publish_population, PUBLISH_DELAY)


# Looked up by the kind as stored and submitted: a plain string.
EVENT_STATUS: dict[str, Status] = {
    EventKind.BIRTH: Status.ALIVE,
    EventKind.MOVE_IN: Status.ALIVE,
    EventKind.DEATH: Status.DEAD,
    EventKind.MOVE_OUT: Status.MOVED,
}


def import_residents(
    path, village, *, user=None, dry_run=False, progress=None, sheets=None
) -> ImportResult:
    """Import a file (or generated sheets) into a village; all or nothing, audited.

    Raises FileProblem when the file as a whole is refused.
    """
    show_other = user is not None and getattr(user, "sees_whole_regency", False)

    def finish(result: ImportResult) -> None:
        pause_point("residents.import.before-commit")
        if result.created or result.updated:
            _recount(village)
        audit.record(
            "residents.imported",
            village,
            user=user,
            detail={
                "file": Path(path).name if path else "generated",
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )

    kwargs = {
        "dry_run": dry_run,
        "progress": progress,
        "show_other_village": show_other,
        "finish": finish,
    }
    limited = user is not None and not show_other
    if limited and elsewhere_limited(user):
        raise FileProblem(elsewhere_limit_message())
    if sheets is not None:
        result = import_sheets(sheets, village, **kwargs)
    else:
        result = import_file(Path(path), village, **kwargs)
    if limited and not answer_registered_elsewhere(user, result.elsewhere, source="import"):
        # Past the limit the file gets no answer at all, not even which rows failed.
        raise FileProblem(elsewhere_limit_message())
    return result


# Whether a NIK or KK is registered in another village is itself personal data:
# a village user gets this many such answers a day, each audited (issue 10.8).
ELSEWHERE_RATE = "50/d"
_ELSEWHERE_GROUP = "residents:registered-elsewhere"


def elsewhere_limit_message() -> str:
    return _(
        "Batas harian pemeriksaan NIK/KK yang terdaftar di desa lain sudah tercapai; "
        "coba lagi besok atau hubungi Dispendukcapil."
    )


def elsewhere_limited(user) -> bool:
    return ratelimit.reached((_ELSEWHERE_GROUP, str(user.pk), ELSEWHERE_RATE)) is not None


def answer_registered_elsewhere(user, answers, *, source: str) -> bool:
    """Count and audit each "registered in another village" answer given to `user`.

    False once the day's limit is reached: the caller then withholds every answer.
    Audited outside the import's transaction, which a refused file rolls back.
    """
    for column, value in answers:
        if ratelimit.hit(_ELSEWHERE_GROUP, str(user.pk), ELSEWHERE_RATE):
            audit.record(
                "residents.elsewhere_limited", user=user, village=user.village_id,
                detail={"source": source},
            )  # fmt: skip
            return False
        audit.record(
            "residents.registered_elsewhere",
            user=user,
            village=user.village_id,
            detail={"column": column, "value": mask(value), "source": source},
        )
    return True


@transaction.atomic
def start_import(village, upload, *, user, dry_run: bool) -> ResidentImport:
    """Keep an uploaded file, queue its import and audit the upload: all or nothing.

    The task is queued in the same transaction (the database task backend
    stores it there), so a job never exists without its task or the reverse.
    """
    from balai.residents.tasks import import_residents_task  # tasks imports this module

    job = ResidentImport.objects.create(
        village=village, uploaded_by=user, file_name=upload.name[:255], dry_run=dry_run
    )
    job.file.save(f"{job.uuid}.bin", upload, save=True)
    audit.record(
        "residents.import_uploaded",
        job,
        user=user,
        detail={"file": job.file_name, "dry_run": dry_run},
    )
    import_residents_task.enqueue(job.pk)
    return job


def run_import_job(job: ResidentImport, progress=None) -> ResidentImport:
    """Run an uploaded file's import and store its outcome on the job."""
    ResidentImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    try:
        # The file may be in an object store: the readers take a local path.
        with storage.local_path(job.file.name, job.file.storage) as path:
            result = import_residents(
                path, job.village, user=job.uploaded_by, dry_run=job.dry_run, progress=progress
            )
    except FileProblem as exc:
        job.status = ImportStatus.FAILED
        job.message = str(exc)
    except Exception:
        job.status = ImportStatus.FAILED
        job.message = _("Impor gagal karena kesalahan sistem; data penduduk tidak berubah.")
        job.finished_at = timezone.now()
        job.file.delete(save=False)
        job.save()
        raise
    else:
        job.status = ImportStatus.DONE if result.ok else ImportStatus.FAILED
        job.rows_total = job.rows_done = result.rows
        job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
        job.errors = [list(p) for p in result.problems]
        job.error_count = result.error_count
        job.conflicts, job.conflict_count = result.conflicts, result.conflict_count
        notes = list(result.notes)
        if not result.ok:
            notes.insert(
                0,
                _(
                    "%(n)s kesalahan ditemukan; tidak ada data yang disimpan. "
                    "Perbaiki lalu unggah ulang."
                )
                % {"n": result.error_count},
            )
        elif job.dry_run:
            notes.insert(0, _("Uji coba: berkas sah, tidak ada data yang disimpan."))
        if result.conflict_count:
            notes.insert(
                1 if notes and not result.ok else 0,
                _(
                    "%(n)s baris memakai NIK penduduk lain (nama dan tanggal lahir berbeda): "
                    "data lama tidak ditimpa; putuskan di bawah."
                )
                % {"n": result.conflict_count},
            )
        job.message = " ".join(notes)
    job.finished_at = timezone.now()
    # The uploaded file holds personal data: keep only the outcome.
    job.file.delete(save=False)
    job.save()
    return job


def fail_interrupted_imports(job_ids: Iterable[int]) -> int:
    """Imports whose task a dead task worker held: failed, with a message, their files
    deleted (balai/core/worker.py decides which worker is dead).

    The import's transaction was rolled back with the process; only the job row
    and the uploaded personal data remain. A job already finished, or failed by
    another worker's recovery, is left alone.
    """
    count = 0
    for job_id in job_ids:
        with transaction.atomic():
            job = (
                ResidentImport.objects.select_for_update()
                .filter(pk=job_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
                .first()
            )
            if job is None:
                continue
            job.status = ImportStatus.FAILED
            job.message = _(
                "Impor terhenti karena proses latar berhenti mendadak; data penduduk tidak "
                "berubah dan berkas yang diunggah sudah dihapus. Silakan unggah ulang."
            )
            job.finished_at = timezone.now()
            job.file.delete(save=False)
            import_progress.clear(job)
            job.save()
            audit.record("residents.import_interrupted", job)
        count += 1
    return count


# Which status an event may start from: nobody dies twice or moves out while gone.
EVENT_FROM: dict[str, set[Status]] = {
    EventKind.DEATH: {Status.ALIVE, Status.MISSING},
    EventKind.MOVE_OUT: {Status.ALIVE, Status.MISSING},
    EventKind.MOVE_IN: {Status.MOVED, Status.MISSING},
    EventKind.BIRTH: set(),
}


class EventRefused(Exception):
    pass


@transaction.atomic
def record_event(
    resident: Resident, kind: str, date, *, note: str = "", user=None
) -> RegistryEvent:
    """Record a death, move out or move in (back) and set the resident's status."""
    if resident.status not in EVENT_FROM[kind]:
        raise EventRefused(
            _("Peristiwa ini tidak dapat dicatat untuk penduduk berstatus %(status)s.")
            % {"status": resident.get_status_display()}
        )
    event = RegistryEvent.objects.create(
        village_id=resident.village_id,
        resident=resident,
        kind=kind,
        date=date,
        note=note,
        recorded_by=user,
    )
    resident.status = EVENT_STATUS[kind]
    resident.save(update_fields=["status"])
    _recount(resident.village)
    audit.record(
        f"resident.event.{kind}", resident, user=user, detail={"date": str(date), "note": note}
    )
    return event


@transaction.atomic
def register_resident(village, family, data: dict, kind: str, date, *, user=None) -> Resident:
    """Add a resident born in or moving into the village, with the event."""
    resident = Resident(village=village, family=family, **data)
    resident.full_clean()
    resident.save()
    RegistryEvent.objects.create(
        village=village, resident=resident, kind=kind, date=date, recorded_by=user
    )
    _recount(village)
    audit.record(f"resident.event.{kind}", resident, user=user, detail={"date": str(date)})
    return resident


@transaction.atomic
def accept_nik_mismatch(resident: Resident, reason: str, *, user=None) -> None:
    """Keep a NIK that disagrees with the recorded birth date or sex, with a reason."""
    warnings = nik_mismatches(resident.nik, resident.birth_date, resident.sex)
    resident.nik_mismatch_reason = reason
    resident.save(update_fields=["nik_mismatch_reason"])
    audit.record(
        "resident.nik_mismatch_accepted",
        resident,
        user=user,
        detail={"reason": reason, "warnings": warnings},
    )


def record_detail_view(resident: Resident, *, user=None) -> None:
    """Seeing a full NIK/KK is audited."""
    audit.record("resident.viewed", resident, user=user)


def record_detail_view_family(family, *, user=None) -> None:
    audit.record("family.viewed", family, user=user)


def record_export(village, *, user=None, count: int, fmt: str, filters: dict) -> None:
    audit.record(
        "residents.exported",
        village,
        user=user,
        village=village,
        detail={"count": count, "format": fmt, "filters": filters},
    )


def record_own_data_export(resident: Resident, *, user=None) -> None:
    audit.record("resident.own_data_exported", resident, user=user)


def record_import_report(job, *, user=None, fmt: str) -> None:
    """An import report repeats the file's values (full NIKs and KKs): audited like an export."""
    audit.record(
        "residents.import_report_downloaded",
        job,
        user=user,
        detail={"format": fmt, "rows": len(job.errors)},
    )


# --- corrections ----------------------------------------------------------------------


class Refused(Exception):
    """A change that cannot be made as asked; the message is for people."""


# What staff may correct on a resident's record, and on a family.
RESIDENT_FIELDS = ("occupation", "marital_status", "phone", "education", "religion")
FAMILY_FIELDS = ("address", "dusun", "rt", "rw")
# What an import row may replace when staff take it over a conflicting record.
CONFLICT_FIELDS = (
    "name", "sex", "birth_place", "birth_date", "religion", "education", "occupation",
    "marital_status", "relationship", "citizenship", "blood_type", "father_name",
    "father_nik", "mother_name", "mother_nik", "status",
)  # fmt: skip


def snapshot(obj, fields) -> dict:
    """Plain values of `fields`, for an audit row's before and after."""
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value if value is None or isinstance(value, int | str) else str(value)
    return out


def _changes(before: dict, after: dict) -> dict:
    changed = [k for k in after if before.get(k) != after[k]]
    return {
        "before": {k: before.get(k) for k in changed},
        "after": {k: after[k] for k in changed},
    }


@transaction.atomic
def decide_conflict(job: ResidentImport, index: int, take_new: bool, *, user) -> dict:
    """Staff decide one import conflict: keep the registered resident as they are, or
    take the file's row over them (before and after audited). Decided once."""
    job = ResidentImport.objects.select_for_update().get(pk=job.pk)
    if job.dry_run or not 0 <= index < len(job.conflicts):
        raise Refused(_("Konflik ini tidak ada."))
    conflict = job.conflicts[index]
    if conflict.get("decision"):
        raise Refused(_("Konflik ini sudah diputuskan."))
    resident = (
        Resident.objects.select_for_update()
        .filter(pk=conflict["resident"], village=job.village, nik=conflict["nik"])
        .first()
    )
    if resident is None:
        raise Refused(_("Penduduk dengan NIK ini tidak lagi terdaftar di desa ini."))
    detail: dict = {"job": str(job.uuid), "row": conflict["row"]}
    if take_new:
        detail.update(_take_row(resident, conflict["new"], job.village))
    conflict["decision"] = "take" if take_new else "keep"
    conflict["decided_by"] = user.get_username()
    job.save(update_fields=["conflicts"])
    action = "resident.import_conflict_taken" if take_new else "resident.import_conflict_kept"
    audit.record(action, resident, user=user, detail=detail)
    return conflict


def _take_row(resident: Resident, new: dict, village) -> dict:
    from balai.residents.models import Family

    fields = (*CONFLICT_FIELDS, "family_id")
    before = snapshot(resident, fields)
    for name in CONFLICT_FIELDS:
        setattr(resident, name, new.get(name))
    resident.birth_date = dt.date.fromisoformat(new["birth_date"])
    address, dusun, rt, rw = new["family"]
    family, _created = Family.objects.get_or_create(
        no_kk=new["no_kk"],
        village=village,
        defaults={"address": address, "dusun": dusun, "rt": rt, "rw": rw},
    )
    resident.family = family
    resident.full_clean()
    resident.save()
    _recount(village)
    return _changes(before, snapshot(resident, fields))


@transaction.atomic
def correct_resident(resident: Resident, data: dict, *, user) -> Resident:
    """Staff correct a resident's record (RESIDENT_FIELDS); audited with before and after."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)  # as stored
    before = snapshot(resident, RESIDENT_FIELDS)
    for name in RESIDENT_FIELDS:
        if name in data:
            setattr(resident, name, data[name])
    after = snapshot(resident, RESIDENT_FIELDS)
    if after == before:
        return resident
    resident.save(update_fields=[k for k in RESIDENT_FIELDS if before[k] != after[k]])
    if any(before[k] != after[k] for k in RESIDENT_FIELDS if k != "phone"):
        _recount(resident.village)  # the statistics count these
    audit.record("resident.corrected", resident, user=user, detail=_changes(before, after))
    return resident


@transaction.atomic
def correct_family(family, data: dict, *, user):
    """Staff correct a family's address (FAMILY_FIELDS); audited with before and after."""
    family = type(family).objects.select_for_update().get(pk=family.pk)  # as stored
    before = snapshot(family, FAMILY_FIELDS)
    for name in FAMILY_FIELDS:
        if name in data:
            setattr(family, name, data[name])
    after = snapshot(family, FAMILY_FIELDS)
    if after == before:
        return family
    family.save(update_fields=[k for k in FAMILY_FIELDS if before[k] != after[k]] + ["updated_at"])
    audit.record("family.corrected", family, user=user, detail=_changes(before, after))
    return family


@transaction.atomic
def split_family(family, members, *, no_kk: str, head: Resident, user, address=None):
    """Move `members` of `family` to a new KK `no_kk` with `head` at its head (a member
    moving out to a KK of their own is a split of one). Audited with each member's
    KK and relationship before and after; the new family keeps the old address
    unless `address` (FAMILY_FIELDS) is given."""
    from balai.residents.choices import Relationship
    from balai.residents.models import Family

    members = list(members)
    if not members or head not in members:
        raise Refused(_("Pilih anggota yang pindah dan kepala keluarga barunya di antara mereka."))
    if any(m.family_id != family.pk for m in members):
        raise Refused(_("Hanya anggota keluarga ini yang dapat dipindahkan."))
    if Family.objects.filter(no_kk=no_kk).exists():
        raise Refused(_("Nomor KK ini sudah terdaftar."))
    values = address or snapshot(family, FAMILY_FIELDS)
    new = Family(no_kk=no_kk, village_id=family.village_id, **values)
    new.full_clean()
    new.save()
    fields = ("family_id", "relationship")
    moved = []
    for member in members:
        before = snapshot(member, fields)
        member.family = new
        if member.pk == head.pk:
            member.relationship = Relationship.HEAD
        member.save(update_fields=["family", "relationship"])
        moved.append({"nik": mask(member.nik), **_changes(before, snapshot(member, fields))})
    audit.record(
        "family.split",
        family,
        user=user,
        detail={"from": mask(family.no_kk), "to": mask(no_kk), "members": moved},
    )
    return new
