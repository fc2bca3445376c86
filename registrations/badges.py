"""Badges: one PDF of every approved delegate's badge, with a QR code for check-in at the door.

The organiser requests a batch; a worker renders it (WeasyPrint) into private storage; the
organiser downloads it through a view that checks who asks.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

import jobs
from registrations.enums import JobStatus
from registrations.models import BadgeBatch, Registration
from registrations.selectors import approved_registrations_for_badges
from workshop_portal.models import User, Workshop
from workshop_portal.pdf import html_to_pdf, qr_data_uri

logger = logging.getLogger(__name__)

BADGES_PER_PAGE = 8

BADGES = jobs.JobSpec(
    name="registrations.badges",
    model="registrations.BadgeBatch",
    task="registrations.render_badges",
    id_kwarg="batch_id",
    task_id_field="task_id",
    waiting=JobStatus.QUEUED,
    running=JobStatus.RUNNING,
    failed=JobStatus.FAILED,
    # Past the task's hard time limit (660 s), a batch still running has lost its worker.
    stale_after=lambda: datetime.timedelta(seconds=660 + 180),
    on_unreachable=jobs.FAIL,  # the organiser sees why and asks again
    unreachable_message=gettext_lazy(
        "The task queue cannot be reached just now. Ask for the badges again in a few minutes."
    ),
    exhausted_message=gettext_lazy("The badges stopped %(count)s times without finishing."),
)


def badge_check_in_url(registration: Registration) -> str:
    return settings.PORTAL_BASE_URL + reverse("registrations:check_in", kwargs={"token": registration.badge_token})


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
    jobs.enqueue_on_commit(BADGES, batch.pk)
    return batch, True


def badge_batch_render(*, batch: BadgeBatch, task_id: str = "") -> BadgeBatch:
    """Render the batch's PDF. Never leaves it running: it ends ready, or failed with the reason."""
    if not jobs.claim(BADGES, batch.pk, task_id=task_id):
        batch.refresh_from_db()
        return batch
    batch.refresh_from_db()
    try:
        name, count = _render(batch)
    except Exception as error:
        logger.exception("badge batch %s failed", batch.pk)
        jobs.finish(BADGES, batch.pk, JobStatus.FAILED, task_id=task_id, error=f"{type(error).__name__}: {error}")
    else:
        if not jobs.finish(BADGES, batch.pk, JobStatus.READY, task_id=task_id, file=name, badge_count=count):
            batch.file.storage.delete(name)  # taken over by another task: its PDF is the one kept
    batch.refresh_from_db()
    return batch


def _render(batch: BadgeBatch) -> tuple[str, int]:
    """Render and store the PDF; its stored name and how many badges it holds."""
    registrations = approved_registrations_for_badges(workshop=batch.workshop)
    badges = [{"registration": r, "qr": qr_data_uri(badge_check_in_url(r))} for r in registrations]
    pages = [badges[i : i + BADGES_PER_PAGE] for i in range(0, len(badges), BADGES_PER_PAGE)]
    # In the language of whoever asked for them, in a worker as inline.
    requester = batch.requested_by
    language = requester.email_language if requester is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string("registrations/pdf/badges.html", {"workshop": batch.workshop, "pages": pages})
    pdf = html_to_pdf(html)
    # A generated name: nothing about the file's place can be guessed from the workshop.
    name = f"badges/{batch.workshop.slug}-{batch.pk}-{secrets.token_hex(8)}.pdf"
    batch.file.save(name, ContentFile(pdf), save=False)  # not saved: the job's finish() records it
    return batch.file.name, len(badges)
