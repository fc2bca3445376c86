"""Reads of the programme, shaped so a page costs the same number of queries at any size."""

from collections.abc import Callable

from django.db.models import Prefetch, QuerySet

from sessions.models import Segment, WorkingSession
from workshop_portal.models import Workshop

# What the apps above this one show in each segment of the programme (presentations: the accepted
# ones, as segment.accepted_presentations), each a Prefetch from the segments reached through the
# given path. Filled from their AppConfig.ready: this app does not know the apps that build on it.
_segment_contents: list[Callable[[str], Prefetch]] = []


def add_segment_contents(prefetch: Callable[[str], Prefetch]) -> None:
    if prefetch not in _segment_contents:
        _segment_contents.append(prefetch)


def programme_sessions(*, workshop: Workshop, with_presentations: bool = True) -> QuerySet[WorkingSession]:
    """A workshop's sessions in programme order, each with its country, rapporteur and segments
    (and what the apps above show in each segment, unless not wanted)."""
    # Through the related manager, each session knows its workshop without a query of its own.
    prefetches = [Prefetch("segments", queryset=Segment.objects.order_by("order"))]
    if with_presentations:
        prefetches.extend(contents("segments") for contents in _segment_contents)
    return (
        workshop.working_sessions.select_related("country", "rapporteur")
        .prefetch_related(*prefetches)
        .order_by("date", "start_time", "order", "pk")
    )
