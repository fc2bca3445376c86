"""Celery entry point of the one watchdog."""

from celery import shared_task

from jobs.watchdog import watchdog as look_after_jobs


@shared_task(name="jobs.watchdog")
def watchdog() -> dict:
    return look_after_jobs()
