"""Open311 GeoReport v2 at /open311/v2/, as the specification shows it.

What existing clients rely on (and this keeps): the format from the extension
(.xml, the default, or .json); XML without a namespace, served as
`text/xml; charset=utf-8`, and a one-element list shaped like any other list;
JSON lists as bare arrays; errors as <errors><error><code/><description/>
(JSON: an array of {code, description}) with 404 for an unknown resource, 403
for a missing or wrong api_key, 400 otherwise; datetimes in ISO 8601 with
their offset; service codes always strings; api_key taken from the query
string or the form body; an empty jurisdiction_id treated as absent; the
service definition also at the singular `service/{code}`.

Reports get their village from `attribute[village]` (a village code, listed
in each service definition) or from `address_id` holding that code.
service_request_id is the report's public id; confidential reports are never
listed or shown. The reply to a new report also carries `short_ref`, the short
reference the reporter reads over the phone (an extension field; never listed).
"""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, JsonResponse
from django.urls import re_path
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from balai.accounts.choices import Scope
from balai.accounts.models import ApiToken, token_digest
from balai.accounts.ratelimit import is_ratelimited
from balai.complaints import actions
from balai.complaints.choices import OPEN311_CLOSED, Privacy
from balai.complaints.forms import ReportForm
from balai.complaints.models import Category, Complaint, ComplaintPhoto
from balai.lib.workdays import local_tz
from balai.regions.models import Village

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _FirstPhoto(TypedDict):
        first_photo: str | None

    # A public report with its first photo's public id (_public_requests).
    PublicRequest = WithAnnotations[Complaint, _FirstPhoto]

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-28T00:00:00+07:00"
MAX_RESULTS = 1000
DEFAULT_DAYS = 90
XML_TYPE = "text/xml; charset=utf-8"
SUBMIT_PER_HOUR = 600  # per api_key's user


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# Rendering ---------------------------------------------------------------


# Characters XML 1.0 cannot hold at all (escaped or not): one in a stranger's
# text would make the whole list unreadable for every client.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _element(tag: str, value) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list):
        # Lists of scalars (formats) and of objects (attributes, values).
        child_tag = LIST_ITEMS.get(tag, tag.rstrip("s"))
        for item in value:
            element.append(_element(child_tag, item))
    else:
        element.text = _text(value)
    return element


LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """`data` is a list (rendered as root > item elements) or a dict (root's children)."""
    if fmt == "json":
        return JsonResponse(
            data, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
        )
    body = ET.tostring(_element(root, data), encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>\n' + body, content_type=XML_TYPE, status=status
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": description}], status=status)


def iso(value) -> str | None:
    return value.astimezone(local_tz()).isoformat(timespec="seconds") if value else None


# Views -------------------------------------------------------------------


def endpoint(view):
    """Format from the URL, jurisdiction check, errors in the Open311 shape."""

    def wrapper(request, fmt="xml", **kwargs):
        fmt = (fmt or "xml").lower()
        if fmt not in ("xml", "json"):
            return error("xml", 404, _("Format tidak dikenal: gunakan .xml atau .json."))
        try:
            check_jurisdiction(request)
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(wrapper)


def param(request, name: str) -> str:
    """A parameter from the form body or else the query string."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name)
    return (value or "").strip()


def jurisdictions() -> set[str]:
    return {settings.BALAI_REGENCY, urlsplit(settings.SITE_URL).hostname or ""}


def check_jurisdiction(request) -> None:
    value = param(request, "jurisdiction_id")
    if value and value not in jurisdictions():
        raise Open311Error(404, _("jurisdiction_id tidak dikenal: %(value)s") % {"value": value})


def discovery(request, fmt):
    base = settings.SITE_URL + "/open311/v2/"
    data = {
        "changeset": CHANGESET,
        "contact": f"Balai, {settings.SITE_URL}",
        "key_service": (
            f"Minta api_key (token dengan cakupan open311) ke admin kabupaten: {settings.SITE_URL}"
        ),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", data)


def service_item(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group or (category.agency.short_name if category.agency else ""),
    }


def services(request, fmt):
    categories = Category.objects.active().select_related("agency")
    return render(fmt, "services", [service_item(c) for c in categories])


def _values(pairs) -> list[dict]:
    return [{"key": key, "name": name} for key, name in pairs]


def service_definition(request, fmt, code):
    category = Category.objects.active().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code tidak dikenal: %(value)s") % {"value": code})
    villages = Village.objects.active().select_related("district").order_by("name")
    data = {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "village",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "Kode desa/kelurahan lokasi aduan.",
                "order": 1,
                "description": "Desa/kelurahan",
                "values": _values((v.code, f"{v.name}, Kec. {v.district.name}") for v in villages),
            },
            {
                "variable": True,
                "code": "privacy",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": (
                    "Kategori sensitif: selalu rahasia."
                    if category.sensitive
                    else "Bawaan: public."
                ),
                "order": 2,
                "description": "Privasi pelapor",
                "values": _values(
                    (p.value, str(p.label))
                    for p in Privacy
                    if not category.sensitive or p == Privacy.CONFIDENTIAL
                ),
            },
        ],
    }
    return render(fmt, "service_definition", data)


TOKEN_FIELDS = (
    "scopes",
    "expires_at",
    "revoked_at",
    "user__is_active",
    "user__username",
    "user__role",
)


def authenticate(request):
    key = param(request, "api_key")
    if not key:
        raise Open311Error(403, _("api_key wajib diisi."))
    # By the unique digest alone, unordered, with only what is checked here and
    # what the report and its audit row take from the client (a cheaper query).
    token = next(
        iter(
            ApiToken.objects.select_related("user")
            .only(*TOKEN_FIELDS)
            .filter(digest=token_digest(key))
            .order_by()[:1]
        ),
        None,
    )
    usable = token is not None and token.is_usable and token.user.is_active
    if not usable or not token.has_scope(Scope.OPEN311):
        raise Open311Error(403, _("api_key tidak sah atau tidak memiliki cakupan open311."))
    return token


# Open311's names for the page's ReportForm fields.
FORM_FIELDS = {
    "category": "service_code",
    "village": "attribute[village]",
    "latitude": "lat",
    "longitude": "long",
    "description": "description",
    "address": "address_string",
    "privacy": "attribute[privacy]",
    "reporter_name": "first_name",
    "reporter_email": "email",
    "reporter_phone": "phone",
    "photos": "media",
}


def report_form(request) -> ReportForm:
    """The page's form, filled from Open311's field names."""
    name = " ".join(filter(None, [param(request, "first_name"), param(request, "last_name")]))
    data = {
        field: param(request, open311)
        for field, open311 in FORM_FIELDS.items()
        if field != "photos"
    }
    data["village"] = data["village"] or param(request, "address_id")
    data["privacy"] = data["privacy"] or Privacy.PUBLIC
    data["reporter_name"] = name
    files = MultiValueDict({"photos": request.FILES.getlist("media")})
    return ReportForm(data, files)


def form_error(form: ReportForm) -> Open311Error:
    """The form's first complaint, under Open311's name for the field."""
    if "category" in form.errors:
        return Open311Error(
            404, _("service_code tidak dikenal: %(value)s") % {"value": form.data["category"]}
        )
    field, errors = next(iter(form.errors.items()))
    name = FORM_FIELDS.get(field)
    text = " ".join(map(str, errors))
    return Open311Error(400, f"{name}: {text}" if name else text)


def create_request(request, fmt):
    token = authenticate(request)
    if not param(request, "service_code"):
        raise Open311Error(400, _("service_code wajib diisi."))
    form = report_form(request)
    if not form.is_valid():
        raise form_error(form)
    try:
        complaint, _code = actions.submit_complaint(
            **form.cleaned_data, source="open311", client=token.user, client_limit=SUBMIT_PER_HOUR
        )
    except actions.TooManyReports:
        raise Open311Error(
            400, _("Terlalu banyak laporan dari api_key ini dalam satu jam.")
        ) from None
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from None
    notice = _("Diteruskan ke %(agency)s; target selesai %(due)s.") % {
        "agency": complaint.agency_responsible,
        "due": f"{complaint.resolution_due.astimezone(local_tz()):%d-%m-%Y}",
    }
    account_id = param(request, "account_id") or None
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": complaint.public_id,
                "service_notice": notice,
                "account_id": account_id,
                # An extension field (clients ignore what they do not know): what the
                # reporter reads over the phone. Only here, to the client that sent the
                # report: with the phone's last four digits it opens the report, so
                # the public request lists never carry it.
                "short_ref": complaint.grouped_short_ref or None,
            }
        ],
    )


def request_item(complaint: "PublicRequest") -> dict:
    photo = complaint.first_photo
    return {
        "service_request_id": complaint.public_id,
        "status": "closed" if complaint.status in OPEN311_CLOSED else "open",
        "status_notes": complaint.status_notes or complaint.get_status_display(),
        "service_name": complaint.category.name,
        "service_code": complaint.category.code,
        "description": complaint.description,
        "agency_responsible": complaint.agency_responsible,
        "service_notice": None,
        "requested_datetime": iso(complaint.created_at),
        "updated_datetime": iso(complaint.updated_at),
        "expected_datetime": iso(complaint.resolution_due),
        "address": complaint.address or f"{complaint.village}, Kec. {complaint.village.district}",
        "address_id": complaint.village_id,
        "zipcode": None,
        "lat": complaint.latitude,
        "long": complaint.longitude,
        "media_url": settings.SITE_URL + f"/aduan/foto/{photo}/" if photo else None,
    }


def _public_requests():
    first_photo = (
        ComplaintPhoto.objects.filter(complaint=OuterRef("pk")).order_by("id").values("public_id")
    )
    return (
        Complaint.objects.public()
        .select_related("category", "village", "village__district", "agency")
        .annotate(first_photo=Subquery(first_photo[:1]))
    )


def _when(value: str, name: str, end: bool = False):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise Open311Error(400, _("%(name)s harus tanggal ISO 8601.") % {"name": name})
        parsed = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=local_tz())
    return parsed


def requests_view(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    if is_ratelimited(request, group="open311:read", key="ip", rate="600/m", increment=True):
        raise Open311Error(400, _("Terlalu banyak permintaan; coba lagi sebentar lagi."))
    found = _public_requests()
    ids = [i.strip() for i in param(request, "service_request_id").split(",") if i.strip()]
    found = found.filter(public_id__in=ids[:MAX_RESULTS]) if ids else _searched(request, found)
    found = found.order_by("-created_at")[:MAX_RESULTS]
    return render(fmt, "service_requests", [request_item(c) for c in found])


def _searched(request, found):
    """GET requests' filters: service_code, start_date/end_date (default: 90 days), status."""
    codes = [c.strip() for c in param(request, "service_code").split(",") if c.strip()]
    if codes:
        found = found.filter(category__code__in=codes)
    start = _when(param(request, "start_date"), "start_date")
    end = _when(param(request, "end_date"), "end_date", end=True)
    if start is None and end is None:
        start = timezone.now() - timedelta(days=DEFAULT_DAYS)
    if start is not None:
        found = found.filter(created_at__gte=start)
    if end is not None:
        found = found.filter(created_at__lte=end)
    statuses = {s.strip() for s in param(request, "status").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status harus open atau closed."))
    if statuses == {"open"}:
        found = found.exclude(status__in=OPEN311_CLOSED)
    elif statuses == {"closed"}:
        found = found.filter(status__in=OPEN311_CLOSED)
    return found


def request_detail(request, fmt, request_id):
    complaint = _public_requests().filter(public_id=request_id).first()
    if complaint is None:
        raise Open311Error(
            404, _("service_request_id tidak dikenal: %(value)s") % {"value": request_id}
        )
    return render(fmt, "service_requests", [request_item(complaint)])


def token_detail(request, fmt, token):
    """service_request_id is issued at once, so a token is that id."""
    complaint = Complaint.objects.public().filter(public_id=token).first()
    if complaint is None:
        raise Open311Error(404, _("token tidak dikenal: %(value)s") % {"value": token})
    return render(
        fmt, "service_requests", [{"service_request_id": complaint.public_id, "token": token}]
    )


FMT = r"(?:\.(?P<fmt>[A-Za-z]+))?$"
ID = r"(?P<{}>[A-Za-z0-9_\-]+?)"

urlpatterns = [
    re_path(r"^discovery" + FMT, endpoint(discovery), name="open311-discovery"),
    re_path(r"^services" + FMT, endpoint(services), name="open311-services"),
    re_path(r"^services/" + ID.format("code") + FMT, endpoint(service_definition)),
    re_path(r"^service/" + ID.format("code") + FMT, endpoint(service_definition)),
    re_path(r"^requests" + FMT, endpoint(requests_view), name="open311-requests"),
    re_path(r"^requests/" + ID.format("request_id") + FMT, endpoint(request_detail)),
    re_path(r"^tokens/" + ID.format("token") + FMT, endpoint(token_detail)),
    re_path(r"^(?P<rest>.*)$", endpoint(lambda request, fmt, rest: _unknown(rest))),
]


def _unknown(rest):
    raise Open311Error(404, _("Sumber tidak dikenal: %(value)s") % {"value": rest})
