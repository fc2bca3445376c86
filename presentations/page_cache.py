"""What a change of this app's records changes in the page cache (workshop_portal/page_cache.py):
a presentation shows on its workshop's programme and on its presenter's dashboard; an uploaded
file (its versions, conversion status) on its presenter's dashboard."""

from collections.abc import Iterable

from presentations.models import Presentation
from registrations.models import Registration
from workshop_portal.page_cache import changed, invalidated_by, person_scopes, workshop_scope


def _presenters(**presentations) -> list[str]:
    """The person scopes of the presenters of the presentations matching `presentations`."""
    users = Presentation.objects.filter(**presentations).values_list("presenter__user_id", flat=True)
    return person_scopes(users)


def presentation_files_changed(file_ids: Iterable[int]) -> None:
    """For the services that change uploaded files with queryset.update (their conversion)."""
    scopes = _presenters(files__pk__in=list(file_ids))
    if scopes:
        changed(*scopes)


def _presentation_scopes(presentation):
    # By its presenter's key: a presentation deleted with its registration may no longer reach it.
    users = Registration.objects.filter(pk=presentation.presenter_id).values_list("user_id", flat=True)
    return (workshop_scope(presentation.workshop_id), *person_scopes(users))


def _file_scopes(version):
    # By its presentation: a deleted file's row is gone already.
    return _presenters(pk=version.presentation_id)


def register() -> None:
    """From PresentationsConfig.ready()."""
    invalidated_by("presentations.Presentation", _presentation_scopes)
    invalidated_by("presentations.PresentationFile", _file_scopes)
