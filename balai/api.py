"""The REST API, version 1: one NinjaAPI, a router per domain app.

Errors are RFC 9457 problem documents (application/problem+json).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from balai.accounts.api_auth import ApiThrottle
from balai.cctv.api import router as cctv_router
from balai.complaints.api import router as complaints_router
from balai.hub.api import router as hub_router
from balai.letters.api import router as letters_router
from balai.portal.api import router as portal_router
from balai.regions.api import router as regions_router
from balai.residents.api import router as residents_router
from balai.webhooks.api import router as webhooks_router

# Every operation may answer with these (balai.api's handlers, the throttle,
# letters' and residents' own refusals): declared once for all, with an
# example each, so the error shapes are part of the contract clients and
# schemathesis check.
PROBLEM_STATUSES = {
    "400": ("Parameter tidak valid", "limit: paling besar 200"),
    "401": ("Perlu token yang sah", ""),
    "403": ("Tidak diizinkan", "Token ini tidak memiliki cakupan 'complaints:read'."),
    "404": ("Tidak ditemukan", ""),
    "422": ("Data tidak valid", "Periksa kolom yang disebutkan."),
    "429": ("Terlalu banyak permintaan", "Coba lagi dalam 60 detik."),
}
PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "RFC 9457 problem document.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array"},
    },
}
# What SPLP (the national API registry) and a client's developer read first.
LICENSE = {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}


def problem_response(status: str) -> dict:
    title, detail = PROBLEM_STATUSES[status]
    example = {"type": "about:blank", "title": title, "status": int(status)}
    if detail:
        example["detail"] = detail
    schema = {"$ref": "#/components/schemas/Problem"}
    content = {"application/problem+json": {"schema": schema, "example": example}}
    return {"description": title, "content": content}


class BalaiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        schema["info"]["license"] = LICENSE
        schema["info"]["contact"] = {"name": "Diskominfo", "email": settings.DEFAULT_FROM_EMAIL}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status in PROBLEM_STATUSES:
                    responses.setdefault(status, problem_response(status))
        return schema


api = BalaiAPI(
    title="Balai API",
    version="1",
    description=(
        "Layanan publik Balai untuk desa, OPD dan aplikasi mitra. Token: "
        "`Authorization: Bearer <token>`; kesalahan dalam format RFC 9457 problem+json."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[ApiThrottle("120/m"), ApiThrottle("1200/m", per_token=True)],
)


def problem(request, status: int, title: str, detail: str = "", **extra):
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


# Pydantic's error types in words a client's developer (and a clerk) can read.
PARAMETER_ERRORS = {
    "less_than_equal": _lazy("paling besar %(le)s"),
    "less_than": _lazy("harus kurang dari %(lt)s"),
    "greater_than_equal": _lazy("paling kecil %(ge)s"),
    "greater_than": _lazy("harus lebih dari %(gt)s"),
    "int_parsing": _lazy("harus bilangan bulat"),
    "bool_parsing": _lazy("harus true atau false"),
    "string_too_long": _lazy("paling panjang %(max_length)s karakter"),
    "string_too_short": _lazy("paling pendek %(min_length)s karakter"),
    "missing": _lazy("wajib diisi"),
}


def parameter_message(error: dict) -> str:
    name = str(error["loc"][-1]) if error.get("loc") else "?"
    words = PARAMETER_ERRORS.get(error.get("type", ""))
    text = words % error.get("ctx", {}) if words else error.get("msg", "")
    return f"{name}: {text}"


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    # Query and path parameters (bounded by balai.lib.listparams) are the
    # request's address: wrong ones are a 400. A body that does not fit is a 422.
    if exc.errors and all(e.get("loc", [""])[0] in ("query", "path") for e in exc.errors):
        detail = "; ".join(parameter_message(e) for e in exc.errors)
        return problem(request, 400, _("Parameter tidak valid"), detail, errors=exc.errors)
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
    return problem(request, exc.status_code, str(exc.message), **getattr(exc, "extra", {}))


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
api.add_router("", hub_router)
api.add_router("", webhooks_router)
