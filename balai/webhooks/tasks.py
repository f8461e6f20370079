"""Background work: fan each committed event out to its subscriptions, then deliver.

`fan_out_soon` is called (notifications.events.on_published) after a
publishing transaction commits; it queues the fan-out, which queues the
dispatcher. The dispatcher queues itself again for the next retry due.
"""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from balai.lib.tasks import on_interrupted, schedule_once
from balai.webhooks import delivery


def fan_out_soon(_event_ids: list[int]) -> None:
    if not schedule_once(fan_out, dt.timedelta(0)) and not _on_database_backend():
        fan_out.enqueue()


def _on_database_backend() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(fan_out.get_backend(), DatabaseBackend)


@task()
def fan_out() -> int:
    made = 0
    while True:
        events, deliveries = delivery.fan_out()
        made += deliveries
        if not events:
            break
    if made:
        deliver_soon()
    return made


def deliver_soon() -> None:
    if not schedule_once(deliver_due, dt.timedelta(0)) and not _on_database_backend():
        deliver_due.enqueue()


@task()
def deliver_due() -> int:
    sent = delivery.dispatch()
    due = delivery.next_due()
    if due is not None:
        schedule_once(deliver_due, max(dt.timedelta(0), due - timezone.now()))
    return sent


@on_interrupted(fan_out, deliver_due)
def _resume(*_args) -> None:
    # A worker killed mid-run broke the chain (each run queues the next). Its
    # claimed deliveries are due again when the claim expires (next_due).
    fan_out_soon([])
    deliver_soon()
