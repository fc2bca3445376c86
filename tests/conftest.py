"""Fixtures shared by the whole suite.

With REDIS_URL set, `celery_worker_process` starts a real Celery worker in its own process,
pointed at the test database; without it, tasks run inline and the fixture does nothing.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from testkit.workers import tasks_inline

BASE_DIR = Path(__file__).resolve().parent.parent


# What makes a test touch the test database (directly or through a fixture that does).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that use the database: the others (file checks, conversions, "
        "benchmarks) run the same on any database, so CI runs them once, in its PostgreSQL pass.",
    )


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or not DATABASE_FIXTURES.isdisjoint(item.fixturenames)


def pytest_collection_modifyitems(config, items):
    if config.getoption("--database-tests-only"):
        databaseless = [item for item in items if not uses_database(item)]
        if databaseless:
            config.hook.pytest_deselected(items=databaseless)
            items[:] = [item for item in items if uses_database(item)]
            config.pluginmanager.get_plugin("terminalreporter").write_line(
                f"--database-tests-only: {len(databaseless)} test(s) that use no database deselected."
            )
    # A test about one engine's own machinery (PostgreSQL's dump format, SQLite's files) is
    # deselected on the other, not skipped (CI fails on skips).
    sqlite = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    other = "postgresql_only" if sqlite else "sqlite_only"
    elsewhere = [item for item in items if item.get_closest_marker(other)]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if not item.get_closest_marker(other)]
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


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth counts failed logins in the cache: each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def mailbox(settings, request):
    """Emails sent by this test, inline or by the worker. Django's test setup swaps in locmem; undo that."""
    from tests.mailbox import Mailbox

    settings.EMAIL_BACKEND = "tests.mailbox.EmailBackend"
    box = Mailbox(Path(settings.TEST_MAIL_DIR))
    box.clear()
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        yield box  # committed rows: a worker process sends them
        return
    # Rows in the test's transaction, which no worker process can read: the outbox sends them here.
    with outbox_sends_inline():
        yield box


@pytest.fixture(scope="session")
def _smtp_server():
    from tests.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(settings, _smtp_server):
    """A real SMTP server on loopback receiving what this test sends through Django's SMTP backend
    (inline: a worker process keeps its own backend); its messages are parsed raw MIME."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = _smtp_server.host, _smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    _smtp_server.clear()
    with outbox_sends_inline():
        yield _smtp_server


# The outbox's send task runs in this process (whose EMAIL_* settings the test chose).
outbox_sends_inline = tasks_inline


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real worker process on the test database, or None when tasks run inline."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    from testkit.workers import Worker
    from workshop_portal.celery import app

    worker = Worker(tmp_path_factory.mktemp("worker") / "worker.log")
    try:
        try:
            worker.wait_ready(app)
        except RuntimeError as error:
            pytest.fail(str(error))
        yield worker
    finally:
        worker.stop()
