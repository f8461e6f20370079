"""Village staff: the queue, one request with its steps, settings, PINs;
the regency admin: the letter types catalogue and its templates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from balai.accounts import audit
from balai.accounts.access import get_for_user_or_404, require_role
from balai.accounts.choices import Role
from balai.letters import actions, thumbnails
from balai.letters.choices import RequestStatus
from balai.letters.document import draft_pdf, signer_authority
from balai.letters.forms import (
    CollectForm,
    LetterTypeForm,
    PinIssueForm,
    ReasonForm,
    RegencySettingsForm,
    VillageSettingsForm,
)
from balai.letters.models import (
    Letter,
    LetterRequest,
    LetterSettings,
    LetterType,
    RequestDocument,
    VillageLetterSettings,
    VillageLetterType,
)
from balai.lib.pager import paginate
from balai.lib.uploads import upload_response
from balai.residents.models import Resident
from balai.residents.nik import has_id_number

PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def queue(request):
    """Open requests first, oldest deadline first; filter by status, search by name,
    tracking code or NIK. The search form posts, so a NIK never lands in a URL;
    anything else comes back as a shareable GET URL."""
    require_role(request.user, *actions.QUEUE_ROLES)
    params = request.POST if request.method == "POST" else request.GET
    status = params.get("status", "open")
    q = " ".join(params.get("q", "").split())[:100]
    if request.method == "POST" and not has_id_number(q):
        kept = {k: v for k, v in (("status", status), ("q", q)) if v}
        return redirect(reverse("letters:staff-queue") + "?" + urlencode(kept))
    if request.method == "GET" and has_id_number(q):
        q = ""  # a NIK in a URL (typed by hand) is not searched: it would be logged
    requests = (
        LetterRequest.objects.for_user(request.user)
        .queue(status)
        .search(q)
        .select_related("letter_type", "village", "resident")
    )
    shown = QueryDict(mutable=True)
    shown.update({k: v for k, v in params.items() if k in ("status", "page")})
    if q and not has_id_number(q):
        shown["q"] = q
    context = {
        "page": paginate(requests, shown, PAGE),
        "status": status,
        "q": q,
        "search_problem": actions.queue_search_problem(q),
        "statuses": RequestStatus.choices,
        "now": timezone.now(),
    }
    return render(request, "letters/staff/queue.html", context)


def _request_for(user, uuid) -> LetterRequest:
    return get_for_user_or_404(
        LetterRequest.objects.select_related(
            "letter_type", "village__district", "resident__family"
        ),
        user,
        uuid=uuid,
    )


@never_cache
@login_required
def detail(request, uuid):
    require_role(request.user, *actions.QUEUE_ROLES)
    req = _request_for(request.user, uuid)
    audit.record("letter_request.viewed", req)  # personal data was read
    letter = Letter.objects.filter(request=req).first()
    user = request.user
    blocker = actions.sign_blocker(user, req)  # also when may_sign() says no
    context = {
        "req": req,
        "letter": letter,
        "steps": req.steps.select_related("user"),
        "documents": req.documents.all(),
        "values": req.value_rows(),
        "now": timezone.now(),
        "reason_form": ReasonForm(),
        "collect_form": CollectForm(),
        "sign_authority": signer_authority(user, req.village),
        "can": {
            "verify": user.role in actions.VERIFY_ROLES and req.status == RequestStatus.SUBMITTED,
            "check": user.role in actions.CHECK_ROLES
            and req.status == RequestStatus.AWAITING_CHECK,
            "sign": req.status == RequestStatus.AWAITING_SIGNATURE
            and user.role in actions.SIGN_ROLES
            and not blocker,
            "handle": user.role in actions.HANDLE_ROLES and req.is_open,
            "collect": user.role in actions.HANDLE_ROLES and req.status == RequestStatus.READY,
            "revoke": user.role in actions.REVOKE_ROLES
            and letter is not None
            and not letter.is_revoked,
            "preview": req.is_open and letter is None,
        },
        "sign_blocker": blocker,
        "pickup_requirements": [
            r["label"] for r in req.letter_type.requirements if not r.get("upload")
        ],
    }
    return render(request, "letters/staff/detail.html", context)


@require_POST
@login_required
def step(request, uuid, step):
    if step not in actions.STEP_ROLES:
        raise Http404
    require_role(request.user, *actions.QUEUE_ROLES)
    req = _request_for(request.user, uuid)
    require_role(request.user, *actions.STEP_ROLES[step])
    done, message = actions.run_step(req, request.user, step, request.POST)
    (messages.success if done else messages.error)(request, message)
    return redirect("letters:staff-detail", uuid=req.uuid)


@login_required
def document(request, uuid, document):
    require_role(request.user, *actions.QUEUE_ROLES)
    req = _request_for(request.user, uuid)
    doc = get_object_or_404(RequestDocument, request=req, uuid=document)
    audit.record("letter_request.document_viewed", req, detail={"key": doc.key})
    return upload_response(doc.file, download_name=doc.key)


@login_required
def document_thumbnail(request, uuid, document):
    """A small JPEG of an uploaded document (a PDF's first page), or its icon."""
    require_role(request.user, *actions.QUEUE_ROLES)
    req = _request_for(request.user, uuid)
    doc = get_object_or_404(RequestDocument, request=req, uuid=document)
    name = thumbnails.thumbnail(doc)
    if name is None:
        return redirect(static("letters/document.svg"))
    stored = default_storage.open(name)
    return upload_response(stored, download_name="pratinjau", cache="private, max-age=3600")


@never_cache
@login_required
def draft(request, uuid):
    """The letter as it would be signed now, marked PRATINJAU: read before signing."""
    require_role(request.user, *actions.QUEUE_ROLES)
    req = _request_for(request.user, uuid)
    if not req.is_open or Letter.objects.filter(request=req).exists():
        raise Http404
    audit.record("letter_request.previewed", req)
    response = HttpResponse(draft_pdf(req, request.user), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="pratinjau.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def regency_logo(request):
    """The regency's letterhead logo as uploaded (shown on the settings page)."""
    current = LetterSettings.current()
    if not current.logo:
        raise Http404
    return upload_response(current.logo, download_name="logo", cache="private, max-age=300")


@login_required
def letter_pdf(request, public_id):
    require_role(request.user, *actions.QUEUE_ROLES)
    letter = get_for_user_or_404(Letter.objects.all(), request.user, public_id=public_id)
    audit.record("letter.pdf_viewed", letter)
    response = FileResponse(
        letter.pdf.open("rb"), content_type="application/pdf", filename=f"{letter.public_id}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def revoke(request, public_id):
    require_role(request.user, *actions.QUEUE_ROLES)
    letter = get_for_user_or_404(Letter.objects.all(), request.user, public_id=public_id)
    require_role(request.user, *actions.REVOKE_ROLES)
    try:
        actions.revoke_letter(letter, request.user, request.POST.get("reason", ""))
        messages.success(request, _("Surat dicabut; halaman verifikasinya kini menyatakannya."))
    except actions.Refused as refused:
        messages.error(request, refused.message)
    return redirect("letters:staff-detail", uuid=letter.request.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def village_settings(request):
    """The village head chooses the steps, letterhead and letter types."""
    require_role(request.user, Role.VILLAGE_HEAD, Role.VILLAGE_SECRETARY)
    village = request.user.village
    options = VillageLetterSettings.for_village(village)
    types = LetterType.objects.filter(is_active=True)
    initial = {
        "enabled_types": list(types.filter(villages__village=village, villages__enabled=True)),
        "secretary_types": list(
            types.filter(villages__village=village, villages__secretary_signs=True)
        ),
    }
    form = VillageSettingsForm(
        request.POST or None,
        instance=options,
        initial=initial,
        may_delegate=request.user.role == Role.VILLAGE_HEAD,
    )
    if request.method == "POST" and form.is_valid():
        actions.save_village_settings(
            form.save(commit=False),
            form.cleaned_data["enabled_types"],
            request.user,
            secretary_types=form.cleaned_data["secretary_types"],
        )
        messages.success(request, _("Pengaturan layanan surat disimpan."))
        return redirect("letters:staff-settings")
    return render(request, "letters/staff/settings.html", {"form": form, "village": village})


@login_required
@require_http_methods(["GET", "POST"])
def issue_pin(request):
    """Give a resident of this village a PIN for layanan mandiri; shown once."""
    require_role(request.user, *actions.HANDLE_ROLES)
    form = PinIssueForm(request.POST or None)
    pin = resident = None
    if request.method == "POST" and form.is_valid():
        resident = (
            Resident.objects.for_user(request.user).filter(nik=form.cleaned_data["nik"]).first()
        )
        if resident is None:
            form.add_error("nik", _("Tidak ada penduduk desa ini dengan NIK tersebut."))
        else:
            pin = actions.issue_pin(resident, request.user)
    context = {
        "form": form if pin is None else PinIssueForm(),
        "pin": pin,
        "resident": resident,
        "issued_on": timezone.localdate(),
        "sign_in_url": settings.SITE_URL + reverse("letters:pin-login"),
    }
    response = render(request, "letters/staff/pin.html", context)
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- regency catalogue


@login_required
@require_http_methods(["GET", "POST"])
def type_list(request):
    require_role(request.user, Role.REGENCY_ADMIN)
    current = LetterSettings.current()
    form = RegencySettingsForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ("number_format", "paper")}
        values["logo_changed"] = "logo" in form.changed_data
        actions.save_regency_settings(form.save(commit=False), request.user, values)
        messages.success(request, _("Pengaturan surat kabupaten disimpan."))
        return redirect("letters:type-list")
    letter_types = LetterType.objects.all()
    counts = dict(
        VillageLetterType.objects.filter(enabled=True)
        .values_list("letter_type")
        .annotate(n=Count("pk"))
    )
    rows = [(t, counts.get(t.pk, 0)) for t in letter_types]
    return render(request, "letters/staff/type_list.html", {"rows": rows, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request, code=None):
    """Edit a type and its body template; preview on sample data, as text or PDF."""
    require_role(request.user, Role.REGENCY_ADMIN)
    instance = get_object_or_404(LetterType, code=code) if code else LetterType()
    form = LetterTypeForm(request.POST or None, instance=instance)
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        if action == "pdf":
            return _preview_pdf(form.instance)
        if action == "preview":
            preview = form.preview_text()
        else:
            actions.save_letter_type(form.instance, request.user, form.changed_data)
            messages.success(request, _("Jenis surat disimpan."))
            return redirect("letters:type-edit", code=form.instance.code)
    from balai.letters.placeholders import KNOWN

    context = {"form": form, "preview": preview, "known": KNOWN, "instance": instance}
    return render(request, "letters/staff/type_edit.html", context)


def _preview_pdf(letter_type: LetterType) -> HttpResponse:
    from balai.letters import placeholders
    from balai.letters.rendering import render_preview

    fields = [(f["name"], f["label"]) for f in letter_type.extra_fields]
    values = placeholders.sample_values(fields)
    body = [placeholders.fill(p, values) for p in placeholders.paragraphs(letter_type.body)]
    pdf = render_preview(body=body, title=letter_type.title.upper())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="contoh.pdf"'
    return response
