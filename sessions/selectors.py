"""Reads of the programme, shaped so a page costs the same number of queries at any size."""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from sessions.models import Segment, WorkingSession
from workshop_portal.models import MemberState, User, Workshop

# What the apps above this one show in each segment of the programme page (presentations: the
# accepted ones, as segment.accepted_presentations): each a function of the workshop that returns
# {segment pk: [items]} in one query. Filled from their AppConfig.ready: this app does not know
# the apps that build on it.
_segment_contents: list[Callable[[Workshop], dict[int, list]]] = []


def add_segment_contents(contents: Callable[[Workshop], dict[int, list]]) -> None:
    if contents not in _segment_contents:
        _segment_contents.append(contents)


def segment_contents(*, workshop: Workshop) -> dict[int, list]:
    """What the apps above show in each of the workshop's segments ({segment pk: [items]}; the
    accepted presentations, each with its title and presenter): one query per app above."""
    contents: dict[int, list] = {}
    for read in _segment_contents:
        for segment_pk, items in read(workshop).items():
            contents.setdefault(segment_pk, []).extend(items)
    return contents


def programme_sessions(*, workshop: Workshop) -> QuerySet[WorkingSession]:
    """A workshop's sessions in programme order, each with its country, rapporteur and segments
    (the calendar: model instances, without what the apps above show in each segment)."""
    # Through the related manager, each session knows its workshop without a query of its own.
    return (
        workshop.working_sessions.select_related("country", "rapporteur")
        .prefetch_related(Prefetch("segments", queryset=Segment.objects.order_by("order")))
        .order_by("date", "start_time", "order", "pk")
    )


@dataclass
class ProgrammeSegment:
    """What the programme page shows of a segment; its title and times as Segment has them."""

    pk: int
    kind: str
    title: str
    start_time: datetime.time
    end_time: datetime.time
    accepted_presentations: list = field(default_factory=list)

    display_title = Segment.display_title
    time_range = Segment.time_range


@dataclass
class ProgrammeSession:
    """What the programme page shows of a working session; its title and times as WorkingSession has them."""

    pk: int
    kind: str
    title: str
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    room: str
    chair: str
    country: MemberState | None
    rapporteur: User | None
    segments: list[ProgrammeSegment] = field(default_factory=list)

    @property
    def country_id(self):
        return self.country and self.country.code

    display_title = WorkingSession.display_title
    time_range = WorkingSession.time_range


_SESSION_COLUMNS = (
    "pk", "kind", "title", "date", "start_time", "end_time", "room", "chair", "country__code",
    "rapporteur_id", "rapporteur__first_name", "rapporteur__last_name", "rapporteur__email",
    "segments__pk", "segments__kind", "segments__title", "segments__start_time", "segments__end_time",
)  # fmt: skip


@functools.cache
def _programme_rows() -> QuerySet[WorkingSession]:
    """Every session's programme columns and its segments', in programme order: the read's shape,
    built once a process (its joins and columns cost more to set up than the query takes to run);
    each workshop filters a copy."""
    return WorkingSession.objects.order_by("date", "start_time", "order", "pk", "segments__order").values_list(
        *_SESSION_COLUMNS
    )


def programme(*, workshop: Workshop) -> list[ProgrammeSession]:
    """The programme page's sessions in programme order, each with its segments in order and what
    the apps above show in each. Read as values (a session and its segments in one query, then
    one query per app above): a programme of hundreds of presentations builds no model instance
    for each row, only the few columns the page shows."""
    rows = _programme_rows().filter(workshop=workshop)
    sessions: dict[int, ProgrammeSession] = {}
    segments: dict[int, ProgrammeSegment] = {}
    for (pk, kind, title, date, start, end, room, chair, country, rapporteur_id, first, last, email,
         segment_pk, *segment) in rows:  # fmt: skip
        session = sessions.get(pk)
        if session is None:
            session = sessions[pk] = ProgrammeSession(
                pk=pk, kind=kind, title=title, date=date, start_time=start, end_time=end, room=room, chair=chair,
                country=MemberState(code=country) if country else None,
                rapporteur=User(pk=rapporteur_id, first_name=first, last_name=last, email=email)
                if rapporteur_id
                else None,
            )  # fmt: skip
        if segment_pk is not None:
            segments[segment_pk] = ProgrammeSegment(segment_pk, *segment)
            session.segments.append(segments[segment_pk])
    if segments:
        for contents in _segment_contents:
            for segment_pk, items in contents(workshop).items():
                if segment_pk in segments:
                    segments[segment_pk].accepted_presentations = items
    return list(sessions.values())
