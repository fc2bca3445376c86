"""Fixtures shared by the whole suite.

With REDIS_URL set, `celery_worker_process` starts a real Celery worker in its own process,
pointed at the test database; without it, tasks run inline and the fixture does nothing.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    # Tests that need a real worker process (killing it, for one) run in the PostgreSQL + Redis
    # pass; without a broker they are deselected, not skipped, and the run says so.
    if settings.REDIS_URL:
        return
    needs_worker = [item for item in items if item.get_closest_marker("requires_worker")]
    if needs_worker:
        config.hook.pytest_deselected(items=needs_worker)
        items[:] = [item for item in items if not item.get_closest_marker("requires_worker")]
        config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"{len(needs_worker)} test(s) need a real Celery worker (REDIS_URL): they run in the PostgreSQL pass."
        )


def pytest_sessionfinish(session, exitstatus):
    # In CI every test must really run: a skip there hides a missing tool, so it fails the run.
    if not os.environ.get("CI") or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI=true and {len(skipped)} test(s) skipped: failing the run.", red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _test_database_url() -> str:
    from django.db import connection

    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + connection.settings_dict["NAME"]).geturl()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth counts failed logins in the cache: each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def mailbox(settings):
    """Emails sent by this test, inline or by the worker. Django's test setup swaps in locmem; undo that."""
    from tests.mailbox import Mailbox

    settings.EMAIL_BACKEND = "tests.mailbox.EmailBackend"
    box = Mailbox(Path(settings.TEST_MAIL_DIR))
    box.clear()
    return box


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real worker process on the test database, or None when tasks run inline."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    from workshop_portal.celery import app

    node = f"tests-{os.getpid()}@{socket.gethostname()}"
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "workshop_portal.settings.test",
    }
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = _test_database_url()
    command = [sys.executable, "-m", "celery", "-A", "workshop_portal", "worker", "--loglevel=INFO"]
    command += ["--concurrency=2", "--without-gossip", "--without-mingle", "-n", node]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()[-4000:]}")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
