"""Celery entry points of the privacy app. Their names keep the `workshop_portal.` prefix they were
scheduled and queued under (CELERY_BEAT_SCHEDULE names the purge)."""

from celery import shared_task

from privacy.notices import erasure_request_notify
from privacy.purge import personal_data_purge_due


@shared_task(
    name="workshop_portal.send_erasure_request_notice", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_erasure_request_notice(*, request_id: int) -> None:
    # Requests now queue their notice in their own transaction; kept for messages queued earlier.
    erasure_request_notify(request_id=request_id)


@shared_task(name="workshop_portal.purge_personal_data", acks_late=True)
def purge_personal_data() -> None:
    """Daily (CELERY_BEAT_SCHEDULE): purge the workshops past the retention period."""
    personal_data_purge_due()
