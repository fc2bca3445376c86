"""/healthz: cheap, open to anyone, 503 with the failing part named, never a secret in the answer."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testkit.workers import RedisServer, free_port

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "kV3q8-Zt0mPq_s7Lx2Wc9Yh4Rb6Nf1Jd5Gk0Tz8Ua3Ew7Io2Py6Qr4Ss9Vu1Xb3Nm"

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_root(settings, tmp_path):
    """A private storage folder of this test's own (the shared one may not exist yet)."""
    from django.core.files.storage import storages

    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": root, "base_url": None}},
    }
    storages._storages.pop("private", None)
    yield root
    storages._storages.pop("private", None)


def test_all_ok_answers_200_with_one_query_and_no_login(client, settings, private_root):
    settings.REDIS_URL = ""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "broker": {"status": "ok", "reason": "not configured"},
            "storage": {"status": "ok"},
        },
    }
    assert [query["sql"] for query in queries.captured_queries] == ["SELECT 1"]


def test_a_running_redis_is_pinged(client, settings, private_root, tmp_path):
    redis = RedisServer(tmp_path).start()
    try:
        settings.REDIS_URL = redis.url
        response = client.get("/healthz")
    finally:
        redis.stop()
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"status": "ok"}


def test_redis_down_answers_503_without_its_password(client, settings, private_root):
    settings.REDIS_URL = f"redis://:s3cret-redis-password@127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed"
    assert body["checks"]["broker"] == {"status": "failed", "reason": "ConnectionError"}
    assert body["checks"]["database"] == {"status": "ok"}
    assert "s3cret" not in response.content.decode()


def test_a_fresh_install_without_the_private_folder_is_healthy_and_gets_it(client, settings, private_root):
    settings.REDIS_URL = ""
    private_root.rmdir()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert private_root.is_dir()


def test_a_private_storage_that_cannot_exist_answers_503(client, settings, private_root):
    settings.REDIS_URL = ""
    private_root.rmdir()
    private_root.write_bytes(b"a file where the folder should be")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {"status": "failed", "reason": "missing"}


def test_a_failing_database_answers_503_with_the_error_class_only(client, settings, private_root, monkeypatch):
    from django.db import OperationalError

    settings.REDIS_URL = ""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" failed: password authentication failed')

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "failed", "reason": "OperationalError"}
    assert "db.internal" not in response.content.decode()


def test_only_safe_methods(client, private_root):
    assert client.post("/healthz").status_code == 405


def test_production_answers_the_health_check_over_plain_http_and_redirects_the_rest(tmp_path):
    """The container health check speaks HTTP to 127.0.0.1:8000: /healthz is exempt from the HTTPS redirect."""
    (tmp_path / "private").mkdir()
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='portal.example.org')\n"
        "print(client.get('/healthz').status_code, client.get('/').status_code)\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="workshop_portal.settings.production",
        DJANGO_SECRET_KEY=PRODUCTION_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        LOG_LEVEL="CRITICAL",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]


def test_json_logs_carry_the_request_id(tmp_path):
    """LOG_FORMAT=json: one JSON object per line, with the request id the response echoes."""
    script = (
        "import logging, django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/no-such-page/', HTTP_X_REQUEST_ID='abcdef0123456789')\n"
        "print(response['X-Request-ID'])\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="workshop_portal.settings.base",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="testserver",
        PORTAL_VAR_DIR=str(tmp_path),
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "abcdef0123456789"
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found, result.stderr
    assert not_found[0]["level"] == "WARNING"
    assert not_found[0]["request_id"] == "abcdef0123456789"
    assert not_found[0]["status_code"] == 404
    assert "Not Found" in not_found[0]["message"]


def test_a_request_id_is_made_when_none_or_a_bad_one_comes(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\r\nX-Evil: 1")["X-Request-ID"] != "bad id"


def test_error_reporting_starts_only_with_a_dsn_and_sends_no_personal_data(tmp_path):
    script = (
        "import json, django; django.setup()\n"
        "import sentry_sdk\n"
        "client = sentry_sdk.get_client()\n"
        "print(json.dumps([client.is_active(), client.options['send_default_pii'],"
        " client.options['max_request_body_size']]))\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "SENTRY_"))}
    env.update(DJANGO_SETTINGS_MODULE="workshop_portal.settings.base", PORTAL_VAR_DIR=str(tmp_path))
    results = []
    for dsn in ("", "https://public-key@127.0.0.1:9/1"):  # nothing listens on port 9, nothing is sent
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=BASE_DIR, env={**env, "SENTRY_DSN": dsn},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        results.append(json.loads(result.stdout.strip().splitlines()[-1]))
    assert results[0][0] is False
    assert results[1] == [True, False, "never"]
