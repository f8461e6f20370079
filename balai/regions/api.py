from typing import cast

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from balai.lib.examples import example
from balai.regions import geo
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


class PointQuery(Schema):
    lon: float = Field(ge=-180, le=180, description="longitude (WGS 84)")
    lat: float = Field(ge=-90, le=90, description="latitude (WGS 84)")


class VillageAtPoint(Schema):
    code: str
    name: str
    district: str
    is_active: bool


class PlaceOut(Schema):
    model_config = example(
        {
            "inside_regency": True,
            "village": {
                "code": "35.08.01.2001",
                "name": "Tegalrejo",
                "district": "Tempursari",
                "is_active": True,
            },
        }
    )

    inside_regency: bool | None
    village: VillageAtPoint | None


@router.get(
    "/at",
    response=PlaceOut,
    auth=None,
    url_name="region-at",
    summary="The village of this regency at a point",
)
def region_at(request, point: Query[PointQuery]):
    """Whether the point lies in this deployment's regency (null: no boundary loaded) and
    the village it lies in, from the loaded boundaries (docs/maps.md). Declared before
    `/{code}`, which would take "at" for a code."""
    village = geo.village_at(point.lon, point.lat)
    return {
        "inside_regency": geo.inside_regency(point.lon, point.lat),
        "village": village
        and {
            "code": village.code,
            "name": str(village),
            "district": village.district.name,
            "is_active": village.is_active,
        },
    }


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
