"""What a save or deletion of a registration changes in the page cache (workshop_portal/page_cache.py):
its workshop's pages (the list of participants) and its person's own (their dashboard)."""

from workshop_portal.page_cache import invalidated_by, person_scopes, workshop_scope


def _registration_scopes(registration):
    return (workshop_scope(registration.workshop_id), *person_scopes([registration.user_id]))


def register() -> None:
    """From RegistrationsConfig.ready()."""
    invalidated_by("registrations.Registration", _registration_scopes)
