"""Every data migration (RunPython) can be reversed, or says here why not."""

import sys
from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

# (app, migration): why it has no reverse. Empty today: every RunPython has reverse_code.
BASE_DIR = Path(settings.BASE_DIR).resolve()
NO_REVERSE: dict[tuple[str, str], str] = {}


def _run_python_operations():
    """The RunPython operations of the portal's own migrations (not Django's or a library's)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        path = Path(sys.modules[migration.__module__].__file__).resolve()
        if not path.is_relative_to(BASE_DIR) or ".venv" in path.parts:
            continue
        for operation in migration.operations:
            if isinstance(operation, migrations.RunPython):
                yield app, name, operation


def test_every_run_python_has_a_reverse_or_a_reason():
    found = list(_run_python_operations())
    assert found  # the walk really sees the portal's data migrations
    missing = [f"{app}.{name}" for app, name, operation in found if operation.reverse_code is None]
    assert sorted(set(missing) - {f"{app}.{name}" for app, name in NO_REVERSE}) == []


def test_every_listed_reason_names_a_data_migration_without_a_reverse():
    # A stale entry would excuse a future migration of the same name: each must still apply.
    without = {(app, name) for app, name, operation in _run_python_operations() if operation.reverse_code is None}
    for key, reason in NO_REVERSE.items():
        assert key in without, key
        assert reason.strip(), key
