"""The letter queue's counts on the staff home."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from balai.letters.actions import QUEUE_ROLES, SIGN_ROLES
from balai.letters.choices import OPEN_STATUSES, RequestStatus
from balai.letters.models import LetterRequest

register = template.Library()


@register.simple_tag
def letter_counts(user) -> dict:
    """{open, overdue, to_sign} of the requests `user` reads (one query); {} for others."""
    if user.role not in QUEUE_ROLES:
        return {}
    counts = (
        LetterRequest.objects.for_user(user)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=timezone.now())),
            to_sign=Count("pk", filter=Q(status=RequestStatus.AWAITING_SIGNATURE)),
        )
    )
    if user.role not in SIGN_ROLES:
        counts.pop("to_sign")
    return counts
