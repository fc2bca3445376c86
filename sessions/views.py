from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from sessions.calendar import programme_calendar
from sessions.selectors import programme, programme_sessions, segment_contents
from workshop_portal.page_cache import ALL, Fragment, anonymous_page, cached, page_key, workshop_scope
from workshop_portal.selectors import workshop_get_published_cached


@require_safe
def workshop_programme(request, slug):
    """Public: a published workshop and its programme."""
    workshop = workshop_get_published_cached(slug=slug)
    scopes = (workshop_scope(workshop.pk), ALL)

    def page(**context) -> tuple[str, None]:
        context.update(
            workshop=workshop,
            # Lazy: read only when the cached programme section is missing.
            sessions=SimpleLazyObject(lambda: programme(workshop=workshop)),
            programme_section=Fragment(page_key("programme-section", workshop.pk), scopes),
        )
        return render_to_string("sessions/workshop_programme.html", context, request), None

    # An anonymous visitor gets the page every such visitor gets, from the cache; the registration
    # phase it explains moves with the clock, so it is part of the key.
    key = page_key("programme", workshop.pk, workshop.registration_phase, request.path)
    return anonymous_page(request, key=key, scopes=scopes, render=page) or HttpResponse(page()[0])


@require_safe
def workshop_programme_ics(request, slug):
    """Public: the programme as an iCalendar download."""
    workshop = workshop_get_published_cached(slug=slug)

    def calendar() -> tuple[str, None]:
        sessions = programme_sessions(workshop=workshop)
        url = request.build_absolute_uri(workshop.get_absolute_url())
        domain = request.get_host().split(":")[0]
        contents = segment_contents(workshop=workshop)
        return programme_calendar(workshop=workshop, sessions=sessions, url=url, domain=domain, contents=contents), None

    key = page_key("programme-ics", workshop.pk, request.scheme, request.get_host())
    body = cached(key, (workshop_scope(workshop.pk), ALL), calendar)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-programme.ics"'
    return response


@require_safe
def session_ics(request, slug, pk):
    """Public: one working session of a published workshop as an iCalendar download."""
    workshop = workshop_get_published_cached(slug=slug)

    def calendar() -> tuple[str, None]:
        sessions = programme_sessions(workshop=workshop).filter(pk=pk)
        if not sessions:
            return None, None
        url = request.build_absolute_uri(workshop.get_absolute_url()) + f"#session-{pk}"
        domain = request.get_host().split(":")[0]
        contents = segment_contents(workshop=workshop)
        return programme_calendar(workshop=workshop, sessions=sessions, url=url, domain=domain, contents=contents), None

    key = page_key("session-ics", workshop.pk, pk, request.scheme, request.get_host())
    body = cached(key, (workshop_scope(workshop.pk), ALL), calendar)
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-session-{pk}.ics"'
    return response
