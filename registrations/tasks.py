"""Celery entry points: fetch by id, call the service. No logic lives here."""

import logging

from celery import shared_task

from registrations.enums import RegistrationNotice
from registrations.message_sending import message_deliver

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="registrations.send_registration_email")
def send_registration_email(self, *, registration_id: int, notice: str) -> None:
    """Queues the notice in the outbox. Decisions now queue it themselves in their own transaction;
    this task stays for messages a broker still holds from an earlier release."""
    from registrations.emails import registration_email_send
    from registrations.models import Registration

    registration = Registration.objects.select_related("workshop", "user").filter(pk=registration_id).first()
    if registration is None:
        logger.warning("registration %s no longer exists; %s email not sent", registration_id, notice)
        return
    key = f"registrations.{notice}:{registration_id}:{self.request.id}" if self.request.id else None
    registration_email_send(registration=registration, notice=RegistrationNotice(notice), dedupe_key=key)


@shared_task(bind=True, name="registrations.render_badges", acks_late=True, soft_time_limit=600, time_limit=660)
def render_badges(self, *, batch_id: int) -> None:
    from registrations.badges import badge_batch_render
    from registrations.models import BadgeBatch

    batch = BadgeBatch.objects.select_related("workshop").filter(pk=batch_id).first()
    if batch is None:
        logger.warning("badge batch %s no longer exists", batch_id)
        return
    badge_batch_render(batch=batch, task_id=self.request.id or "")


# Acknowledged late: a message whose worker died is delivered again; the outbox's dedupe keys
# (message:<pk>:<address>) keep every copy single.
@shared_task(name="registrations.send_message", acks_late=True, soft_time_limit=600, time_limit=660)
def send_message(*, message_id: int) -> int:
    return message_deliver(message_id)
