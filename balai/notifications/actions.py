from functools import partial

from django.db import IntegrityError, transaction

from balai.lib import phones
from balai.notifications.choices import Channel
from balai.notifications.models import Notification
from balai.notifications.sealing import key_digest


def notify(
    *,
    key: str,
    body: str,
    subject: str = "",
    email: str = "",
    phone: str = "",
    whatsapp: bool = True,
    village=None,
    new_event: bool = False,
    delivery: str = "after_commit",
) -> list[Notification]:
    """Queue a message to a person by every address they gave; idempotent per key.

    `key` names the event (e.g. "letter:ABCD:ready"); calling again with the
    same key sends nothing new. The key is kept as a digest and the body
    sealed, then erased once sent (notifications.sealing): either may hold a
    tracking code. Delivery happens in the task worker after the
    surrounding transaction commits.

    `new_event`: the event was created in this transaction, so no message can
    have its key yet: no savepoint to catch a duplicate (two round trips
    fewer). `delivery`: "after_commit" queues `deliver` once the transaction
    commits; "in_transaction" queues it inside (on the database backend the
    task row commits with the message, sparing a second commit; a queue
    outside the database must push its jobs at commit, as every enqueue
    inside a transaction needs); "by_caller": the caller
    queues it, e.g. from a task of its own queued in the same transaction.
    """
    from balai.notifications.tasks import deliver

    targets = []
    if email:
        targets.append((Channel.EMAIL, email))
    # The gateway gets one form, 628... (balai/lib/phones.py), whatever was stored;
    # a number that is none (typed before the forms checked) is not sent to.
    number = phones.normalise_or_none(phone, mobile=True) if phone else None
    if number:
        targets.append((Channel.WHATSAPP if whatsapp else Channel.SMS, number))
    created = []
    for channel, recipient in targets:
        notification = Notification(
            channel=channel,
            recipient=recipient,
            subject=subject,
            key=key_digest(f"{key}:{channel}"),
            village=village,
        )
        notification.body = body  # sealed
        if new_event:
            notification.save(force_insert=True)
        else:
            try:
                with transaction.atomic():
                    notification.save(force_insert=True)
            except IntegrityError:
                continue  # already queued for this event
        created.append(notification)
        if delivery == "after_commit":
            transaction.on_commit(partial(deliver.enqueue, notification.pk))
        elif delivery == "in_transaction":
            deliver.enqueue(notification.pk)
    return created


def notify_people(people, *, key: str, subject: str, body: str, village=None) -> None:
    """Queue the same message to each staff member with an email or phone, once
    per person and event key."""
    for person in people:
        if person.email or person.phone:
            notify(
                key=f"{key}:user:{person.pk}",
                subject=subject,
                body=body,
                email=person.email,
                phone=person.phone,
                village=village,
            )
