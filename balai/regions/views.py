"""The loaded boundaries as GeoJSON for maps drawn in the browser (the complaint map's
base layer): built once per load, served with an ETag, gzipped when the client takes it.
A public, cached byte string like a static file: no rate limit of its own."""

import gzip
import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from balai.regions.codes import level_of
from balai.regions.geo import boundaries_stamp
from balai.regions.models import Boundary


@lru_cache(maxsize=32)
def _geojson(code: str, stamp: tuple) -> tuple[bytes, bytes, str]:
    features = [
        {
            "type": "Feature",
            "properties": {"code": b.code, "name": b.name},
            "geometry": b.geometry,
        }
        for b in Boundary.objects.villages_of(code).only("code", "name", "geometry")
    ]
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, separators=(",", ":")
    ).encode()
    return body, gzip.compress(body, 6, mtime=0), hashlib.sha256(body).hexdigest()[:20]


@require_GET
def village_boundaries(request, code: str):
    """The villages inside a regency or district of this deployment, [lon, lat]."""
    if level_of(code) not in ("regency", "district") or not code.startswith(settings.BALAI_REGENCY):
        raise Http404
    body, zipped, digest = _geojson(code, boundaries_stamp())
    etag = f'"{digest}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(content_type="application/geo+json")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response.content, response["Content-Encoding"] = zipped, "gzip"
    else:
        response.content = body
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
