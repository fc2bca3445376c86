"""A person's own calendar feed (RFC 5545): the workshops they are registered for, as all-day
events, and the sessions they present in, with their presentation and its segment."""

import datetime

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from presentations.models import Presentation
from workshop_portal.bidi import join_text
from workshop_portal.models import Workshop


def personal_calendar(*, workshops: list[Workshop], presentations: list[Presentation], base_url: str,
                      domain: str) -> bytes:  # fmt: skip
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Workshop portal//My workshops//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("My workshops"))
    stamp = timezone.now()
    for workshop in workshops:
        event = icalendar.Event()
        event.add("uid", f"{workshop.slug}-workshop@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", workshop.start_date)
        event.add("dtend", workshop.end_date + datetime.timedelta(days=1))  # all-day: the day after the last
        event.add("summary", workshop.title)
        event.add("location", join_text([workshop.venue, workshop.city]))
        event.add("url", base_url + workshop.get_absolute_url())
        calendar.add_component(event)
    for presentation in presentations:
        segment = presentation.segment
        session = segment.session
        workshop = session.workshop
        event = icalendar.Event()
        event.add("uid", f"{workshop.slug}-presenting-{presentation.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", workshop.local_datetime(session.date, segment.start_time))
        event.add("dtend", workshop.local_datetime(session.date, segment.end_time))
        event.add("summary", _("Presenting: %(title)s") % {"title": presentation.title})
        event.add("location", join_text([session.room, workshop.venue, workshop.city]))
        event.add("description", "\n".join([str(session.display_title), str(segment.display_title), workshop.title]))
        event.add("url", base_url + workshop.get_absolute_url() + f"#session-{session.pk}")
        calendar.add_component(event)
    return calendar.to_ical()
