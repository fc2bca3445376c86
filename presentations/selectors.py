import functools
from typing import NamedTuple

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from presentations.enums import ACTIVE_STATUSES, PresentationStatus
from presentations.models import Presentation, PresentationFile
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from sessions.models import Segment
from workshop_portal.models import INSTITUTION_NAME_FIELDS, Institution, User, Workshop, member_state_name


def presentation_get_own(*, user: User, pk: int) -> Presentation | None:
    """The presenter's own presentation; anyone else's is as good as missing (404, not 403)."""
    return (
        Presentation.objects.filter(pk=pk, presenter__user=user)
        .select_related("workshop", "presenter", "segment__session__country", "presenter__member_state")
        .prefetch_related(Prefetch("files", queryset=PresentationFile.objects.order_by("-version")))
        .first()
    )


def workshop_segments(*, workshop_id: int) -> QuerySet[Segment]:
    return (
        Segment.objects.filter(session__workshop_id=workshop_id)
        .select_related("session__country", "session__workshop")
        .order_by("session__date", "session__start_time", "session__order", "order")
    )


def presentation_file_may_download(*, user: User, version: PresentationFile) -> bool:
    """Who may download a file: its presenter, organisers and secretariat, and, once the
    presentation is accepted and the workshop shares presentations, its approved participants."""
    if not user.is_authenticated:
        return False
    presentation = version.presentation
    if presentation.presenter.user_id == user.pk or user.has_perm("presentations.view_presentationfile"):
        return True
    if presentation.status != PresentationStatus.ACCEPTED or not presentation.workshop.share_presentations:
        return False
    return Registration.objects.filter(
        workshop_id=presentation.workshop_id, user=user, status=RegistrationStatus.APPROVED
    ).exists()


# What the programme shows of a presentation: its title, and its presenter's name and delegation
# (as Registration.display_name and .delegation_parts have them). Only these columns, as values: a
# registration has two dozen (contact, travel, dietary and access needs, badge...) that a programme
# of hundreds would read for nothing, and a programme builds no model instance per presentation.
_PROGRAMME_COLUMNS = (
    "segment_id", "title", "presenter__honorific", "presenter__participant_name", "presenter__member_state__code",
    "presenter__institution_id", *(f"presenter__institution__{name}" for name in INSTITUTION_NAME_FIELDS),
)  # fmt: skip


class ProgrammePresentation(NamedTuple):
    """One accepted presentation as the programme shows it."""

    title: str
    presenter_name: str
    delegation_parts: tuple[str, ...]


@functools.cache
def _accepted_programme_rows() -> QuerySet[Presentation]:
    """Every accepted presentation's programme columns, in order: the read's shape, built once a
    process (its joins and columns cost more to set up than the query takes to run); each workshop
    filters a copy."""
    return (
        Presentation.objects.filter(status=PresentationStatus.ACCEPTED)
        .order_by("order", "pk")
        .values_list(*_PROGRAMME_COLUMNS)
    )


def programme_presentations(workshop: Workshop) -> dict[int, list[ProgrammePresentation]]:
    """For the programme (sessions/selectors.py): a workshop's accepted presentations by segment,
    in order. One query; each state's and institution's name worked out once, not once a line."""
    states: dict[str, str] = {}
    institutions: dict[int, str] = {}
    by_segment: dict[int, list[ProgrammePresentation]] = {}
    rows = _accepted_programme_rows().filter(workshop=workshop)
    for segment_id, title, honorific, name, state_code, institution_id, *names in rows:
        parts = []
        if institution_id:
            short_name = institutions.get(institution_id)
            if short_name is None:
                institution = Institution(pk=institution_id, **dict(zip(INSTITUTION_NAME_FIELDS, names, strict=True)))
                short_name = institutions[institution_id] = institution.short_name
            parts.append(short_name)
        if state_code:
            state = states.get(state_code)
            if state is None:
                state = states[state_code] = member_state_name(state_code)
            parts.append(state)
        presentation = ProgrammePresentation(title, f"{honorific} {name}".strip(), tuple(parts))
        by_segment.setdefault(segment_id, []).append(presentation)
    return by_segment


_DASHBOARD_PRESENTATION_FIELDS = (
    "presenter", "title", "status", "segment", "segment__kind", "segment__title", "segment__session",
    "segment__session__kind", "segment__session__title", "segment__session__country", "segment__session__country__code",
)  # fmt: skip


def registration_presentations() -> list[Prefetch | str]:
    """For a person's registrations on their dashboard (registrations/selectors.py): each one's
    presentations with their segment and session, and the conversion status of the latest file
    version (latest_conversion_status, None before the first upload), read with the presentations
    rather than every version of every file in a query of its own."""
    versions = PresentationFile.objects.filter(presentation=OuterRef("pk")).order_by("-version")
    latest = versions.values("conversion_status")
    presentations = (
        Presentation.objects.select_related("segment__session__country")
        # What the dashboard shows of each, its segment and session (the whole rows: some forty columns more).
        .only(*_DASHBOARD_PRESENTATION_FIELDS)
        .annotate(latest_conversion_status=Subquery(latest[:1]))
        .order_by("segment__order", "order")
    )
    return [Prefetch("presentations", queryset=presentations)]


# --- Audience of a scheduled reminder (reports/reminders.py) ------------------------------------


def reminder_presenters_without_file(*, workshop: Workshop) -> dict[User, list[Presentation]]:
    """Each approved presenter of `workshop` (with `reminder_address`) and their presentations that
    still count (draft, submitted, accepted) and have no file yet: whom "the upload deadline is
    near" is for. One query."""
    presentations = (
        Presentation.objects.filter(
            workshop=workshop,
            status__in=ACTIVE_STATUSES,
            presenter__status=RegistrationStatus.APPROVED,
            presenter__user__is_active=True,
            files__isnull=True,
        )
        .select_related("presenter__user")
        .order_by("presenter__user_id", "pk")
    )
    people: dict[User, list[Presentation]] = {}
    for presentation in presentations:
        user = presentation.presenter.user
        # The registration's contact address, as every email about it uses, else the account's.
        user.reminder_address = presentation.presenter.email or user.email
        people.setdefault(user, []).append(presentation)
    return people
