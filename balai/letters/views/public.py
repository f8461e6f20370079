"""Pages for residents: request a letter, track it, correct it, download it,
see all of one's requests with a PIN; and the public verification page."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from balai.letters import actions
from balai.letters.choices import RequestStatus
from balai.letters.forms import (
    IdentifyForm,
    LetterRequestForm,
    PinChangeForm,
    PinLoginForm,
    VerifyUploadForm,
)
from balai.letters.models import (
    Letter,
    LetterRequest,
    LetterType,
    ResidentPin,
    VillageLetterSettings,
)
from balai.lib import tracking
from balai.regions.models import Village

PIN_SESSION = "letters_pin"


def _limited(request, group: str, setting: str, default: str) -> bool:
    rate = getattr(settings, setting, default)
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def start(request):
    """Step 1: the village (only onboarded villages of this regency)."""
    code = request.GET.get("desa")
    if code:
        return redirect("letters:types", village=code)
    villages = Village.objects.active().select_related("district").order_by("district", "name")
    return render(request, "letters/start.html", {"villages": villages})


def _active_village(code: str) -> Village:
    village = Village.objects.in_regency().filter(code=code).select_related("district").first()
    if village is None:
        raise Http404
    return village


def types(request, village):
    """Step 2: the letter types this village serves online."""
    village = _active_village(village)
    letter_types = LetterType.objects.enabled_in(village) if village.is_active else []
    return render(request, "letters/types.html", {"village": village, "letter_types": letter_types})


@require_http_methods(["GET", "POST"])
def request_letter(request, village, letter_type):
    """Step 3: identify, fill in, upload, submit; a repeated submission finds the first."""
    village = _active_village(village)
    letter_type = get_object_or_404(LetterType, code=letter_type)
    try:
        actions.check_open_for_requests(village, letter_type)
    except actions.Refused as refused:
        context = {"village": village, "letter_type": letter_type, "refused": refused.message}
        return render(request, "letters/refused.html", context, status=403)
    form = LetterRequestForm(
        request.POST or None,
        request.FILES or None,
        letter_type=letter_type,
        village=village,
        http_request=request,
    )
    if request.method == "POST":
        if _limited(request, "letters.submit", "BALAI_LETTERS_SUBMIT_IP_RATE", "60/h"):
            form.add_error(None, _("Terlalu banyak permohonan dari alamat ini. Coba lagi nanti."))
        elif form.is_valid():
            try:
                req, _created = actions.submit_request(
                    village=village,
                    letter_type=letter_type,
                    resident=form.resident,
                    purpose=form.cleaned_data["purpose"],
                    values=form.values,
                    phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"],
                    documents=form.documents,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except actions.Refused as refused:
                form.add_error(None, refused.message)
            else:
                url = reverse("letters:track", args=[req.tracking_code])
                return HttpResponseRedirect(url + "?baru=1")
    context = {"village": village, "letter_type": letter_type, "form": form}
    return render(request, "letters/request_form.html", context)


def track_lookup(request):
    code = request.GET.get("kode")
    if code is None:
        return render(request, "letters/track_lookup.html")
    normal = tracking.normalise(code)
    if normal is None:
        error = _("Kode lacak terdiri dari 28 huruf dan angka, mis. ABCD-EFGH-....")
        return render(request, "letters/track_lookup.html", {"error": error, "code": code})
    return redirect("letters:track", code=normal)


def _by_code(code: str) -> LetterRequest:
    normal = tracking.normalise(code)
    if normal is None:
        raise Http404
    found = (
        LetterRequest.objects.select_related("letter_type", "village__district")
        .filter(tracking_code=normal)
        .first()
    )
    if found is None:
        raise Http404
    return found


@never_cache
def track(request, code):
    """Status and what happens next; no personal data (the code may be shared)."""
    req = _by_code(code)
    if code != req.tracking_code:
        return redirect("letters:track", code=req.tracking_code)
    letter = Letter.objects.filter(request=req).only("public_id", "revoked_at").first()
    options = VillageLetterSettings.for_village(req.village)
    context = {
        "req": req,
        "letter": letter,
        "new": "baru" in request.GET,
        "can_download": _can_download(req, letter, options),
        "statuses": RequestStatus,
    }
    return render(request, "letters/track.html", context)


def _can_download(req, letter, options) -> bool:
    return (
        letter is not None
        and not letter.is_revoked
        and options.allows_download
        and req.status in (RequestStatus.READY, RequestStatus.COLLECTED)
    )


@never_cache
@require_http_methods(["GET", "POST"])
def correct(request, code):
    """The resident corrects a returned request (identifying again) and resubmits."""
    req = _by_code(code)
    if req.status != RequestStatus.RETURNED:
        return redirect("letters:track", code=req.tracking_code)
    form = LetterRequestForm(
        request.POST or None,
        request.FILES or None,
        letter_type=req.letter_type,
        resident=req.resident,
        existing=req,
        http_request=request,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.resubmit_request(
                req,
                purpose=form.cleaned_data["purpose"],
                values=form.values,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                documents=form.documents,
            )
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("letters:track", code=req.tracking_code)
    context = {"req": req, "form": form, "village": req.village, "letter_type": req.letter_type}
    return render(request, "letters/request_form.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def download(request, code):
    """The signed PDF, to the resident who identifies again, where the village allows."""
    req = _by_code(code)
    letter = Letter.objects.filter(request=req).first()
    if not _can_download(req, letter, VillageLetterSettings.for_village(req.village)):
        return redirect("letters:track", code=req.tracking_code)
    form = IdentifyForm(request.POST or None, resident=req.resident, http_request=request)
    if request.method == "POST" and form.is_valid():
        actions.record_download(req)
        return _pdf_response(letter)
    return render(request, "letters/download.html", {"req": req, "form": form})


def _pdf_response(letter: Letter) -> FileResponse:
    response = FileResponse(
        letter.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"surat-{letter.public_id}.pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def verify(request, public_id):
    """The QR's target: valid, revoked or unknown; and is this PDF the issued one?"""
    letter = (
        Letter.objects.select_related("letter_type", "village__district")
        .filter(public_id=public_id)
        .first()
    )
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    match = None
    if request.method == "POST" and letter is not None:
        if _limited(request, "letters.verify", "BALAI_LETTERS_VERIFY_IP_RATE", "60/h"):
            form.add_error(None, _("Terlalu banyak pemeriksaan dari alamat ini. Coba lagi nanti."))
        elif form.is_valid():
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["pdf"].chunks():
                digest.update(chunk)
            match = digest.hexdigest() == letter.sha256
    status = 200 if letter is not None else 404
    context = {"letter": letter, "form": form, "match": match}
    return render(request, "letters/verify.html", context, status=status)


# ---------------------------------------------------------------- PIN (layanan mandiri)


def _pin_record(request) -> ResidentPin | None:
    pk = request.session.get(PIN_SESSION)
    if pk is None:
        return None
    return ResidentPin.objects.select_related("resident__village").filter(pk=pk).first()


@never_cache
@require_http_methods(["GET", "POST"])
def pin_login(request):
    form = PinLoginForm(request.POST or None, http_request=request)
    if request.method == "POST" and form.is_valid():
        request.session.cycle_key()
        request.session[PIN_SESSION] = form.pin_record.pk
        return redirect("letters:mine")
    return render(request, "letters/pin_login.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def pin_change(request):
    record = _pin_record(request)
    if record is None:
        return redirect("letters:pin-login")
    form = PinChangeForm(request.POST or None, resident=record.resident)
    if request.method == "POST" and form.is_valid():
        actions.change_pin(record, form.cleaned_data["new_pin"])
        return redirect("letters:mine")
    return render(request, "letters/pin_change.html", {"form": form, "record": record})


@never_cache
def mine(request):
    """All requests and letters of the resident holding the PIN."""
    record = _pin_record(request)
    if record is None:
        return redirect("letters:pin-login")
    if record.must_change:
        return redirect("letters:pin-change")
    requests = (
        LetterRequest.objects.filter(resident=record.resident)
        .select_related("letter_type", "village", "letter")
        .order_by("-submitted_at")
    )
    return render(request, "letters/mine.html", {"record": record, "requests": requests})


@require_http_methods(["POST"])
def pin_logout(request):
    request.session.pop(PIN_SESSION, None)
    return redirect("letters:pin-login")
