"""Reads of the programme, shaped so a page costs the same number of queries at any size."""

from django.apps import apps
from django.db.models import Prefetch, QuerySet

from sessions.models import Segment, WorkingSession
from workshop_portal.models import Workshop


def _accepted_presentations():
    # The presentations app builds on this one, so it is read through the app registry, not imported.
    presentation = apps.get_model("presentations", "Presentation")
    return (
        presentation.objects.filter(status="accepted")
        .select_related("presenter__member_state", "presenter__institution")
        .order_by("order", "pk")
    )


def programme_sessions(*, workshop: Workshop, with_presentations: bool = True) -> QuerySet[WorkingSession]:
    """A workshop's sessions in programme order, each with its country, rapporteur and segments
    (and the segments' accepted presentations, unless not wanted)."""
    # Through the related manager, each session knows its workshop without a query of its own.
    prefetches = [Prefetch("segments", queryset=Segment.objects.order_by("order"))]
    if with_presentations:
        prefetches.append(
            Prefetch("segments__presentations", queryset=_accepted_presentations(), to_attr="accepted_presentations")
        )
    return (
        workshop.working_sessions.select_related("country", "rapporteur")
        .prefetch_related(*prefetches)
        .order_by("date", "start_time", "order", "pk")
    )
