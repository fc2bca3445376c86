"""Test settings: base.py with fast hashing and throwaway folders.

DATABASE_URL and REDIS_URL are honoured, so the same suite runs on SQLite with inline tasks
and on PostgreSQL with a real Celery worker.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import OBJECT_STORAGE, STORAGES, celery_queues

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Files go to a throwaway folder; a worker started by the tests is handed the same one.
if os.environ.get("PORTAL_TEST_MEDIA_DIR"):
    _TMP = Path(os.environ["PORTAL_TEST_MEDIA_DIR"])
else:
    _TMP = Path(tempfile.mkdtemp(prefix="workshop-portal-tests-"))
    os.environ["PORTAL_TEST_MEDIA_DIR"] = str(_TMP)
    atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
if not OBJECT_STORAGE:  # with AWS_STORAGE_BUCKET_NAME set, files go to that bucket instead
    STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT

LOGGING = {"version": 1, "disable_existing_loggers": False}

# Emails land as files in the throwaway folder, whether the test process or a worker sends them
# (a worker with a folder of its own is handed the test process's mail folder).
EMAIL_BACKEND = "tests.mailbox.EmailBackend"
TEST_MAIL_DIR = Path(os.environ.get("PORTAL_TEST_MAIL_DIR") or _TMP / "mail")
# A worker started by a test of the outbox against a real SMTP server (tests/faults) is handed its
# loopback address, host:port.
if os.environ.get("PORTAL_TEST_SMTP"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, _smtp_port = os.environ["PORTAL_TEST_SMTP"].rsplit(":", 1)
    EMAIL_PORT = int(_smtp_port)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: threads in the concurrency tests must share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test.sqlite3")}  # noqa: F405

# A queue of its own per test run, so a developer's worker on the same Redis never takes test tasks.
# Kept in the environment, like the media folder, so a worker started by the tests inherits both.
CELERY_TASK_DEFAULT_QUEUE = os.environ.setdefault("PORTAL_TEST_CELERY_QUEUE", f"workshop-tests-{os.getpid()}")
# The conversion queue too (derived, so a worker started by the tests names the same one); the
# tests' workers start without -Q and consume both.
CONVERSION_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.conversion"
CELERY_TASK_QUEUES, CELERY_TASK_ROUTES = celery_queues(CELERY_TASK_DEFAULT_QUEUE, CONVERSION_QUEUE)

# Serve static files from the finders: the tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Each test starts with an empty cache (allauth counts failed logins there). Clearing a Redis
# cache would flush the database the Celery broker shares, so the tests keep theirs in memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
