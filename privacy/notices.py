"""The email that tells the organisers someone asked for erasure (sent by privacy.tasks)."""

import logging

from django.urls import reverse

from communications.services import Recipient, email_queue
from workshop_portal.emails import portal_url
from workshop_portal.enums import ErasureStatus
from workshop_portal.models import ErasureRequest, User
from workshop_portal.roles import ORGANISERS

logger = logging.getLogger(__name__)


def erasure_request_notify(*, request_id: int) -> int:
    """Email each organiser that someone asked for erasure (queued in the outbox, once per
    request and organiser). Returns how many were told."""
    request = ErasureRequest.objects.filter(pk=request_id, status=ErasureStatus.REQUESTED).first()
    if request is None:
        return 0
    organisers = list(
        User.objects.filter(groups__name=ORGANISERS, is_active=True).exclude(email="").distinct().order_by("email")
    )
    if not organisers:
        logger.warning("erasure request %s: no organiser to tell", request_id)
        return 0
    url = portal_url(reverse("admin:workshop_portal_erasurerequest_change", args=[request.pk]))
    # Each in their own language; the outbox sends them over one connection.
    email_queue(
        template="privacy/email/erasure_requested",
        context={"request": request, "admin_url": url},
        recipients=[
            Recipient(
                address=organiser.email,
                language=organiser.email_language,
                user=organiser,
                dedupe_key=f"privacy.erasure_requested:{request.pk}:{organiser.pk}",
            )
            for organiser in organisers
        ],
    )
    return len(organisers)
