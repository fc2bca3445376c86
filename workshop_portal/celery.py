"""The Celery application. Configuration comes from Django settings (CELERY_* names)."""

import os
import resource

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings.base")

app = Celery("workshop_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _limit_worker_memory(**kwargs):
    """Each worker process renders PDFs under a memory ceiling, so a hostile file cannot take the host."""
    from django.conf import settings

    limit_mb = settings.WORKER_MEMORY_LIMIT_MB
    if limit_mb:
        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@worker_process_init.connect
def _warm_up(**kwargs):
    from workshop_portal.warmup import worker_warm_up

    worker_warm_up()
