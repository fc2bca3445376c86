"""Reads of the programme, shaped so a page costs the same number of queries at any size."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from sessions.models import Segment, WorkingSession
from workshop_portal.models import Workshop


def workshop_get_published(*, slug: str) -> Workshop:
    return get_object_or_404(
        Workshop.objects.published().select_related("host_institution", "host_institution__member_state"), slug=slug
    )


def programme_sessions(*, workshop: Workshop) -> QuerySet[WorkingSession]:
    """A workshop's sessions in programme order, each with its country, rapporteur and segments."""
    # Through the related manager, each session knows its workshop without a query of its own.
    return (
        workshop.working_sessions.select_related("country", "rapporteur")
        .prefetch_related(Prefetch("segments", queryset=Segment.objects.order_by("order")))
        .order_by("date", "start_time", "order", "pk")
    )
