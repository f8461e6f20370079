"""The one event outbox: an event exists if and only if its change committed."""

import pytest
from django.db import transaction

from balai.notifications import events
from balai.notifications.events import Kind, publish
from balai.notifications.models import Event


def test_an_event_commits_with_the_change_and_is_announced_after(
    cast, django_capture_on_commit_callbacks, request
):
    heard: list[int] = []
    events.on_published(heard.extend)
    request.addfinalizer(lambda: events._listeners.remove(heard.extend))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = publish(Kind.SERVICE_DOWN, {"service": "sipd"}, village=cast.village_a)
        assert heard == []  # not before the commit
    assert heard == [event.pk]
    assert Event.objects.get().village == cast.village_a
    assert event.public_id == f"evt_{event.pk}"


def test_a_rolled_back_change_leaves_no_event(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(Kind.SERVICE_UP, {"service": "sipd"})
        raise RuntimeError("the change failed")
    assert not Event.objects.exists()


def test_ids_grow_and_serve_as_a_cursor(db):
    first = publish(Kind.CAMERA_DOWN, {"camera": "a"})
    second, third = events.publish_many(
        [
            (Kind.CAMERA_UP, {"camera": "a"}, None, None),
            (Kind.CAMERA_DOWN, {"camera": "b"}, None, None),
        ]
    )
    assert first.pk < second.pk < third.pk
    assert list(Event.objects.after(first.pk)) == [second, third]


def test_only_declared_kinds(db):
    with pytest.raises(ValueError, match="unknown event kind"):
        publish("complaint.deleted", {})
