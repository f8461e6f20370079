from io import StringIO

from balai.cctv import crypto
from balai.cctv.models import Camera, CameraRollup
from balai.cctv.simulator import DEMO_CAMERAS


def test_the_demo_registers_the_simulated_cameras_with_a_week_of_history(cast):
    from balai.accounts.actions import onboard_villages
    from balai.agencies.models import Agency
    from balai.cctv.demo import seed
    from balai.core.demo import demo_villages

    Agency.objects.create(slug="bpbd", name="BPBD", short_name="BPBD")
    onboard_villages([v.code for v in demo_villages()])
    seed(StringIO())
    seed(StringIO())  # idempotent
    first = demo_villages()[0]
    cameras = {c.snapshot_url: c for c in Camera.objects.filter(village=first)}
    assert len(cameras) == len(DEMO_CAMERAS)
    for sim in DEMO_CAMERAS:
        camera = cameras[sim.snapshot_url]
        assert crypto.decrypt(camera.credentials) == (sim.username or "", sim.password or "")
    assert Camera.objects.get(name="Lereng Semeru").owner_agency.slug == "bpbd"
    assert CameraRollup.objects.filter(camera__village=first).count() == 7 * len(DEMO_CAMERAS)
