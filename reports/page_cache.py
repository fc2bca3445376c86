"""What a save or deletion of a proceedings build changes in the page cache (workshop_portal/page_cache.py).
A build under way changes in place without a signal: the pages that show one keep it only until
it ends (their `valid_until`)."""

from workshop_portal.page_cache import PROCEEDINGS, invalidated_by


def register() -> None:
    """From ReportsConfig.ready()."""
    invalidated_by("reports.ProceedingsBuild", lambda build: (PROCEEDINGS,))
