"""Reads for the feeds: a workshop's schedule in a fixed number of queries at any size."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max

from presentations.enums import ACTIVE_STATUSES, PresentationStatus
from presentations.models import Presentation
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from sessions.models import Segment, WorkingSession
from sessions.selectors import programme_sessions
from workshop_portal.models import Workshop


@dataclass
class SchedulePerson:
    pk: int
    name: str


@dataclass
class ScheduleItem:
    """One event of the feeds: a presentation, or a segment that has none (a discussion, or a
    segment whose presentations are not accepted yet)."""

    kind: str  # "presentation" or "segment"
    pk: int
    title: str
    abstract: str
    session: WorkingSession
    segment: Segment
    starts_at: datetime.datetime
    duration: datetime.timedelta
    persons: list[SchedulePerson] = field(default_factory=list)


def _presentations_by_segment(workshop: Workshop) -> dict[int, list[dict]]:
    rows = (
        Presentation.objects.filter(workshop=workshop, status=PresentationStatus.ACCEPTED)
        .order_by("order", "pk")
        .values(
            "pk", "segment_id", "title", "abstract", "presenter_id", "presenter__honorific",
            "presenter__participant_name", "presenter__status", "presenter__consent_to_list",
        )
    )  # fmt: skip
    by_segment: dict[int, list[dict]] = {}
    for row in rows:
        by_segment.setdefault(row["segment_id"], []).append(row)
    return by_segment


def _listed(row: dict) -> list[SchedulePerson]:
    """The presenter, only when they agreed to appear in the list of participants (as the
    published list of participants has it: approved and consenting)."""
    if row["presenter__consent_to_list"] and row["presenter__status"] == RegistrationStatus.APPROVED:
        name = f"{row['presenter__honorific']} {row['presenter__participant_name']}".strip()
        return [SchedulePerson(pk=row["presenter_id"], name=name)]
    return []


def schedule_items(*, workshop: Workshop) -> list[ScheduleItem]:
    """The workshop's programme as timed events, in programme order. A segment's accepted
    presentations share its time in equal parts, in their programme order: the programme gives
    them no times of their own, and a phone app needs one per event."""
    presentations = _presentations_by_segment(workshop)
    items = []
    for session in programme_sessions(workshop=workshop):
        for segment in session.segments.all():
            starts_at = workshop.local_datetime(session.date, segment.start_time)
            rows = presentations.get(segment.pk, [])
            if not rows:
                items.append(
                    ScheduleItem("segment", segment.pk, str(segment.display_title), "", session, segment, starts_at,
                                 segment.duration)
                )  # fmt: skip
                continue
            # Whole minutes (Frab durations are HH:MM); the last one takes what rounding leaves.
            share = datetime.timedelta(minutes=segment.duration // datetime.timedelta(minutes=1) // len(rows))
            for index, row in enumerate(rows):
                start = starts_at + share * index
                duration = share if index < len(rows) - 1 else starts_at + segment.duration - start
                items.append(
                    ScheduleItem("presentation", row["pk"], row["title"], row["abstract"], session, segment, start,
                                 duration, _listed(row))
                )  # fmt: skip
    return items


def schedule_last_modified(*, workshop: Workshop) -> datetime.datetime:
    """The latest change the feeds show: the workshop's own, or a presentation's (sessions and
    segments keep no time of change; their saves renew the cached feed and its ETag)."""
    presentations = Presentation.objects.filter(workshop=workshop).aggregate(latest=Max("updated_at"))["latest"]
    # A presenter's consent to be listed shows in the feeds too.
    registrations = Registration.objects.filter(workshop=workshop).aggregate(latest=Max("updated_at"))["latest"]
    return max(filter(None, (workshop.updated_at, presentations, registrations)))


# --- A person's own calendar ----------------------------------------------------------------

PERSONAL_REGISTRATION_STATUSES = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED)


def personal_workshops(*, user) -> list[Workshop]:
    """The published workshops the person is registered for (submitted or approved)."""
    return list(
        Workshop.objects.published()
        .filter(registrations__user=user, registrations__status__in=PERSONAL_REGISTRATION_STATUSES)
        .distinct()
        .order_by("start_date", "pk")
    )


def personal_presentations(*, user) -> list[Presentation]:
    """The person's presentations still in play (draft, submitted, accepted) in published workshops,
    each with its segment, session and workshop: the sessions they present in."""
    return list(
        Presentation.objects.filter(
            presenter__user=user,
            status__in=ACTIVE_STATUSES,
            presenter__status__in=PERSONAL_REGISTRATION_STATUSES,
            workshop__is_published=True,
        )
        .select_related("segment__session__country", "segment__session__workshop")
        .order_by("segment__session__date", "segment__start_time", "pk")
    )
