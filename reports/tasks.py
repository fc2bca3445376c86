"""Celery entry points of the proceedings pipeline: ids in, one service call, failures reported.

Acknowledged late, so a task whose worker dies is delivered again; soft and hard time limits
bound each step; a failure goes to the service, which retries the build or fails it.
"""

import logging

from celery import shared_task

from reports.proceedings import pipeline
from reports.reminders import reminders_run

logger = logging.getLogger(__name__)


def _report_failure(build_id: int, attempt: int, error: Exception) -> None:
    logger.exception("proceedings build %s, attempt %s: %s", build_id, attempt, error)
    pipeline.proceedings_attempt_failed(build_id=build_id, attempt=attempt, reason=f"{type(error).__name__}: {error}")


@shared_task(name="reports.start_proceedings_attempt", acks_late=True)
def start_proceedings_attempt(*, build_id: int, attempt: int, pieces: list[str]) -> None:
    try:
        pipeline.proceedings_start_attempt(build_id=build_id, attempt=attempt, pieces=pieces)
    except Exception as error:
        _report_failure(build_id, attempt, error)


# The chord counts its pieces through the result store: these results are kept.
@shared_task(
    bind=True,
    name="reports.render_proceedings_piece",
    acks_late=True,
    ignore_result=False,
    soft_time_limit=300,
    time_limit=360,
)
def render_proceedings_piece(self, *, build_id: int, attempt: int, piece: str) -> None:
    # Delivered again: the worker that first took it died (see pipeline.ASSEMBLY_RESCUE_DELAY_SECONDS).
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    try:
        pipeline.proceedings_render_piece(build_id=build_id, attempt=attempt, piece=piece, redelivered=redelivered)
    except Exception as error:
        _report_failure(build_id, attempt, error)


@shared_task(name="reports.assemble_proceedings", acks_late=True, soft_time_limit=600, time_limit=660)
def assemble_proceedings(*, build_id: int, attempt: int) -> None:
    try:
        pipeline.proceedings_assemble(build_id=build_id, attempt=attempt)
    except Exception as error:
        _report_failure(build_id, attempt, error)


@shared_task(name="reports.proceedings_watchdog")
def proceedings_watchdog() -> list[int]:
    return pipeline.proceedings_watchdog()


# Every REMINDERS_EVERY_MINUTES under beat; two beats or a repeat queue nothing twice (dedupe keys).
@shared_task(name="reports.send_reminders", acks_late=True, soft_time_limit=600, time_limit=660)
def send_reminders() -> dict:
    return reminders_run()
