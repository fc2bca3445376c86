"""Writes to the programme. Every rule that spans rows is checked here, under a workshop lock."""

import datetime
from collections.abc import Iterable
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sessions.models import Segment, WorkingSession
from workshop_portal.dates import format_time
from workshop_portal.models import Workshop

SEGMENT_GRID_MINUTES = 5


def _lock_workshop(workshop_id: int) -> Workshop:
    # Serialises programme changes per workshop, so cross-session rules cannot race.
    return Workshop.objects.select_for_update().get(pk=workshop_id)


def segment_times_split(
    start: datetime.time, end: datetime.time, parts: int
) -> list[tuple[datetime.time, datetime.time]]:
    """Divide a session's span into `parts` back-to-back slots, on a 5-minute grid where it fits."""
    day = datetime.date(2000, 1, 1)
    start_dt = datetime.datetime.combine(day, start)
    total = int((datetime.datetime.combine(day, end) - start_dt).total_seconds() // 60)
    grid = SEGMENT_GRID_MINUTES if total >= SEGMENT_GRID_MINUTES * parts else 1
    bounds = [round(total * n / parts / grid) * grid for n in range(parts)] + [total]
    return [
        (
            (start_dt + datetime.timedelta(minutes=bounds[n])).time(),
            (start_dt + datetime.timedelta(minutes=bounds[n + 1])).time(),
        )
        for n in range(parts)
    ]


@transaction.atomic
def working_session_create(*, session: WorkingSession) -> WorkingSession:
    """Save a new session and lay out the segments its kind is made of, in order.

    A country session gets the four segments of the explanatory note; the special session its
    three. Their times divide the session evenly; organisers adjust them afterwards.
    """
    _lock_workshop(session.workshop_id)
    session.full_clean()
    plan = session.segment_plan
    slots = segment_times_split(session.start_time, session.end_time, len(plan))
    if any(end <= start for start, end in slots):
        raise ValidationError(
            {"end_time": _("The session is too short to hold its %(count)d segments.") % {"count": len(plan)}}
        )
    session.save()
    Segment.objects.bulk_create(
        Segment(session=session, kind=kind, order=position, start_time=start, end_time=end)
        for position, (kind, (start, end)) in enumerate(zip(plan, slots, strict=True), start=1)
    )
    return session


@transaction.atomic
def working_session_update(*, session: WorkingSession, segments: Iterable[Segment] | None = None) -> WorkingSession:
    """Save changes to a session and, optionally, to its segments, keeping every segment inside it.

    `segments` are the session's segments with their new times (the admin's inline rows); the
    saved ones are checked when none are given.
    """
    _lock_workshop(session.workshop_id)
    session.full_clean()
    segments = list(segments) if segments is not None else list(session.segments.all())
    for segment in segments:
        segment.session = session
        segment.full_clean()
    segments_check_overlap(segments)
    session.save()
    for segment in segments:
        segment.save()
    return session


def segments_check_overlap(segments: Iterable[Segment]) -> None:
    """Segments of one session follow each other in their order, without overlapping."""
    ordered = sorted(segments, key=lambda s: s.order)
    for previous, current in pairwise(ordered):
        if current.start_time < previous.end_time:
            raise ValidationError(
                _("“%(current)s” starts at %(start)s, before “%(previous)s” ends at %(end)s.")
                % {
                    "current": current.display_title,
                    "start": format_time(current.start_time),
                    "previous": previous.display_title,
                    "end": format_time(previous.end_time),
                }
            )
