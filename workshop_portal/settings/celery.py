"""Celery: the broker, the queues, how workers take and acknowledge tasks, and the scheduled jobs.
Included by base.py; with no REDIS_URL every task runs inline in the web process."""

from kombu import Exchange, Queue

from .environment import env

# Redis, when configured, is both the Celery broker and the cache (base.py: CACHES).
REDIS_URL = env("REDIS_URL", default="")

# Without Redis the broker is never reached, but an inline task still opens a producer on it
# (Celery serialises the arguments through it): name the host, or kombu warns on every task.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker, tasks run inline in the web process: the embedded mode needs no worker.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="workshop_portal")
# Conversions (LibreOffice) have a queue of their own, so that a deployment can run them in a worker
# that reaches nothing but the database and the broker (docker-compose.yml: converter). A worker
# started without -Q consumes both queues: the embedded mode, `make worker` and the tests' workers.
CONVERSION_QUEUE = env("CELERY_CONVERSION_QUEUE", default=f"{CELERY_TASK_DEFAULT_QUEUE}.conversion")


def celery_queues(default_queue: str, conversion_queue: str) -> tuple[tuple[Queue, ...], dict]:
    """Celery's queues (what a worker without -Q consumes) and the route of the conversion task."""
    queues = tuple(
        Queue(name, Exchange(name, type="direct"), routing_key=name) for name in (default_queue, conversion_queue)
    )
    return queues, {"presentations.convert_presentation_file": {"queue": conversion_queue}}


CELERY_TASK_QUEUES, CELERY_TASK_ROUTES = celery_queues(CELERY_TASK_DEFAULT_QUEUE, CONVERSION_QUEUE)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# No task's result is read from the web process: waiting on the result store would tie a request
# to Redis (and hang it for 20 s when Redis is down). Only the chord's pieces keep theirs.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message whose worker vanished is handed out again after this long; above every task's hard limit.
# Workers look for such messages every CELERY_RESTORE_SWEEP_SECONDS (kombu's own default, ~100 s).
_RESTORE_SWEEP = max(1, env.int("CELERY_RESTORE_SWEEP_SECONDS", default=100))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800),
    "unacked_restore_interval": min(10, _RESTORE_SWEEP),
    "unacked_restore_throttle": max(1, round(_RESTORE_SWEEP / min(10, _RESTORE_SWEEP))),
}
CELERY_BEAT_SCHEDULE = {
    "proceedings-watchdog": {"task": "reports.proceedings_watchdog", "schedule": 60.0},
    "conversions-watchdog": {"task": "presentations.conversions_watchdog", "schedule": 60.0},
    # Every other job type registered with jobs/ (badges): restarted, re-sent or failed.
    "jobs-watchdog": {"task": "jobs.watchdog", "schedule": 60.0},
    # Files stored before neutralising existed are rewritten a batch at a time after an upgrade.
    "neutralise-stored-files": {"task": "presentations.neutralise_stored_files", "schedule": 600.0},
    # Web copies of decks (the proceedings' web edition) that were not made when their PDF was ready.
    "web-copies": {"task": "presentations.make_missing_web_copies", "schedule": 600.0},
    # The outbox: emails whose worker vanished, retries whose wait is over, queued ones the broker missed.
    "outbox-watchdog": {"task": "communications.outbox_watchdog", "schedule": 60.0},
    "outbox-purge": {"task": "communications.purge_old_emails", "schedule": 24 * 60 * 60.0},
    # Scheduled reminders (reports/reminders.py): each due one queued once per person.
    "reminders": {
        "task": "reports.send_reminders",
        "schedule": 60.0 * max(1, env.int("REMINDERS_EVERY_MINUTES", default=15)),
    },
    # Once a day: purge the personal data of workshops past PERSONAL_DATA_RETENTION_DAYS.
    "personal-data-purge": {"task": "workshop_portal.purge_personal_data", "schedule": 24 * 60 * 60.0},
    "audit-purge": {"task": "audit.purge_expired", "schedule": 24 * 60 * 60.0},
    # Once a day: delete stored files no row references (a worker killed between storing and recording).
    "storage-sweep": {"task": "workshop_portal.sweep_storage", "schedule": 24 * 60 * 60.0},
}
