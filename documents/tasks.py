"""Celery entry points: fetch by id, call the service. No logic lives here."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


# No hard time limit: a batch of a thousand documents runs for minutes, each one a sign of life the
# watchdog reads (documents.batches.DOCUMENT_BATCHES.stale_after).
@shared_task(bind=True, name="documents.generate_batch", acks_late=True)
def generate_batch(self, *, batch_id: int) -> None:
    from documents.batches import document_batch_run
    from documents.models import DocumentBatch

    batch = DocumentBatch.objects.select_related("workshop", "requested_by").filter(pk=batch_id).first()
    if batch is None:
        logger.warning("document batch %s no longer exists", batch_id)
        return
    document_batch_run(batch=batch, task_id=self.request.id or "")


@shared_task(name="documents.issue_visa_letter", acks_late=True)
def issue_visa_letter(*, visa_request_id: int) -> None:
    from documents.letters import visa_letter_issue

    visa_letter_issue(visa_request_id=visa_request_id)
