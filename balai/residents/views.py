"""Staff pages of the registry and the public statistics pages."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from balai.accounts.access import get_for_user_or_404, require_role, village_for_user_or_404
from balai.accounts.ratelimit import ratelimit
from balai.lib.pager import paginate
from balai.lib.tables import to_csv, to_xlsx
from balai.regions.models import District, Regency, Village
from balai.residents import actions, progress, stats
from balai.residents.choices import ImportStatus, Sex, Status
from balai.residents.exports import EXPORT_HEADERS, export_row, own_data_rows
from balai.residents.forms import (
    SORTS,
    CorrectionForm,
    EventForm,
    FamilyForm,
    ImportForm,
    MismatchForm,
    ResidentFilterForm,
    ResidentForm,
    SplitForm,
)
from balai.residents.importing.template import TEMPLATE_COLUMNS, example_row
from balai.residents.models import SEARCH_LIMIT, Family, Resident, ResidentImport, age
from balai.residents.nik import has_id_number, mask, mask_numbers, nik_mismatches
from balai.residents.roles import EXPORTERS, READERS, WRITERS

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def filtered_residents(user, data):
    """The residents `user` may see, filtered by a bound ResidentFilterForm's data."""
    qs = Resident.objects.for_user(user)
    if data.get("desa"):
        qs = qs.filter(village_id=data["desa"])
    if data.get("q"):
        qs = qs.search(data["q"])
    # Dusun names are typed in any case ("KRAJAN", "Krajan"); RT and RW are digits.
    for key, lookup in (
        ("dusun", "family__dusun__iexact"),
        ("rw", "family__rw"),
        ("rt", "family__rt"),
    ):
        if data.get(key):
            qs = qs.filter(**{lookup: data[key]})
    if data.get("sex"):
        qs = qs.filter(sex=data["sex"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    today = timezone.localdate()
    if data.get("umur_min") is not None:
        qs = qs.filter(birth_date__lte=years_ago(today, data["umur_min"]))
    if data.get("umur_max") is not None:
        qs = qs.filter(birth_date__gt=years_ago(today, data["umur_max"] + 1))
    return qs.order_by(*SORTS.get(data.get("urut") or "nama", SORTS["nama"]))


def _filter_form(request, data=None):
    """The filter form and its valid values (an invalid field is left out, the rest apply)."""
    form = ResidentFilterForm((request.GET if data is None else data) or None)
    if not form.is_bound:
        return form, {}
    form.is_valid()
    return form, form.cleaned_data


def _is_number(text: str) -> bool:
    return (text or "").replace(" ", "").replace(".", "").isdigit()


def refuse_number_in_url(view):
    """A NIK or no. KK in a GET query string is refused (400): URLs end up in access logs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "GET" and has_id_number(request.GET.get("q", "")):
            return render(request, "residents/number_in_url.html", status=400)
        return view(request, *args, **kwargs)

    return wrapper


def _list_rows(page) -> list[dict]:
    """A page of plain values as table rows, numbers masked."""
    today = timezone.localdate()
    base = reverse("residents:list")
    status_labels = dict(Status.choices)
    return [
        {
            "nik": mask(r.nik),
            "name": r.name,
            "url": f"{base}{r.uuid}/",
            "sex": "L" if r.sex == Sex.MALE else "P",
            "age": age(r.birth_date, today),
            "kk": mask(r.family__no_kk) if r.family__no_kk else "",
            "family_url": f"{base}keluarga/{r.family__uuid}/" if r.family__uuid else "",
            "place": f"{r.family__dusun}, {r.family__rt}/{r.family__rw}" if r.family__uuid else "",
            "status": status_labels[r.status],
            "alive": r.status == Status.ALIVE,
            "village": r.village__name,
        }
        for r in page
    ]


LIST_FIELDS = ["uuid", "nik", "name", "sex", "birth_date", "status", "family__no_kk"]
LIST_FIELDS += ["family__uuid", "family__dusun", "family__rt", "family__rw", "village__name"]


@login_required
@refuse_number_in_url
def resident_list(request):
    """The filter form posts, so a NIK or no. KK typed in never lands in a URL;
    other filters come back as a shareable GET URL."""
    require_role(request.user, *READERS)
    posted = None
    if request.method == "POST":
        posted = request.POST.copy()
        posted.pop("csrfmiddlewaretoken", None)
        if not _is_number(posted.get("q", "")):
            kept = {k: v for k, v in posted.items() if v != ""}
            return redirect(reverse("residents:list") + ("?" + urlencode(kept) if kept else ""))
    form, data = _filter_form(request, posted)
    # Plain values, not model instances: a page of 50 rows stays cheap at any registry size.
    filtered = filtered_residents(request.user, data)
    residents = filtered.values_list(*LIST_FIELDS, named=True)
    query = (posted or request.GET).copy()
    if _is_number(query.get("q", "")):
        query.pop("q")  # page links never carry a NIK or KK
    page = paginate(residents, query, PAGE_SIZE, count=filtered)
    context = {"form": form, "page": page, "rows": _list_rows(page)}
    # A NIK prefix or a surname finds at most SEARCH_LIMIT: say so rather than
    # let the total read as everyone who matches.
    context["search_limit"] = SEARCH_LIMIT if data.get("q") and page.total == SEARCH_LIMIT else None
    context["can_write"] = request.user.role in WRITERS
    context["can_export"] = request.user.role in EXPORTERS and not _is_number(data.get("q", ""))
    return render(request, "residents/list.html", context)


@login_required
def resident_detail(request, uuid):
    require_role(request.user, *READERS)
    resident = get_for_user_or_404(
        Resident.objects.select_related("family", "village"), request.user, uuid=uuid
    )
    actions.record_detail_view(resident, user=request.user)
    can_write = request.user.role in WRITERS
    return render(
        request,
        "residents/detail.html",
        {
            "resident": resident,
            "events": resident.events.select_related("recorded_by"),
            "members": resident.family.members.exclude(pk=resident.pk).order_by("relationship")
            if resident.family_id
            else [],
            "mismatches": nik_mismatches(resident.nik, resident.birth_date, resident.sex),
            "can_write": can_write,
            "event_form": EventForm() if can_write else None,
            "mismatch_form": MismatchForm() if can_write else None,
        },
    )


@login_required
def family_detail(request, uuid):
    require_role(request.user, *READERS)
    family = get_for_user_or_404(Family.objects.select_related("village"), request.user, uuid=uuid)
    actions.record_detail_view_family(family, user=request.user)
    return render(
        request,
        "residents/family.html",
        {
            "family": family,
            "members": family.members.order_by("relationship", "birth_date"),
            "can_write": request.user.role in WRITERS,
        },
    )


@login_required
def add_member(request, uuid):
    """Register a birth or a move-in into a family."""
    require_role(request.user, *WRITERS)
    family = get_for_user_or_404(Family.objects.select_related("village"), request.user, uuid=uuid)
    form = ResidentForm(request.POST or None, village=family.village, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("kind", "event_date")}
        resident = actions.register_resident(
            family.village,
            family,
            data,
            form.cleaned_data["kind"],
            form.cleaned_data["event_date"],
            user=request.user,
        )
        messages.success(request, _("Penduduk ditambahkan."))
        return redirect("residents:detail", uuid=resident.uuid)
    return render(request, "residents/add_member.html", {"family": family, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def resident_edit(request, uuid):
    """Correct occupation, marital status, education, religion, phone."""
    require_role(request.user, *WRITERS)
    resident = get_for_user_or_404(Resident.objects, request.user, uuid=uuid)
    form = CorrectionForm(request.POST or None, instance=resident)
    if request.method == "POST" and form.is_valid():
        actions.correct_resident(resident, form.cleaned_data, user=request.user)
        messages.success(request, _("Data penduduk diperbarui."))
        return redirect("residents:detail", uuid=resident.uuid)
    context = {"form": form, "resident": resident}
    return render(request, "residents/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def family_edit(request, uuid):
    """Correct a family's address, dusun, RT and RW."""
    require_role(request.user, *WRITERS)
    family = get_for_user_or_404(Family.objects, request.user, uuid=uuid)
    form = FamilyForm(request.POST or None, instance=family)
    if request.method == "POST" and form.is_valid():
        actions.correct_family(family, form.cleaned_data, user=request.user)
        messages.success(request, _("Alamat keluarga diperbarui."))
        return redirect("residents:family", uuid=family.uuid)
    return render(request, "residents/edit.html", {"form": form, "family": family})


@login_required
@require_http_methods(["GET", "POST"])
def family_split(request, uuid):
    """Move members to a new KK (one member moving out, or a KK split in two)."""
    require_role(request.user, *WRITERS)
    family = get_for_user_or_404(Family.objects, request.user, uuid=uuid)
    form = SplitForm(request.POST or None, family=family, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = actions.split_family(
                family, data["members"], no_kk=data["no_kk"], head=data["head"], user=request.user
            )
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Anggota dipindahkan ke KK baru."))
            return redirect("residents:family", uuid=new.uuid)
    return render(request, "residents/split.html", {"form": form, "family": family})


@login_required
@require_POST
def record_event(request, uuid):
    require_role(request.user, *WRITERS)
    resident = get_for_user_or_404(Resident.objects, request.user, uuid=uuid)
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            actions.record_event(
                resident,
                form.cleaned_data["kind"],
                form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except actions.EventRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Peristiwa dicatat."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("residents:detail", uuid=resident.uuid)


@login_required
@require_POST
def accept_mismatch(request, uuid):
    require_role(request.user, *WRITERS)
    resident = get_for_user_or_404(Resident.objects, request.user, uuid=uuid)
    form = MismatchForm(request.POST)
    if form.is_valid():
        actions.accept_nik_mismatch(resident, form.cleaned_data["reason"], user=request.user)
        messages.success(request, _("Alasan disimpan; NIK dipertahankan."))
    else:
        for error in form.errors.get("reason", []):
            messages.error(request, error)
    return redirect("residents:detail", uuid=resident.uuid)


@login_required
@refuse_number_in_url
def export(request, fmt):
    """The filtered list of one village as xlsx/csv: full numbers, audited."""
    require_role(request.user, *EXPORTERS)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    _form, data = _filter_form(request)
    village_code = request.user.village_id or data.get("desa")
    if not village_code:
        messages.error(request, _("Pilih satu desa (kode desa) untuk diekspor."))
        return redirect("residents:list")
    village = village_for_user_or_404(request.user, village_code)
    qs = filtered_residents(request.user, {**data, "desa": village.code}).select_related("family")
    rows = [export_row(r) for r in qs[:EXPORT_LIMIT].iterator(chunk_size=2000)]
    actions.record_export(
        village,
        user=request.user,
        count=len(rows),
        fmt=fmt,
        filters={k: str(v) for k, v in data.items() if v not in (None, "")},
    )
    name = f"penduduk-{village.code}-{timezone.localdate():%Y%m%d}"
    return _download(EXPORT_HEADERS, rows, fmt, name)


def _download(headers, rows, fmt, name):
    if fmt == "csv":
        response = HttpResponse(to_csv(headers, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(headers, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def own_data(request, uuid):
    """A resident's own data (UU PDP right of access), handed over by village staff."""
    require_role(request.user, *WRITERS)
    resident = get_for_user_or_404(
        Resident.objects.select_related("family", "village"), request.user, uuid=uuid
    )
    actions.record_own_data_export(resident, user=request.user)
    pairs = own_data_rows(resident)
    return _download(
        [_("Data"), _("Isi")], pairs, "xlsx", f"data-pribadi-{timezone.localdate():%Y%m%d}"
    )


# --- imports --------------------------------------------------------------------------


@login_required
def import_page(request):
    require_role(request.user, *WRITERS)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            job = actions.start_import(
                request.user.village,
                form.cleaned_data["file"],
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            return redirect("residents:import-status", uuid=job.uuid)
    else:
        form = ImportForm()
    jobs = ResidentImport.objects.for_user(request.user).select_related("uploaded_by")[:10]
    return render(request, "residents/import.html", {"form": form, "jobs": jobs})


@login_required
def import_status(request, uuid):
    require_role(request.user, *WRITERS)
    job = get_for_user_or_404(ResidentImport.objects, request.user, uuid=uuid)
    running = job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    done, total = progress.read(job) if running else (job.rows_done, job.rows_total)
    percent = 100 * done // total if total else (0 if running else 100)
    return render(
        request,
        "residents/import_status.html",
        {
            "job": job,
            "running": running,
            "done": done,
            "total": total,
            "percent": percent,
            # Full numbers only in the audited report download.
            "problems": [
                (row, column, mask_numbers(str(value)), reason, level)
                for row, column, value, reason, level in job.errors[:100]
            ],
            "conflicts": [
                {**c, "index": i, "masked": mask(c["nik"])} for i, c in enumerate(job.conflicts)
            ],
        },
    )


@login_required
def import_template(request, fmt):
    """An empty file with the columns the importer reads and one example row."""
    require_role(request.user, *WRITERS)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    row = example_row(request.user.village)
    return _download(TEMPLATE_COLUMNS, [row], fmt, "contoh-impor-penduduk")


@login_required
@require_POST
def decide_conflict(request, uuid, index):
    """Keep the registered resident, or take the file's row over them."""
    require_role(request.user, *WRITERS)
    job = get_for_user_or_404(ResidentImport.objects, request.user, uuid=uuid)
    take_new = request.POST.get("decision") == "take"
    try:
        actions.decide_conflict(job, index, take_new, user=request.user)
    except actions.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Data dari berkas dipakai.") if take_new else _("Data lama dipertahankan."),
        )
    return redirect("residents:import-status", uuid=job.uuid)


@login_required
def import_report(request, uuid, fmt):
    require_role(request.user, *WRITERS)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    job = get_for_user_or_404(ResidentImport.objects, request.user, uuid=uuid)
    actions.record_import_report(job, user=request.user, fmt=fmt)
    headers = [_("baris"), _("kolom"), _("nilai"), _("alasan"), _("jenis")]
    return _download(headers, job.errors, fmt, f"laporan-impor-{job.created_at:%Y%m%d-%H%M}")


# --- statistics (public) --------------------------------------------------------------


def _region(code: str):
    if code.count(".") == 1 and code == settings.BALAI_REGENCY:
        return Regency.objects.get(code=code), "regency"
    if code.count(".") == 2:
        district = District.objects.in_regency().filter(code=code).first()
        if district:
            return district, "district"
    if code.count(".") == 3:
        village = Village.objects.active().filter(code=code).first()
        if village:
            return village, "village"
    raise Http404


@ratelimit(key="ip", rate="120/m", block=True)
def statistics(request, code=None):
    code = code or settings.BALAI_REGENCY
    region, level = _region(code)
    data = stats.population(code)
    children = []
    if level == "regency":
        children = District.objects.in_regency()
    elif level == "district":
        children = Village.objects.active().filter(district=region)
    return render(
        request,
        "residents/statistics.html",
        {
            "region": region,
            "level": level,
            "data": data,
            "children": children,
            "pyramid": stats.pyramid(data["age_groups"]),
            "bars": {
                dimension: stats.bar_chart(data[dimension])
                for dimension in ("religion", "education", "occupation", "marital_status")
            },
        },
    )
