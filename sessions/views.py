from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from sessions.caching import anonymous_programme_page, cache_get, cache_set, programme_cache_key
from sessions.calendar import programme_calendar
from sessions.selectors import programme_sessions, workshop_get_published


@require_safe
def workshop_programme(request, slug):
    """Public: a published workshop and its programme."""

    def page(**context) -> str:
        workshop = workshop_get_published(slug=slug)
        context.update(
            workshop=workshop,
            # Lazy: read only when the cached programme section is missing (sessions/caching.py).
            sessions=programme_sessions(workshop=workshop),
            programme_section_key=programme_cache_key("section", workshop.pk),
        )
        return render_to_string("sessions/workshop_programme.html", context, request)

    # An anonymous visitor gets the page every such visitor gets, from the cache.
    return anonymous_programme_page(request, slug=slug, render=page) or HttpResponse(page())


@require_safe
def workshop_programme_ics(request, slug):
    """Public: the programme as an iCalendar download."""
    workshop = workshop_get_published(slug=slug)
    key = programme_cache_key("ics", workshop.pk, request.scheme, request.get_host())
    body = cache_get(key)
    if body is None:
        body = programme_calendar(
            workshop=workshop,
            sessions=programme_sessions(workshop=workshop, with_presentations=False),
            url=request.build_absolute_uri(workshop.get_absolute_url()),
            domain=request.get_host().split(":")[0],
        )
        cache_set(key, body)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-programme.ics"'
    return response
