import shutil

import pytest
from django.core.management import CommandError, call_command

from balai.regions.codes import DATA_DIR
from balai.regions.loading import load_regions
from balai.regions.models import District, Province, Village


@pytest.fixture
def small_data(tmp_path):
    """The real files cut down to Jawa Timur, so a test loads in a moment."""
    for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
        lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        kept = [lines[0]] + [line for line in lines[1:] if line.startswith("35")]
        (tmp_path / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return tmp_path


def test_it_loads_lumajang_with_its_21_districts_and_205_villages(db, small_data):
    load_regions(small_data)
    assert District.objects.filter(regency_id="35.08").count() == 21
    lumajang = Village.objects.filter(district__regency_id="35.08")
    assert lumajang.count() == 205
    assert sum(v.kind == "kelurahan" for v in lumajang) == 7
    assert Village.objects.get(code="35.08.01.2001").district.name == "Tempursari"


def test_a_second_run_changes_nothing_and_a_rename_is_applied(db, small_data):
    load_regions(small_data)
    again = load_regions(small_data)
    assert all(r.created == 0 and r.updated == 0 for r in again.values())

    villages = small_data / "villages.csv"
    text = villages.read_text(encoding="utf-8").replace(
        "35.08.01.2001,35.08.01,", "35.08.01.2001,35.08.01,Desa Baru ", 1
    )
    villages.write_text(text, encoding="utf-8")
    renamed = load_regions(small_data)
    assert renamed["village"].updated == 1
    assert Village.objects.get(code="35.08.01.2001").name.startswith("Desa Baru")


def test_a_missing_file_stops_with_one_clear_line_and_writes_nothing(db, small_data):
    (small_data / "villages.csv").unlink()
    with pytest.raises(CommandError, match="region file not found: .*villages.csv"):
        call_command("load_regions", data_dir=small_data)
    assert not Province.objects.exists()


def test_a_malformed_row_is_named(db, small_data, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(small_data, bad)
    with open(bad / "districts.csv", "a", encoding="utf-8") as f:
        f.write("35.08.99.1,35.08,Nowhere\n")
    with pytest.raises(CommandError, match="districts.csv line .*not a district row"):
        call_command("load_regions", data_dir=bad)
