"""The REST API, version 1: one NinjaAPI, a router per domain app.

Errors are RFC 9457 problem documents (application/problem+json).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from balai.cctv.api import router as cctv_router
from balai.complaints.api import router as complaints_router
from balai.letters.api import router as letters_router
from balai.portal.api import router as portal_router
from balai.regions.api import router as regions_router
from balai.residents.api import router as residents_router

api = NinjaAPI(
    title="Balai API",
    version="1",
    description=(
        "Layanan publik Balai untuk desa, OPD dan aplikasi mitra. Token: "
        "`Authorization: Bearer <token>`; kesalahan dalam format RFC 9457 problem+json."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[AnonRateThrottle("120/m"), AuthRateThrottle("1200/m")],
)


def problem(request, status: int, title: str, detail: str = "", **extra):
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return problem(
        request,
        422,
        _("Data tidak valid"),
        _("Periksa kolom yang disebutkan."),
        errors=exc.errors,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    response = problem(request, 401, _("Perlu token yang sah"))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request, exc):
    return problem(request, exc.status_code, str(exc.message))


@api.exception_handler(Http404)
def not_found(request, exc):
    return problem(request, 404, _("Tidak ditemukan"))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return problem(request, 403, _("Tidak diizinkan"))


# Each domain's router is mounted at the root so it names its own paths
# (/residents, /stats/population/..., /letter-requests, /complaints, ...).
api.add_router("/regions", regions_router)
api.add_router("", residents_router)
api.add_router("", letters_router)
api.add_router("", complaints_router)
api.add_router("", portal_router)
api.add_router("", cctv_router)
