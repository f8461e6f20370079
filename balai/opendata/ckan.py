"""CKAN's Action API (read side) over the datasets, so CKAN and Satu Data
portals and their harvesters (ckanapi, ckanext-harvest) read Balai unchanged.

Responses use CKAN's envelope {"help", "success", "result"}; errors CKAN's
{"success": false, "error": {"__type", "message" or field: [messages]}} with
CKAN's statuses (409 for a bad parameter, 404 for an unknown name or action,
400 for a body that is not JSON). Parameters come from the query string (GET)
or a JSON object (POST, as ckanapi sends them) and are bounded.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import translation

from balai.opendata import datasets

MAX_ROWS = 1000  # CKAN's own ckan.search.rows_max
MAX_START = 10_000
MAX_TEXT = 200
SORTS = {
    "name asc": (lambda d: d["name"], False),
    "name desc": (lambda d: d["name"], True),
    "title asc": (lambda d: d["title"].lower(), False),
    "metadata_modified desc": (lambda d: d["metadata_modified"], True),
    "metadata_modified asc": (lambda d: d["metadata_modified"], False),
    "score desc, metadata_modified desc": (lambda d: d["metadata_modified"], True),
    "id asc": (lambda d: d["id"], False),
}
FQ_FIELDS = {"organization", "tags", "res_format", "name", "license_id"}


class ActionError(Exception):
    def __init__(self, status: int, kind: str, **detail):
        super().__init__(kind)
        self.status, self.error = status, {"__type": kind, **detail}


def invalid(field: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", **{field: [message]})


def not_found(message: str = "Not found") -> ActionError:
    return ActionError(404, "Not Found Error", message=message)


def integer(params: dict, name: str, default: int, high: int) -> int:
    value = params.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid(name, "Invalid integer") from None
    if not 0 <= number <= high:
        raise invalid(name, f"Must be between 0 and {high}")
    return number


def text(params: dict, name: str, default: str = "") -> str:
    value = params.get(name, default)
    if not isinstance(value, str):
        raise invalid(name, "Must be a string")
    if len(value) > MAX_TEXT:
        raise invalid(name, f"At most {MAX_TEXT} characters")
    return value


def boolean(params: dict, name: str) -> bool:
    return str(params.get(name, "false")).lower() in ("true", "1", "yes")


# --- dicts ------------------------------------------------------------------------


def organization_dict(org: dict) -> dict:
    return {
        "id": org["name"],
        "name": org["name"],
        "title": org["title"],
        "display_name": org["title"],
        "description": org["description"],
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "package_count": sum(
            1 for d in datasets.DATASETS if datasets.publisher(d)["name"] == org["name"]
        ),
    }


def organizations() -> list[dict]:
    found: dict[str, dict] = {}
    for dataset in datasets.DATASETS:
        org = datasets.publisher(dataset)
        found.setdefault(org["name"], org)
    return [found[name] for name in sorted(found)]


def package_dict(dataset: datasets.Dataset) -> dict:
    """A CKAN package: core fields, organization, tags, resources, and the
    DCAT fields as extras (frequency, temporal, spatial)."""
    site = settings.SITE_URL
    table = dataset.table()
    org = datasets.publisher(dataset)
    modified = table.modified.astimezone(dt.UTC).replace(tzinfo=None).isoformat()  # as CKAN
    area = datasets.spatial()
    resources = [
        {
            "id": f"{dataset.name}-{fmt}",
            "package_id": dataset.name,
            "name": f"{dataset.title} ({fmt.upper()})",
            "description": str(dataset.notes),
            "format": fmt.upper(),
            "mimetype": mimetype,
            "url": f"{site}/data/{dataset.name}.{fmt}",
            "position": position,
            "state": "active",
            "last_modified": modified,
            "created": modified,
        }
        for position, (fmt, mimetype) in enumerate(
            [("csv", "text/csv"), ("json", "application/json")]
        )
    ]
    extras = {
        "frequency": f"http://publications.europa.eu/resource/authority/frequency/{dataset.frequency}",
        "spatial_code": area["code"],
        "spatial_text": area["name"],
        "temporal_start": table.first.isoformat() if table.first else "",
        "temporal_end": table.last.isoformat() if table.last else "",
        "language": "id",
    }
    return {
        "id": dataset.name,
        "name": dataset.name,
        "title": str(dataset.title),
        "notes": str(dataset.notes),
        "type": "dataset",
        "state": "active",
        "private": False,
        "url": f"{site}/data/{dataset.name}/",
        "version": None,
        "author": org["title"],
        "maintainer": org["title"],
        "license_id": datasets.LICENSE["id"],
        "license_title": datasets.LICENSE["title"],
        "license_url": datasets.LICENSE["url"],
        "isopen": True,
        "metadata_created": modified,
        "metadata_modified": modified,
        "owner_org": org["name"],
        "organization": organization_dict(org),
        "tags": [
            {"id": tag, "name": tag, "display_name": tag, "state": "active"} for tag in dataset.tags
        ],
        "num_tags": len(dataset.tags),
        "resources": resources,
        "num_resources": len(resources),
        "groups": [],
        "extras": [{"key": k, "value": v} for k, v in extras.items()],
    }


# --- actions ----------------------------------------------------------------------


def package_list(params: dict):
    names = sorted(d.name for d in datasets.DATASETS)
    limit = integer(params, "limit", len(names), MAX_ROWS)
    offset = integer(params, "offset", 0, MAX_START)
    return names[offset : offset + limit] if "limit" in params else names[offset:]


def package_show(params: dict):
    dataset = datasets.BY_NAME.get(text(params, "id") or text(params, "name"))
    if dataset is None:
        raise not_found()
    return package_dict(dataset)


_FQ_TERM = re.compile(r'([+-]?)(\w+):(\[[^\]]*\]|"[^"]*"|\S+)')
_RANGE = re.compile(r"\[(\S+) TO (\S+)\]")


def _fq_terms(fq: str) -> list[tuple[bool, str, str]]:
    """(negated, field, value) of each Solr filter term CKAN clients send, e.g.
    `organization:x`, `+dataset_type:dataset`, `metadata_modified:[2026-01-01T00:00:00Z TO *]`
    (ckanext-harvest's "changed since")."""
    terms, rest = [], fq
    for found in _FQ_TERM.finditer(fq):
        sign, name, value = found.groups()
        if name not in FQ_FIELDS | {"dataset_type", "metadata_modified", "metadata_created"}:
            raise invalid("fq", f"Unknown filter field {name!r}")
        terms.append((sign == "-", name, value.strip('"')))
        rest = rest.replace(found.group(0), "", 1)
    if rest.strip():
        raise invalid("fq", f"Not a field:value filter: {rest.strip()[:40]!r}")
    return terms


def _in_range(value: str, spec: str) -> bool:
    found = _RANGE.fullmatch(spec)
    if found is None:
        raise invalid("fq", f"A range is [FROM TO UNTIL]: {spec[:40]!r}")
    low, high = (None if b in ("*", "NOW") else b.rstrip("Z") for b in found.groups())
    # ISO timestamps in UTC compare as text, as CKAN's naive UTC ones do.
    return (low is None or value >= low) and (high is None or value[: len(high)] <= high)


def _matches_fq(package: dict, fq: str) -> bool:
    for negated, name, value in _fq_terms(fq):
        if name == "dataset_type":
            ok = value == "dataset"
        elif name in ("metadata_modified", "metadata_created"):
            ok = _in_range(package[name], value)
        else:
            have = {
                "organization": [package["organization"]["name"]],
                "tags": [t["name"] for t in package["tags"]],
                "res_format": [r["format"] for r in package["resources"]],
                "name": [package["name"]],
                "license_id": [package["license_id"]],
            }[name]
            ok = value.lower() in (v.lower() for v in have)
        if ok == negated:
            return False
    return True


def _matches_q(package: dict, q: str) -> bool:
    if q in ("", "*:*"):
        return True
    haystack = " ".join(
        [package["name"], package["title"], package["notes"], *(t["name"] for t in package["tags"])]
    ).lower()
    return all(word in haystack for word in q.lower().split())


def package_search(params: dict):
    q, fq = text(params, "q"), text(params, "fq")
    rows = integer(params, "rows", 10, MAX_ROWS)
    start = integer(params, "start", 0, MAX_START)
    sort = text(params, "sort", "score desc, metadata_modified desc")
    if sort not in SORTS:
        raise invalid("sort", f"One of {sorted(SORTS)}")
    found = [
        p
        for p in (package_dict(d) for d in datasets.DATASETS)
        if _matches_q(p, q) and _matches_fq(p, fq)
    ]
    key, reverse = SORTS[sort]
    found.sort(key=key, reverse=reverse)
    return {
        "count": len(found),
        "results": found[start : start + rows],
        "sort": sort,
        "facets": {},
        "search_facets": {},
    }


def organization_list(params: dict):
    orgs = organizations()
    limit = integer(params, "limit", MAX_ROWS, MAX_ROWS)
    offset = integer(params, "offset", 0, MAX_START)
    orgs = orgs[offset : offset + limit]
    if boolean(params, "all_fields"):
        return [organization_dict(o) for o in orgs]
    return [o["name"] for o in orgs]


def organization_show(params: dict):
    wanted = text(params, "id")
    for org in organizations():
        if org["name"] == wanted:
            result = organization_dict(org)
            if boolean(params, "include_datasets"):
                result["packages"] = [
                    package_dict(d)
                    for d in datasets.DATASETS
                    if datasets.publisher(d)["name"] == wanted
                ]
            return result
    raise not_found()


def status_show(params: dict):
    return {
        "site_title": "Balai",
        "site_url": settings.SITE_URL,
        "site_description": "",
        "ckan_version": "2.10.0",  # the Action API version Balai answers like
        "locale_default": translation.get_language() or settings.LANGUAGE_CODE,
        "extensions": ["dcat"],
    }


ACTIONS = {
    f.__name__: f
    for f in (
        package_list,
        package_search,
        package_show,
        organization_list,
        organization_show,
        status_show,
    )
}
