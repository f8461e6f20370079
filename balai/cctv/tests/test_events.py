"""camera.down / camera.up go to the one outbox with the history row, in one transaction."""

import datetime as dt

from balai.cctv.models import CameraEvent
from balai.cctv.state import apply_results
from balai.cctv.tests.conftest import result
from balai.notifications.models import Event


def test_down_and_up_are_published_with_their_history_rows(cast, cams, settings):
    settings.BALAI_CCTV_FLAP_COUNT = 1
    now = dt.datetime.now(dt.UTC)
    apply_results([result(cams.field, at=now - dt.timedelta(minutes=3))])
    apply_results([result(cams.field, "unreachable", at=now - dt.timedelta(minutes=2))])
    apply_results([result(cams.field, at=now - dt.timedelta(minutes=1))])
    published = list(Event.objects.order_by("pk"))
    assert [e.kind for e in published] == ["camera.down", "camera.up"]
    history = list(CameraEvent.objects.order_by("pk"))
    assert [e.data["camera_event"] for e in published] == [h.pk for h in history]
    down = published[0].data
    assert down["camera"] == str(cams.field.public_id) and down["problem"] == "unreachable"
    assert published[0].village_id == cams.field.village_id
