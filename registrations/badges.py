"""Badges: one PDF of every approved delegate's badge, with a QR code for check-in at the door.

The organiser requests a batch; a worker renders it (WeasyPrint) into private storage; the
organiser downloads it through a view that checks who asks.
"""

import base64
import logging
import secrets

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registrations.enums import JobStatus
from registrations.models import BadgeBatch, Registration
from registrations.selectors import approved_registrations_for_badges
from workshop_portal.models import User, Workshop
from workshop_portal.pdf import html_to_pdf
from workshop_portal.queueing import enqueue

logger = logging.getLogger(__name__)

BADGES_PER_PAGE = 8


def badge_check_in_url(registration: Registration) -> str:
    return settings.PORTAL_BASE_URL + reverse("registrations:check_in", kwargs={"token": registration.badge_token})


def _qr_data_uri(text: str) -> str:
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@transaction.atomic
def badge_batch_request(*, workshop: Workshop, by: User) -> tuple[BadgeBatch, bool]:
    """Queue a new batch, unless one is already waiting or running for this workshop.

    Returns the batch and whether it is new: a double click gets the batch already queued.
    """

    Workshop.objects.select_for_update().get(pk=workshop.pk)
    pending = BadgeBatch.objects.filter(workshop=workshop, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if pending is not None:
        return pending, False
    batch = BadgeBatch.objects.create(workshop=workshop, requested_by=by)
    transaction.on_commit(lambda: _queue_badges(batch.pk))
    return batch, True


def _queue_badges(batch_id: int) -> None:
    from registrations.tasks import render_badges

    if not enqueue(render_badges, batch_id=batch_id):
        BadgeBatch.objects.filter(pk=batch_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            error=_("The task queue cannot be reached just now. Ask for the badges again in a few minutes."),
            finished_at=timezone.now(),
        )


def badge_batch_render(*, batch: BadgeBatch) -> BadgeBatch:
    """Render the batch's PDF. Never leaves it running: it ends ready, or failed with the reason."""
    claimed = BadgeBatch.objects.filter(pk=batch.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return batch
    batch.refresh_from_db()
    try:
        registrations = approved_registrations_for_badges(workshop=batch.workshop)
        badges = [{"registration": r, "qr": _qr_data_uri(badge_check_in_url(r))} for r in registrations]
        pages = [badges[i : i + BADGES_PER_PAGE] for i in range(0, len(badges), BADGES_PER_PAGE)]
        # In the language of whoever asked for them, in a worker as inline.
        requester = batch.requested_by
        language = requester.email_language if requester is not None else settings.LANGUAGE_CODE
        with translation.override(language):
            html = render_to_string("registrations/pdf/badges.html", {"workshop": batch.workshop, "pages": pages})
        pdf = html_to_pdf(html)
        # A generated name: nothing about the file's place can be guessed from the workshop.
        name = f"badges/{batch.workshop.slug}-{batch.pk}-{secrets.token_hex(8)}.pdf"
        batch.file.save(name, ContentFile(pdf), save=False)
        batch.badge_count = len(badges)
        batch.status = JobStatus.READY
    except Exception as error:
        logger.exception("badge batch %s failed", batch.pk)
        batch.status = JobStatus.FAILED
        batch.error = f"{type(error).__name__}: {error}"
    batch.finished_at = timezone.now()
    batch.save()
    return batch
