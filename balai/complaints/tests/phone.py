"""A resident's phone on a rural link, for the browser test and benchmarks/bench_slow_uploads.py:
photos as a phone takes them, the link emulated through Chrome's DevTools protocol,
and the report form filled in with photos attached."""

import io
import random
from pathlib import Path

UPLOAD_KBIT = 150
DOWNLOAD_KBIT = 400
LATENCY_MS = 400


def phone_photo(path: Path, *, seed: int, target_bytes: int = 1_000_000) -> Path:
    """A JPEG of about `target_bytes`: a 3000x2250 scene of smooth shapes with sensor
    noise, saved at the highest quality that fits, as a phone's camera would."""
    from PIL import Image

    rng = random.Random(seed)
    small = Image.new("RGB", (120, 90))
    small.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(120 * 90)]
    )
    scene = small.resize((3000, 2250), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((3000, 2250), 8).convert("RGB")
    scene = Image.blend(scene, noise, 0.15)
    quality = 95
    while True:
        out = io.BytesIO()
        scene.save(out, "JPEG", quality=quality)
        if out.tell() <= target_bytes * 1.1 or quality <= 30:
            break
        quality -= 3
    path.write_bytes(out.getvalue())
    return path


def slow_link(page, *, upload_kbit: int = UPLOAD_KBIT, latency_ms: int = LATENCY_MS) -> None:
    """This tab's traffic through an emulated rural link (Chrome DevTools protocol)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": DOWNLOAD_KBIT * 1000 / 8,
            "uploadThroughput": upload_kbit * 1000 / 8,
        },
    )


def fill_report(page, photos: list[Path], description: str) -> None:
    """Steps 1 and 2 of the report form, photos chosen; the caller presses send."""
    page.goto("/aduan/lapor/")
    page.get_by_label("Kategori").select_option(index=1)
    page.get_by_label("Desa/kelurahan").select_option(index=1)
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label("Uraian").fill(description)
    page.locator('input[type="file"][name="photos"]').set_input_files([str(p) for p in photos])


def send_report(page) -> None:
    """Press send once the phone has made the photos smaller (when its script runs)."""
    if page.locator("#photo-resize").is_visible():
        # Generous: on a CI machine busy with other browsers, the canvas work is slow.
        page.locator("p[role=status]", has_text="MB").wait_for(timeout=180_000)
    page.get_by_role("button", name="Kirim aduan").click(no_wait_after=True)
