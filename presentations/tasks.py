"""Celery entry points: fetch by id, call the service."""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="presentations.convert_presentation_file",
    acks_late=True,
    soft_time_limit=settings.CONVERSION_TIMEOUT_SECONDS + 60,
    time_limit=settings.CONVERSION_TIMEOUT_SECONDS + 120,
)
def convert_presentation_file(self, *, file_id: int) -> None:
    from presentations.conversion_jobs import presentation_file_convert
    from presentations.models import PresentationFile

    version = PresentationFile.objects.filter(pk=file_id).first()
    if version is None:
        logger.warning("presentation file %s no longer exists", file_id)
        return
    presentation_file_convert(version=version, task_id=self.request.id or "")


@shared_task(name="presentations.conversions_watchdog")
def conversions_watchdog() -> dict:
    from presentations.conversion_jobs import conversions_watchdog as watchdog

    return watchdog()


@shared_task(name="presentations.neutralise_stored_files")
def neutralise_stored_files() -> dict:
    from presentations.stored_files import neutralise_stored_files as neutralise

    report = neutralise()
    return {"neutralised": report.neutralised, "withheld": list(report.withheld), "remaining": report.remaining}


@shared_task(name="presentations.make_web_copy", acks_late=True)
def make_web_copy(*, file_id: int) -> bool:
    from presentations.models import PresentationFile
    from presentations.web_copies import web_copy_make

    version = PresentationFile.objects.filter(pk=file_id).first()
    return version is not None and web_copy_make(version)


@shared_task(name="presentations.make_missing_web_copies")
def make_missing_web_copies() -> dict:
    from presentations.web_copies import web_copies_make_missing

    return web_copies_make_missing()
