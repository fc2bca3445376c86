"""Handing queued outbox rows to the workers: the one place that talks to the broker for email."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communications.enums import SENDABLE
from communications.models import OutboundEmail
from workshop_portal.queueing import send

SEND_TASK = "communications.send_emails"


def dispatch_on_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: dispatch(ids))


def dispatch(ids: list[int], *, due=None) -> int:
    """Hand the rows to workers, OUTBOX_BATCH_SIZE per task. Returns how many the broker took; the
    watchdog sends again those it did not take."""
    taken = 0
    size = max(1, settings.OUTBOX_BATCH_SIZE)
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        OutboundEmail.objects.filter(pk__in=batch, status__in=SENDABLE).update(dispatched_at=timezone.now())
        if send(SEND_TASK, ids=batch, **({"due": due.isoformat()} if due else {})):
            taken += len(batch)
        else:
            OutboundEmail.objects.filter(pk__in=batch, status__in=SENDABLE).update(dispatched_at=None)
            break  # the broker is down: the watchdog sends the rest when it is back
    return taken
