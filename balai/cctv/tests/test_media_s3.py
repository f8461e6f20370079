"""A camera's snapshot on S3-compatible storage (a real S3 server on loopback):
replaced in place each time, served through the short signed link."""

from django.urls import reverse

from balai.cctv.state import apply_results, snapshot_name
from balai.cctv.tests.conftest import result


def jpeg(colour: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (colour, 0, 0)).save(out, "JPEG")
    return out.getvalue()


def test_the_last_snapshot_is_replaced_in_the_bucket_and_served(
    cast, cams, login_as, client, s3_media, settings, time_machine
):
    settings.BALAI_CCTV_SNAPSHOT_MINUTES = 0
    time_machine.move_to("2026-12-05 10:00 +07:00", tick=False)
    apply_results([result(cams.gate, snapshot=jpeg(10))])
    time_machine.move_to("2026-12-05 10:01 +07:00", tick=False)
    apply_results([result(cams.gate, snapshot=jpeg(200))])
    name = snapshot_name(cams.gate)
    assert [n for n in s3_media.names() if n.startswith("cctv/")] == [name]
    assert s3_media.read(name) == jpeg(200)
    login_as(cast.operator_a)
    url = reverse("cctv:snapshot-request", args=[cams.gate.public_id])
    link = client.post(url, {"reason": "Cek kejadian pencurian motor"})["Location"]
    assert b"".join(client.get(link).streaming_content) == jpeg(200)
