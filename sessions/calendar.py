"""The programme as an iCalendar file (RFC 5545), one event per working session: its chair, its
segments with their times, and under each segment its accepted presentations with their presenters."""

from collections.abc import Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.models import WorkingSession
from workshop_portal.bidi import isolate_text, join_text
from workshop_portal.dates import format_zone
from workshop_portal.models import Workshop


def _presentation_line(item) -> str:
    """A presentation under its segment: its title, its presenter and their delegation (isolated:
    Latin names in an Arabic line)."""
    presenter = join_text([item.presenter_name, *item.delegation_parts])
    return f"  – {isolate_text(item.title)} ({isolate_text(presenter)})" if presenter else f"  – {item.title}"


def programme_calendar(
    *,
    workshop: Workshop,
    sessions: Iterable[WorkingSession],
    url: str,
    domain: str,
    contents: dict[int, list] | None = None,
) -> bytes:
    """`contents`: what each segment shows ({segment pk: [presentations]}, selectors.segment_contents)."""
    contents = contents or {}
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Workshop portal//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", workshop.title)
    stamp = timezone.now()
    location = join_text([workshop.venue, workshop.city])
    # The description's times are the venue's: a calendar app shows the event itself in its reader's zone.
    zone = format_zone(workshop.time_zone, workshop.start_date)
    zone = _("Times are local to the venue (%(zone)s).") % {"zone": zone}
    for session in sessions:
        event = icalendar.Event()
        # Stable across downloads, so calendar apps update events instead of duplicating them.
        event.add("uid", f"{workshop.slug}-session-{session.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", str(session.display_title))
        event.add("location", join_text([session.room, location]))
        event.add("url", url)
        lines = [zone]
        if session.chair:
            # Plain text: a Latin name in an Arabic line needs Unicode isolates, as the location has.
            lines.append(_("Chair: %(name)s") % {"name": isolate_text(session.chair)})
        for segment in session.segments.all():
            lines.append(f"{segment.time_range} {segment.display_title}")
            lines.extend(_presentation_line(item) for item in contents.get(segment.pk, ()))
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()
