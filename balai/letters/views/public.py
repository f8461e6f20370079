"""Pages for residents: request a letter, track it, correct it, download it,
see all of one's requests with a PIN; and the public verification page."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from balai.accounts.ratelimit import client_key, hit, is_ratelimited
from balai.letters import actions, identity, lookups, progress
from balai.letters.choices import RequestStatus
from balai.letters.forms import (
    IdentifyForm,
    LetterRequestForm,
    PinChangeForm,
    PinLoginForm,
    SignedInRequestForm,
    VerifyUploadForm,
)
from balai.letters.models import (
    Letter,
    LetterRequest,
    LetterType,
    ResidentPin,
    VillageLetterSettings,
    VillageLetterType,
)
from balai.lib import drafts, tracking
from balai.regions.models import Village
from balai.residents.choices import Status
from balai.residents.models import Resident

PIN_SESSION = "letters_pin"
PIN_STAMP = "letters_pin_stamp"


def start(request):
    """Step 1: the village (only onboarded villages of this regency)."""
    code = request.GET.get("desa")
    if code:
        if "/" in code:  # not a village code, nor a path segment
            raise Http404
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


OFFER_FIELDS = (
    "village__code",
    "village__name",
    "village__district_id",
    "village__letter_settings__uses_verification",
    "village__letter_settings__uses_secretary_check",
    "letter_type__id",
    "letter_type__code",
    "letter_type__name",
    "letter_type__description",
    "letter_type__requirements",
    "letter_type__extra_fields",
    "letter_type__sla_days",
)


def _offer(village: str, letter_type: str) -> tuple[Village, LetterType] | None:
    """This village and its switched-on online `letter_type` (with the village's
    workflow settings), from one flat query; None when any of that is not so.

    Submissions call this on every POST, so it reads values, not model rows
    through select_related, kept a short while in this process (lookups), and
    builds the few objects the form needs."""

    def load():
        rows = VillageLetterType.objects.filter(
            village_id=village,
            village__is_active=True,
            letter_type__code=letter_type,
            letter_type__is_active=True,
            letter_type__online=True,
            enabled=True,
        ).values_list(*OFFER_FIELDS)[:1]
        return rows[0] if rows else None

    row = lookups.offer(village, letter_type, load)
    if row is None:
        return None
    v = dict(zip(OFFER_FIELDS, row, strict=True))
    place = Village(
        code=v["village__code"],
        name=v["village__name"],
        district_id=v["village__district_id"],
        is_active=True,
    )
    if place.regency_id != settings.BALAI_REGENCY:
        return None
    if v["village__letter_settings__uses_verification"] is None:  # no settings row yet
        options = VillageLetterSettings(village=place)
    else:
        options = VillageLetterSettings(
            village=place,
            uses_verification=v["village__letter_settings__uses_verification"],
            uses_secretary_check=v["village__letter_settings__uses_secretary_check"],
        )
    place.letter_settings = options  # read by submit_request(checked=True)
    kind = LetterType(
        id=v["letter_type__id"],
        code=v["letter_type__code"],
        name=v["letter_type__name"],
        description=v["letter_type__description"],
        # Shared with lookups' copy, as are the extra fields: read, never changed.
        requirements=v["letter_type__requirements"],
        extra_fields=v["letter_type__extra_fields"],
        sla_days=v["letter_type__sla_days"],
        online=True,
        is_active=True,
    )
    return place, kind


def _refusal(request, village_code: str, type_code: str):
    """Why this village and type cannot be requested here, as a page (or 404)."""
    village = _active_village(village_code)
    letter_type = get_object_or_404(LetterType, code=type_code)
    try:
        actions.check_open_for_requests(village, letter_type)
    except actions.Refused as refused:
        context = {"village": village, "letter_type": letter_type, "refused": refused.message}
        return render(request, "letters/refused.html", context, status=403)
    raise Http404


@require_http_methods(["GET", "POST"])
def request_letter(request, village, letter_type):
    """Step 3: identify, fill in, upload, submit; a repeated submission finds the first."""
    offer = _offer(village, letter_type)
    if offer is None:
        return _refusal(request, village, letter_type)
    village, letter_type = offer
    client = client_key(request)
    signed_in = signed_in_resident(request, village)  # PIN: no NIK, KK, birth date to type
    draft = f"letter:{village.code}:{letter_type.code}"
    posted = request.method == "POST"
    form = (SignedInRequestForm if signed_in else LetterRequestForm)(
        request.POST or None,
        drafts.with_kept(request, draft) if posted else None,
        letter_type=letter_type,
        village=village,
        http_request=request,
        also_limits=[identity.submit_limit(client)],
        **({"signed_in": signed_in} if signed_in else {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            req, _created = form.submit(count_for=client)
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            drafts.discard(request, draft)
            url = reverse("letters:track", args=[req.tracking_code])
            response = HttpResponseRedirect(url + "?baru=1")
            tracking.remember(request, response, "letters", str(req.uuid))
            if form.throttle is not None:  # None when signed in: nothing was identified
                form.throttle.trust_device(response)
            return response
    context = {"village": village, "letter_type": letter_type, "form": form, "me": signed_in}
    if posted:  # chosen documents that passed their checks survive the form's errors
        context["kept_uploads"] = drafts.keep(request, draft, form)
    return render(request, "letters/request_form.html", context)


def track_lookup(request):
    """A long code opens its page; a short reference does with the phone's last four
    digits (rate-limited: 30 random bits are not a secret alone). Anything else
    gets help in place of a bare error (lib.tracking.explain)."""
    code = request.GET.get("kode")
    if code is None:
        return render(request, "letters/track_lookup.html")
    normal = tracking.normalise(code)
    if normal is not None:
        return redirect("letters:track", code=normal)
    if tracking.normalise_short(code) is not None:
        if is_ratelimited(request, "letters:short-ref", key="ip", rate="30/h", increment=True):
            error = _("Terlalu banyak percobaan. Coba lagi nanti.")
            return render(request, "letters/track_lookup.html", {"error": error, "code": code})
        found = actions.find_by_short_ref(code, request.GET.get("hp", "").strip())
        if found is not None:
            response = redirect("letters:track", code=found.tracking_code)
            tracking.remember(request, response, "letters", str(found.uuid))
            return response
    return _code_help(request, code, status=200)


def _code_help(request, code: str, *, status: int):
    """The lookup page explaining what looks wrong, with this browser's own requests."""
    found = LetterRequest.objects.filter(uuid__in=tracking.remembered(request, "letters"))
    mine = [
        {
            "url": reverse("letters:track", args=[req.tracking_code]),
            "label": f"{req.letter_type.name} · {req.submitted_at:%d/%m/%Y}",
        }
        for req in found.select_related("letter_type")
    ]
    context = {
        "error": _("Kode tidak dikenal. Periksa kembali kode lacak Anda."),
        "code": code,
        "help": tracking.explain(code),
        "mine": mine,
    }
    return render(request, "letters/track_lookup.html", context, status=status)


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


TRACK_FIELDS = (
    "pk",
    "tracking_code",
    "short_ref",
    "status",
    "submitted_at",
    "due_at",
    "return_reason",
    "reject_reason",
    "collected_at",
    "village_id",
    "village__name",
    "letter_type__name",
    "letter__public_id",
    "letter__revoked_at",
    "village__letter_settings__allows_download",
)
BADGES = {
    RequestStatus.READY: "ok",
    RequestStatus.COLLECTED: "ok",
    RequestStatus.RETURNED: "bad",
    RequestStatus.REJECTED: "bad",
}


@never_cache
def track(request, code):
    """Status and what happens next; no personal data (the code may be shared).

    One query (request, village, type, letter and the download setting joined),
    no model instances: this is the page residents reload while they wait.
    """
    normal = tracking.normalise(code)
    values = (
        LetterRequest.objects.filter(tracking_code=normal).values_list(*TRACK_FIELDS).first()
        if normal
        else None
    )
    if values is None:
        return _code_help(request, code, status=404)
    row = dict(zip(TRACK_FIELDS, values, strict=True))
    if code != row["tracking_code"]:
        return redirect("letters:track", code=row["tracking_code"])
    status = row["status"]
    row["village"] = str(Village(code=row["village_id"], name=row["village__name"]))  # "Desa X"
    # The letter and the village's download setting came in the same query.
    can_download = progress.may_download(
        status,
        has_letter=bool(row["letter__public_id"]),
        revoked=row["letter__revoked_at"] is not None,
        allowed=bool(row["village__letter_settings__allows_download"]),
    )
    context = {
        "row": row,
        "grouped_code": tracking.grouped(row["tracking_code"]),
        "grouped_short_ref": tracking.grouped(row["short_ref"] or ""),
        "status_label": RequestStatus(status).label,
        "badge": BADGES.get(status, ""),
        "next_step": progress.next_step(
            status,
            village=row["village"],
            due_at=row["due_at"],
            return_reason=row["return_reason"],
            reject_reason=row["reject_reason"],
            collected_at=row["collected_at"],
        ),
        "returned": status == RequestStatus.RETURNED,
        "revoked": row["letter__revoked_at"] is not None,
        "new": "baru" in request.GET,
        "can_download": can_download,
    }
    return render(request, "letters/track.html", context)


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
            response = redirect("letters:track", code=req.tracking_code)
            form.throttle.trust_device(response)
            return response
    context = {"req": req, "form": form, "village": req.village, "letter_type": req.letter_type}
    return render(request, "letters/request_form.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def download(request, code):
    """The signed PDF, to the resident who identifies again, where the village allows."""
    req = _by_code(code)
    letter = Letter.objects.filter(request=req).first()
    allowed = VillageLetterSettings.for_village(req.village).allows_download
    if not progress.may_download(
        req.status,
        has_letter=letter is not None,
        revoked=letter is not None and letter.is_revoked,
        allowed=allowed,
    ):
        return redirect("letters:track", code=req.tracking_code)
    form = IdentifyForm(request.POST or None, resident=req.resident, http_request=request)
    if request.method == "POST" and form.is_valid():
        actions.record_download(req)
        response = _pdf_response(letter)
        form.throttle.trust_device(response)
        return response
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
        if hit(*identity.verify_limit(client_key(request))):
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


def _pin_stamp(record: ResidentPin) -> str:
    """Changes with the PIN, so a session opened with an old PIN ends with it."""
    return salted_hmac("balai.letters.pin-session", record.pin_hash).hexdigest()


def _pin_record(request) -> ResidentPin | None:
    pk = request.session.get(PIN_SESSION)
    if pk is None:
        return None
    record = ResidentPin.objects.select_related("resident__village").filter(pk=pk).first()
    if record is None or not constant_time_compare(
        request.session.get(PIN_STAMP, ""), _pin_stamp(record)
    ):
        request.session.pop(PIN_SESSION, None)
        request.session.pop(PIN_STAMP, None)
        return None
    return record


def signed_in_resident(request, village: Village):
    """The resident signed in with their PIN when they live in `village`, else None."""
    record = _pin_record(request)
    if record is None or record.must_change or record.resident.village_id != village.code:
        return None
    if record.resident.status != Status.ALIVE:
        return None
    return record.resident


@never_cache
@require_http_methods(["GET", "POST"])
def pin_login(request):
    form = PinLoginForm(request.POST or None, http_request=request)
    if request.method == "POST" and form.is_valid():
        request.session.cycle_key()
        request.session[PIN_SESSION] = form.pin_record.pk
        request.session[PIN_STAMP] = _pin_stamp(form.pin_record)
        response = redirect("letters:mine")
        form.throttle.trust_device(response)
        return response
    return render(request, "letters/pin_login.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def pin_change(request):
    record = _pin_record(request)
    if record is None:
        return redirect("letters:pin-login")
    form = PinChangeForm(
        request.POST or None, resident=record.resident, record=record, http_request=request
    )
    if request.method == "POST" and form.is_valid():
        actions.change_pin(record, form.cleaned_data["new_pin"])
        request.session[PIN_STAMP] = _pin_stamp(record)
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


@never_cache
def my_data(request):
    """What the registry holds about the signed-in resident and their family, read-only."""
    record = _pin_record(request)
    if record is None:
        return redirect("letters:pin-login")
    if record.must_change:
        return redirect("letters:pin-change")
    resident = Resident.objects.select_related("family", "village__district").get(
        pk=record.resident_id
    )
    members = actions.read_own_data(resident)
    context = {"resident": resident, "family": resident.family, "members": members}
    return render(request, "letters/my_data.html", context)


@require_http_methods(["POST"])
def pin_logout(request):
    request.session.pop(PIN_SESSION, None)
    request.session.pop(PIN_STAMP, None)
    return redirect("letters:pin-login")
