"""Upgrades: the oldest database state this code still upgrades from.

SUPPORTED_SINCE is the previous release's state: the last migration of each of the portal's apps at
commit c245b66 (the release with messages to audiences, issue #20), None for an app it did not
have yet. A database at that state or later upgrades with `manage.py migrate`; an older one goes
through that release first. The upgrade drill (tests/workshop_portal/test_upgrade_drill.py) takes
the demo back to this state and forward again and checks that nothing was lost or changed.

When a release lands, its leaf migrations become the new SUPPORTED_SINCE:

    git show RELEASE:APP/migrations/   # the highest-numbered file of each app
"""

from django.db.migrations.executor import MigrationExecutor

PREVIOUS_RELEASE = "c245b66"

SUPPORTED_SINCE: dict[str, str | None] = {
    "workshop_portal": "0009_workshop_contact_email",
    "audit": None,
    "communications": "0003_messages",
    "registrations": "0004_pending_endorsement_and_expert",
    "worksessions": "0001_initial",
    "presentations": "0008_web_copy_downsampled",
    "reports": "0004_reminder_settings",
    "delegations": "0002_letters_and_visa_requests",
    "documents": "0001_initial",
    "outcomes": None,
    "api": None,
}


def migrate_to(connection, targets: list[tuple[str, str | None]]) -> None:
    """Apply or unapply migrations, as `manage.py migrate APP NAME` does, to reach `targets`
    ((app, None) unapplies all of an app's migrations)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets, plan=executor.migration_plan(targets))


def supported_since_targets() -> list[tuple[str, str | None]]:
    return list(SUPPORTED_SINCE.items())


def current_targets(connection) -> list[tuple[str, str]]:
    """Every app's latest migration: the state this code runs on."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
