"""Requests carrying a NUL byte are refused at the door.

PostgreSQL text cannot hold NUL: one that reaches a query is a server error
(found by the schemathesis run). Forms refuse NUL themselves, but paths,
query parameters and JSON bodies reach lookups without a form. No real
client sends one, so the whole request is a 400 problem document.
"""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def carries_nul(request) -> bool:
    if NUL in request.path or _has_nul(dict(request.GET.lists())):
        return True
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        return _has_nul(dict(request.POST.lists()))
    if content_type == "application/json" and request.body:
        try:
            return _has_nul(json.loads(request.body))
        except ValueError:
            return False  # not JSON: the view's own parser says so
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            body = {
                "type": "about:blank",
                "title": _("Permintaan tidak valid"),
                "status": 400,
                "detail": _("Permintaan berisi karakter NUL."),
            }
            return JsonResponse(body, status=400, content_type="application/problem+json")
        return self.get_response(request)
