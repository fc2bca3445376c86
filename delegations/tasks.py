"""Celery entry points: fetch by id, call the email function (it queues in the outbox). No logic lives here.

Designations and nominations now queue their email in their own transaction; these tasks stay for
messages a broker still holds from an earlier release."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


def _key(task, kind: str, pk: int) -> str | None:
    """The same message (a task delivered again) queues its email once."""
    return f"delegations.{kind}:{pk}:{task.request.id}" if task.request.id else None


@shared_task(bind=True, name="delegations.send_focal_point_email")
def send_focal_point_email(self, *, focal_point_id: int) -> None:
    from delegations.emails import focal_point_email_send
    from delegations.models import FocalPoint

    focal_point = (
        FocalPoint.objects.select_related(
            "delegation__workshop", "delegation__member_state", "delegation__institution", "user"
        )
        .filter(pk=focal_point_id)
        .first()
    )
    if focal_point is None:
        logger.warning("focal point %s no longer exists; its email is not sent", focal_point_id)
        return
    focal_point_email_send(focal_point=focal_point, dedupe_key=_key(self, "focal_point", focal_point_id))


@shared_task(bind=True, name="delegations.send_nomination_email")
def send_nomination_email(self, *, nomination_id: int) -> None:
    from delegations.emails import nomination_email_send
    from delegations.models import Nomination

    nomination = (
        Nomination.objects.select_related(
            "delegation__workshop__host_institution",
            "delegation__member_state",
            "delegation__institution",
            "nominated_by",
        )
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None:
        logger.warning("nomination %s no longer exists; its email is not sent", nomination_id)
        return
    nomination_email_send(nomination=nomination, dedupe_key=_key(self, "nomination", nomination_id))
