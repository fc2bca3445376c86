"""Celery entry points of the outbox: they only call communications.delivery."""

import datetime

from celery import shared_task

from communications.delivery import outbox_purge_old, outbox_watchdog, send_batch


# Acknowledged late (the default): a message whose worker died is delivered again, and the claim
# sends only what is still due. The hard limit stays under OUTBOX_STALE_SECONDS's default.
@shared_task(name="communications.send_emails", soft_time_limit=240, time_limit=270)
def send_emails(*, ids: list[int], due: str | None = None) -> dict:
    return send_batch(ids, due=datetime.datetime.fromisoformat(due) if due else None)


@shared_task(name="communications.outbox_watchdog")
def watchdog() -> dict:
    return outbox_watchdog()


@shared_task(name="communications.purge_old_emails", acks_late=True)
def purge_old_emails() -> int:
    return outbox_purge_old()
