"""Production settings, checked in fresh processes so each reads its own environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "kV3q8-Zt0mPq_s7Lx2Wc9Yh4Rb6Nf1Jd5Gk0Tz8Ua3Ew7Io2Py6Qr4Ss9Vu1Xb3Nm"


def _manage(*args, **env_overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="workshop_portal.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", DJANGO_SECRET_KEY=PRODUCTION_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_a_wildcard_host():
    result = _manage("check", DJANGO_SECRET_KEY=PRODUCTION_KEY, DJANGO_ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY=PRODUCTION_KEY, DJANGO_ALLOWED_HOSTS="portal.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_wrong_host_header_is_refused(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    assert client.get("/", headers={"host": "evil.example.com"}).status_code == 400
    assert client.get("/", headers={"host": "portal.example.org"}).status_code == 200


def test_embedded_mode_migrates_and_seeds_into_a_fresh_folder(tmp_path):
    """What `make run` does on a fresh clone: no var/ folder, no services, no environment."""
    var_dir = tmp_path / "not-yet-created"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(PORTAL_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="workshop_portal.settings.base")
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
    assert (var_dir / "db.sqlite3").is_file()
    assert "organiser@demo.example.org" in result.stdout


def test_production_cookies_are_secure_and_https_is_enforced():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_CONTENT_TYPE_NOSNIFF, s.X_FRAME_OPTIONS, s.DEBUG]))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="workshop_portal.settings.production",
        DJANGO_SECRET_KEY=PRODUCTION_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == [True, True, True, "Lax", 31536000, True, True, "DENY", False]


def test_a_database_that_cannot_be_reached_gives_a_clean_error_page():
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client(raise_request_exception=False).get('/')\n"
        "print(response.status_code)\n"
        "print(response.content.decode())\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="workshop_portal.settings.production",
        DJANGO_SECRET_KEY=PRODUCTION_KEY,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        # Nothing listens on port 1: every connection is refused.
        DATABASE_URL="postgres://postgres@127.0.0.1:1/portal",
        LOG_LEVEL="CRITICAL",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    status, _, body = result.stdout.partition("\n")
    assert status == "500"
    assert "The portal is having trouble" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "127.0.0.1" not in body
