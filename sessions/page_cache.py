"""What a save or deletion of this app's records changes in the page cache (workshop_portal/page_cache.py):
a session or a segment shows in the list of workshops and on its workshop's pages."""

from sessions.models import WorkingSession
from workshop_portal.page_cache import WORKSHOPS, invalidated_by, workshop_scope


def _session_scopes(session):
    return (WORKSHOPS, workshop_scope(session.workshop_id))


def _segment_scopes(segment):
    # Read by its key: a segment deleted with its session may no longer reach it.
    workshops = WorkingSession.objects.filter(pk=segment.session_id).values_list("workshop_id", flat=True)
    return (WORKSHOPS, *(workshop_scope(pk) for pk in workshops))


def register() -> None:
    """From WorkingSessionsConfig.ready()."""
    invalidated_by("worksessions.WorkingSession", _session_scopes)
    invalidated_by("worksessions.Segment", _segment_scopes)
