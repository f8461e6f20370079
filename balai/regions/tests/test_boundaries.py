"""Boundaries: the load command, point lookups and the SVG map, on Lumajang's real files."""

import gzip
import json
import re

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from shapely.geometry import shape

from balai.accounts.actions import load_boundaries
from balai.accounts.models import AuditLog
from balai.regions import boundaries, geo
from balai.regions.boundaries import BoundaryFileError, bundled_files
from balai.regions.codes import DATA_DIR
from balai.regions.loading import load_regions
from balai.regions.maps import quantile_classes, village_map
from balai.regions.models import Boundary

BUNDLED = DATA_DIR / "boundaries"
VILLAGES = BUNDLED / "35.08-villages.geojson"


@pytest.fixture
def lumajang(db, tmp_path):
    """The real region files cut down to Jawa Timur's regencies and Lumajang's villages."""
    for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
        lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        prefix = "35.08" if name in ("districts.csv", "villages.csv") else "35"
        kept = [lines[0]] + [line for line in lines[1:] if line.startswith(prefix)]
        (tmp_path / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    load_regions(tmp_path)


@pytest.fixture
def loaded(lumajang):
    for path in bundled_files():
        load_boundaries(path)


def features(path=VILLAGES):
    return json.loads(path.read_text())["features"]


def write(tmp_path, data, name="x.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def collection(*items):
    return {"type": "FeatureCollection", "features": list(items)}


def test_the_bundled_files_load_every_region_once_with_one_audit_row_per_file(lumajang):
    assert [p.name for p in bundled_files()] == [
        "35.08-districts.geojson",
        "35.08-regency.geojson",
        "35.08-villages.geojson",
    ]
    call_command("load_boundaries", *bundled_files())
    assert Boundary.objects.filter(level="village").count() == 205
    assert Boundary.objects.filter(level="district").count() == 21
    assert Boundary.objects.get(level="regency").name == "Kabupaten Lumajang"
    rows = AuditLog.objects.filter(action="boundaries_loaded")
    assert sorted(r.detail["file"] for r in rows) == [p.name for p in bundled_files()]
    assert rows.get(detail__file=VILLAGES.name).detail["created"] == 205

    # Idempotent: the same files again write nothing and audit nothing.
    stamps = dict(Boundary.objects.values_list("code", "loaded_at"))
    call_command("load_boundaries", *bundled_files())
    assert dict(Boundary.objects.values_list("code", "loaded_at")) == stamps
    assert rows.count() == 3


def test_a_changed_outline_is_replaced_and_the_lookup_follows(loaded, tmp_path):
    tegalrejo = (112.95064, -8.33528)
    assert geo.village_code_at(*tegalrejo) == "35.08.01.2001"
    # Move Tegalrejo's outline far north-west, into the next village's place.
    moved = [f for f in features() if f["properties"]["code"] == "35.08.01.2001"]
    moved[0]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[113.0, -8.0], [113.01, -8.0], [113.01, -8.01], [113.0, -8.0]]],
    }
    result = load_boundaries(write(tmp_path, collection(*moved)))
    assert (result.created, result.updated) == (0, 1)
    assert geo.village_code_at(113.008, -8.003) == "35.08.01.2001"
    assert geo.village_code_at(*tegalrejo) != "35.08.01.2001"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "is not JSON"),
        ({"type": "Feature"}, "not a GeoJSON FeatureCollection"),
        (collection(), "has no features"),
        (collection({"properties": {"code": "3508"}, "geometry": None}), "not a Kemendagri"),
        (collection({"properties": {}, "geometry": None}), "not a Kemendagri"),
        (collection({"properties": {"code": "35.09.01.2001"}}), "not in this deployment"),
        (
            collection({"properties": {"code": "35.08.01.2001"}, "geometry": {"type": "Point"}}),
            "must be a Polygon or MultiPolygon",
        ),
        (
            collection(
                {
                    "properties": {"code": "35.08.01.2001"},
                    "geometry": {"type": "Polygon", "coordinates": [[[1, 2], "x"]]},
                }
            ),
            "malformed",
        ),
        (
            # [lat, lon] instead of GeoJSON's [lon, lat]
            collection(
                {
                    "properties": {"code": "35.08.01.2001"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[-8.3, 112.9], [-8.4, 112.9], [-8.4, 113.0], [-8.3, 112.9]]
                        ],
                    },
                }
            ),
            "out of range; GeoJSON writes [longitude, latitude]",
        ),
    ],
)
def test_a_bad_file_says_what_is_wrong_and_loads_nothing(lumajang, tmp_path, data, message):
    with pytest.raises(BoundaryFileError, match=re.escape(message)):
        load_boundaries(write(tmp_path, data))
    assert not Boundary.objects.exists()


def test_unknown_codes_and_repeated_codes_load_nothing(lumajang, tmp_path):
    good = features()[0]
    unknown = json.loads(json.dumps(good))
    unknown["properties"]["code"] = "35.08.01.2999"
    with pytest.raises(CommandError, match=r"1 code\(s\) are not regions .*35\.08\.01\.2999"):
        call_command("load_boundaries", write(tmp_path, collection(good, unknown)))
    with pytest.raises(BoundaryFileError, match="appears twice"):
        load_boundaries(write(tmp_path, collection(good, good)))
    with pytest.raises(BoundaryFileError, match="file not found"):
        load_boundaries(tmp_path / "missing.geojson")
    assert not Boundary.objects.exists()


def test_a_file_over_the_size_bound_is_refused_before_it_is_read(lumajang, monkeypatch):
    monkeypatch.setattr(boundaries, "MAX_FILE_BYTES", 100_000)
    with pytest.raises(BoundaryFileError, match="larger than"):
        load_boundaries(VILLAGES)


def test_every_village_is_found_at_a_point_inside_it(loaded):
    for feature in features():
        point = shape(feature["geometry"]).representative_point()
        assert geo.village_code_at(point.x, point.y) == feature["properties"]["code"]
    village = geo.village_at(112.95064, -8.33528)
    assert (village.code, village.name) == ("35.08.01.2001", "Tegalrejo")


def test_points_inside_and_outside_the_regency(loaded):
    assert geo.inside_regency(113.2244, -8.1335) is True  # Lumajang town square
    assert geo.inside_regency(113.70, -8.17) is False  # Jember
    assert geo.inside_regency(113.1, -8.6) is False  # the Indian Ocean, inside the old box
    assert geo.inside_regency(112.85, -7.85) is False  # Malang's side, inside the old box
    assert geo.village_code_at(113.70, -8.17) is None
    # Just outside the simplified outline (within ~150 m) still counts as inside.
    regency = shape(Boundary.objects.get(level="regency").geometry)
    edge = regency.exterior if hasattr(regency, "exterior") else regency.geoms[0].exterior
    corner = shapely.Point(edge.coords[0])
    outward = shapely.Point(corner.x + 0.0005, corner.y)
    if regency.contains(outward):
        outward = shapely.Point(corner.x - 0.0005, corner.y)
    assert geo.inside_regency(outward.x, outward.y) is True


def test_without_boundaries_the_lookups_cannot_tell(lumajang):
    assert geo.inside_regency(113.2244, -8.1335) is None
    assert geo.village_at(113.2244, -8.1335) is None
    assert not geo.has_boundaries()


def test_a_district_map_links_its_villages_and_outlines_the_district(loaded):
    classes, legend = quantile_classes({"35.08.01.2001": 3, "35.08.01.2002": 9}, bins=5)
    assert classes == {"35.08.01.2001": "q0", "35.08.01.2002": "q1"}
    assert legend == [("q0", "3"), ("q1", "9")]
    region_map = village_map(
        "35.08.01",
        classes,
        title="Waktu surat",
        desc="Median hari per desa",
        labels={"35.08.01.2001": "3 hari"},
        link=lambda code: f"/dasbor/{code}/",
        legend=legend,
    )
    tempursari = Boundary.objects.filter(code__startswith="35.08.01.", level="village")
    assert len(region_map.villages) == tempursari.count() == 7
    assert [d.code for d in region_map.districts] == ["35.08.01"]
    svg = render_to_string("regions/map.svg.html", {"map": region_map})
    assert svg.count("<a href=") == 7
    assert '<a href="/dasbor/35.08.01.2001/" aria-label="Tegalrejo: 3 hari">' in svg
    assert '<title id="peta-title">Waktu surat</title>' in svg
    _x, _y, width, height = map(int, region_map.view_box.split())
    assert 0 < width < 5000 and 0 < height < 5000  # Tempursari: ~20 km across, 10 m units


def test_quantile_classes_spread_values_over_at_most_five_bins():
    classes, legend = quantile_classes({str(i): float(i) for i in range(100)}, fmt="{:.0f}".format)
    assert sorted(set(classes.values())) == ["q0", "q1", "q2", "q3", "q4"]
    assert legend[0] == ("q0", "0\u201319") and legend[-1] == ("q4", "80\u201399")
    assert quantile_classes({}) == ({}, [])


def test_the_base_layer_is_geojson_gzipped_with_an_etag(loaded, client):
    response = client.get("/wilayah/35.08/batas-desa.geojson", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Encoding"] == "gzip"
    data = json.loads(gzip.decompress(response.content))
    assert len(data["features"]) == 205
    assert len(response.content) < 100_000
    again = client.get("/wilayah/35.08/batas-desa.geojson", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    plain = client.get("/wilayah/35.08.01/batas-desa.geojson")
    assert "Content-Encoding" not in plain
    assert len(json.loads(plain.content)["features"]) == 7
    assert client.get("/wilayah/35.09/batas-desa.geojson").status_code == 404
    assert client.get("/wilayah/35.08.01.2001/batas-desa.geojson").status_code == 404
