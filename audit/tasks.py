"""Celery entry points of the audit trail: they only call audit.services."""

from celery import shared_task

from audit.services import audit_purge_expired


@shared_task(name="audit.purge_expired", acks_late=True)
def purge_expired() -> int:
    return audit_purge_expired()
