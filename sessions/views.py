from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sessions.calendar import programme_calendar
from sessions.selectors import programme_sessions, workshop_get_published


@require_safe
def workshop_programme(request, slug):
    """Public: a published workshop and its programme."""
    workshop = workshop_get_published(slug=slug)
    sessions = programme_sessions(workshop=workshop)
    return render(request, "sessions/workshop_programme.html", {"workshop": workshop, "sessions": sessions})


@require_safe
def workshop_programme_ics(request, slug):
    """Public: the programme as an iCalendar download."""
    workshop = workshop_get_published(slug=slug)
    body = programme_calendar(
        workshop=workshop,
        sessions=programme_sessions(workshop=workshop, with_presentations=False),
        url=request.build_absolute_uri(workshop.get_absolute_url()),
        domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-programme.ics"'
    return response
