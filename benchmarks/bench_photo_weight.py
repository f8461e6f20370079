"""The weight of a staff complaint page with two phone photos: before (the page
showed the stored photos themselves, re-encoded at up to 2560 px) and now (the
thumbnails made at upload; the medium copy only when a photo is opened).

.venv/bin/python benchmarks/bench_photo_weight.py
"""

import io
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import setup_django, stamp


def kb(size: float) -> str:
    return f"{size / 1024:.0f} KB"


def loaded(client, url: str) -> int:
    """Bytes of one image the page loads (a streamed file response)."""
    return sum(len(chunk) for chunk in client.get(url).streaming_content)


def main() -> None:
    os.environ.setdefault("BALAI_ALLOWED_HOSTS", "testserver")
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_regions", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    from balai.accounts.choices import Role
    from balai.accounts.models import User
    from balai.complaints import actions
    from balai.complaints.models import Category
    from balai.complaints.tests.phone import phone_photo
    from balai.lib.uploads import clean_image
    from balai.regions.models import Village

    folder = Path(tempfile.mkdtemp(prefix="balai-weight-"))
    files = [phone_photo(folder / f"f{n}.jpg", seed=n) for n in (1, 2)]
    uploads = [clean_image(SimpleUploadedFile(p.name, p.read_bytes(), "image/jpeg")) for p in files]
    complaint, _ = actions.submit_complaint(
        category=Category.objects.filter(sensitive=False).first(),
        village=Village.objects.active().first(),
        description="Jalan berlubang.",
        photos=uploads,
    )
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.filter(role=Role.COMMAND_CENTER).get()
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # past the second factor, as tests do
    session.save()
    response = client.get(f"/aduan/staf/{complaint.public_id}/")
    assert response.status_code == 200, response.status_code
    html = response.content
    images = re.findall(rb'<img src="([^"]+)"', html)
    now = sum(loaded(client, src.decode().replace("&amp;", "&")) for src in images)
    photos = list(complaint.photos.all())
    before = sum(p.image.size for p in photos)
    medium = sum(p.medium.size for p in photos)
    sent = sum(p.stat().st_size for p in files)
    print(f"{stamp()}; two phone photos of {sent / 1e6:.2f} MB together, 3000x2250")
    print("| staff complaint page | HTML | images loaded | total |")
    print("| --- | --- | --- | --- |")
    kb = lambda n: f"{n / 1024:.0f} KB"  # noqa: E731
    print(
        f"| before: the stored photos | {kb(len(html))} | {kb(before)} | {kb(len(html) + before)} |"
    )
    print(f"| now: thumbnails (320 px) | {kb(len(html))} | {kb(now)} | {kb(len(html) + now)} |")
    print(f"| a photo opened: medium copy (1280 px), each | | {kb(medium / 2)} | |")


if __name__ == "__main__":
    main()
