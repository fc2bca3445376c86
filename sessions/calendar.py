"""The programme as an iCalendar file (RFC 5545), one event per working session."""

from collections.abc import Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.models import WorkingSession
from workshop_portal.models import Workshop


def programme_calendar(*, workshop: Workshop, sessions: Iterable[WorkingSession], url: str, domain: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Workshop portal//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", workshop.title)
    stamp = timezone.now()
    location = ", ".join(part for part in (workshop.venue, workshop.city) if part)
    for session in sessions:
        event = icalendar.Event()
        # Stable across downloads, so calendar apps update events instead of duplicating them.
        event.add("uid", f"{workshop.slug}-session-{session.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", str(session.display_title))
        event.add("location", f"{session.room}, {location}" if session.room else location)
        event.add("url", url)
        lines = []
        if session.chair:
            lines.append(_("Chair: %(name)s") % {"name": session.chair})
        lines.extend(f"{segment.time_range} {segment.display_title}" for segment in session.segments.all())
        if lines:
            event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()
