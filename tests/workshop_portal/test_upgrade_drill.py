"""The upgrade drill (issue #23): the demo, taken back to the previous release's migration state
(workshop_portal.upgrade.SUPPORTED_SINCE), upgraded to the current one, keeps every registration,
presentation file, report revision and proceedings build as it was.

Transactional: migrations change the schema; the database is left at the latest state, and the
serialized rollback brings back the rows the data migrations made."""

import hashlib
import io
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from demo.seed import DEMO_SLUG
from presentations.models import Presentation, PresentationFile
from registrations.models import Registration
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild, SessionReport
from workshop_portal.models import User, Workshop
from workshop_portal.upgrade import SUPPORTED_SINCE, current_targets, migrate_to, supported_since_targets

# What an upgrade must keep, row for row: every column the previous release had.
KEPT = [User, Workshop, Registration, Presentation, PresentationFile, SessionReport, ProceedingsBuild]


def _snapshot() -> dict[str, tuple[int, str]]:
    """Per table: the row count and a SHA-256 of every row's columns (as the database returns them)."""
    snapshot = {}
    with connection.cursor() as cursor:
        for model in KEPT:
            table = model._meta.db_table
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)} ORDER BY id")
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr((columns, rows)).encode()).hexdigest()
            snapshot[model._meta.label] = (len(rows), digest)
    return snapshot


def _published_build(workshop, organiser) -> ProceedingsBuild:
    """A published volume as a finished build leaves it (building a real one takes seconds)."""
    volume = b"%PDF-1.7 proceedings of the drill"
    build = ProceedingsBuild(
        workshop=workshop,
        requested_by=organiser,
        status=BuildStatus.READY,
        inputs_hash="d" * 64,
        size=len(volume),
        sha256=hashlib.sha256(volume).hexdigest(),
        page_count=1,
        is_published=True,
    )
    build.file.save("drill.pdf", ContentFile(volume), save=True)
    return build


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_upgraded_from_the_previous_release_keeps_every_record(settings):
    settings.DEBUG = True  # seed_demo refuses what looks like production
    call_command("seed_demo", stdout=io.StringIO())
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    build = _published_build(workshop, User.objects.get(email="organiser@demo.example.org"))
    try:
        migrate_to(connection, supported_since_targets())
        assert "audit_auditevent" not in connection.introspection.table_names()  # really the previous release
        before = _snapshot()
        migrate_to(connection, current_targets(connection))
        after = _snapshot()
    finally:
        migrate_to(connection, current_targets(connection))  # the latest state, whatever happened
    assert all(count for count, _digest in before.values()), before  # the drill really had data
    print("upgrade drill:", {label: count for label, (count, _digest) in before.items()})
    assert after == before
    # The volume is still the one published, byte for byte.
    build.refresh_from_db()
    assert build.is_published
    with build.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == build.sha256


def test_the_previous_release_state_names_every_app_and_real_migrations():
    base = Path(django_settings.BASE_DIR).resolve()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    own_apps = {
        app
        for (app, _name), migration in loader.disk_migrations.items()
        if Path(sys.modules[migration.__module__].__file__).resolve().is_relative_to(base)
        and ".venv" not in Path(sys.modules[migration.__module__].__file__).parts
    }
    assert set(SUPPORTED_SINCE) == own_apps  # a new app is added here (None: not in the previous release)
    for app, name in SUPPORTED_SINCE.items():
        assert name is None or (app, name) in loader.disk_migrations, f"{app}.{name}"
