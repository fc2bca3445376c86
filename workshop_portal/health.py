"""`/healthz`: is this process able to serve? For load balancers and container health checks.

Cheap on purpose (one `SELECT 1`, one Redis `PING` when REDIS_URL is set, one existence check of
the private storage), open to anyone, and it never says more than the class of a failure: the
details (hosts, users) go to the log, not to whoever asks.
"""

import logging
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"
# Seconds a Redis check may take; a health check that hangs is a failed one anyway.
REDIS_TIMEOUT = 2.0

_redis_clients: dict = {}


def _failure(check: str, error: Exception) -> dict:
    logger.warning("health check %s failed", check, exc_info=error)
    return {"status": FAILED, "reason": type(error).__name__}


def check_database() -> dict:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return _failure("database", error)
    return {"status": OK}


def check_broker() -> dict:
    """Redis is the Celery broker and the cache; without REDIS_URL tasks run inline and there is none."""
    url = settings.REDIS_URL
    if not url:
        return {"status": OK, "reason": "not configured"}
    try:
        import redis

        client = _redis_clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
            _redis_clients[url] = client
        client.ping()
    except Exception as error:
        return _failure("broker", error)
    return {"status": OK}


def check_storage() -> dict:
    """The private storage answers: its folder exists and can be written (local disk), or the
    object store answers an existence check (a missing name is a fine answer)."""
    try:
        storage = storages["private"]
        if isinstance(storage, FileSystemStorage):
            location = storage.location
            if not os.path.isdir(location):
                # A fresh install has no upload yet, hence no folder: make it, as the first upload would.
                try:
                    os.makedirs(location, exist_ok=True)
                except OSError:
                    return {"status": FAILED, "reason": "missing"}
            if not os.access(location, os.W_OK | os.X_OK):
                return {"status": FAILED, "reason": "not writable"}
        else:
            storage.exists("healthz-probe")
    except Exception as error:
        return _failure("storage", error)
    return {"status": OK}


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


@never_cache
@require_safe
def healthz(request):
    """Public: 200 with every check ok, 503 otherwise."""
    checks = {name: check() for name, check in CHECKS.items()}
    healthy = all(result["status"] == OK for result in checks.values())
    return JsonResponse({"status": OK if healthy else FAILED, "checks": checks}, status=200 if healthy else 503)
