from typing import cast

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from balai.lib.examples import example
from balai.regions.codes import level_of
from balai.regions.models import District, Province, Regency, Village

router = Router(tags=["regions"])

Region = Province | Regency | District | Village

CHILDREN: dict[str, tuple[type[Region], str | None]] = {
    "province": (Province, "regencies"),
    "regency": (Regency, "districts"),
    "district": (District, "villages"),
    "village": (Village, None),
}


class RegionRef(Schema):
    code: str
    name: str


REGION_EXAMPLE = {
    "code": "35.08.01",
    "name": "Tempursari",
    "level": "district",
    "children": [
        {"code": "35.08.01.2001", "name": "Tegalrejo"},
        {"code": "35.08.01.2002", "name": "Bulurejo"},
    ],
}


class RegionOut(Schema):
    model_config = example(REGION_EXAMPLE)

    code: str
    name: str
    level: str
    children: list[RegionRef]


@router.get("/{code}", response=RegionOut, auth=None, summary="A region and its children")
def region_detail(request, code: str):
    """Any Indonesian region by its Kemendagri code, e.g. `35.08` or `35.08.01.2001`."""
    level = level_of(code)
    if level is None:
        raise Http404
    model, children = CHILDREN[level]
    # cast: mypy joins the four models to Model when it solves the type variable.
    region = cast(Region, get_object_or_404(model, code=code))
    kids = getattr(region, children).order_by("code").values("code", "name") if children else []
    return {"code": region.code, "name": region.name, "level": level, "children": list(kids)}
