"""Issue 11: a report with two phone photos over an emulated 150 kbit/s, 400 ms link
completes; the photos are made smaller in the phone first and kept small for
staff. Timing belongs to benchmarks/bench_slow_uploads.py; this asserts completion."""

import pytest
from PIL import Image

from balai.complaints.models import Complaint

from .phone import fill_report, phone_photo, send_report, slow_link

pytestmark = pytest.mark.browser


def test_two_phone_photos_arrive_over_a_slow_link(cast, cats, page, tmp_path):
    photos = [phone_photo(tmp_path / f"foto{n}.jpg", seed=n) for n in (1, 2)]
    assert all(p.stat().st_size > 800_000 for p in photos)
    fill_report(page, photos, "Jalan berlubang di depan SD, dua foto.")
    note = page.locator("#photo-resize")
    note.wait_for(timeout=60_000)  # shown by the page's script once the files are chosen
    assert "diperkecil" in note.inner_text()
    slow_link(page)
    send_report(page)
    page.wait_for_url("**/aduan/lacak/**", timeout=120_000)
    assert page.locator("#short-ref").inner_text().strip()
    complaint = Complaint.objects.get()
    stored = list(complaint.photos.all())
    assert len(stored) == 2
    for photo in stored:
        with photo.image.open("rb") as f, Image.open(f) as image:
            assert max(image.size) <= 1600  # resized in the phone, not only on the server
        assert photo.thumb.size < 60_000 and photo.medium.size < photo.image.size * 2


def test_photos_chosen_before_the_script_arrives_are_made_smaller(cast, cats, page, tmp_path):
    """On a slow link the page's script can come after the resident chose the photos."""
    held = []
    # The script waits until the photos are chosen.
    page.route("**/photos*.js", lambda route: held.append(route))
    photos = [phone_photo(tmp_path / f"foto{n}.jpg", seed=n) for n in (1, 2)]
    fill_report(page, photos, "Jalan berlubang di depan SD, dua foto.")
    page.wait_for_timeout(200)  # the request for the script is made and held
    assert held, "the page asked for its photo script"
    for route in held:
        route.continue_()
    page.locator("p[role=status]", has_text="MB").wait_for(timeout=180_000)
    sizes = page.locator('input[type="file"][name="photos"]').evaluate(
        "input => Array.from(input.files, f => f.size)"
    )
    assert len(sizes) == 2 and all(size < 800_000 for size in sizes)
