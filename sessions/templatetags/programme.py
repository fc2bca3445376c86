"""{% programme_segments session.segments %}: the segments of one session of the programme page.

A programme has four segments a session and a line per accepted presentation (hundreds at a large
workshop); rendered by nested template loops each line costs a dozen nodes. Here the lines are
f-strings with the same markup, each value escaped (workshop_portal.bidi) as the template did.
"""

import itertools
from operator import attrgetter

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

# _escaped: Django's conditional_escape without its lazy-text wrappers, for each line of a long programme.
from workshop_portal.bidi import _escaped, bdi, join_html, list_separator
from workshop_portal.dates import format_day_with_weekday

register = template.Library()


def _presentations(presentations, comma: str) -> str:
    """`<ul>` of a segment's presentations: the title, then the presenter and their delegation
    (sessions.selectors.ProgrammeSegment.accepted_presentations)."""
    if not presentations:
        return ""
    lines = "".join(
        f'\n            <li><bdi class="fw-semibold">{_escaped(presentation.title)}</bdi> — '
        f"{join_html((presentation.presenter_name, presentation.delegation_parts), comma)}</li>"
        for presentation in presentations
    )
    return f'\n          <ul class="presentation-list">{lines}\n          </ul>'


@register.simple_tag
def programme_segments(segments) -> SafeString:
    """The `<li>` of each segment (sessions.selectors.ProgrammeSegment): its times, its title and
    its presentations."""
    comma = list_separator()
    return SafeString(
        "".join(
            f'\n  <li><span class="session-time">{_escaped(segment.time_range)}</span>\n'
            f"    <span>{_escaped(segment.display_title)}"
            f"{_presentations(segment.accepted_presentations, comma)}\n    </span>\n  </li>"
            for segment in segments
        )
    )


def _session_people(session, room: str, chair: str, rapporteur: str) -> str:
    """The line under a session's title: its room, chair and rapporteur, those it has, with " · "
    between them (the whitespace as the template had it)."""
    parts = [
        f"{room}: {bdi(session.room)}" if session.room else "",
        f"{' · ' if session.room else ''}{chair}: {bdi(session.chair)}" if session.chair else "",
        f"{' · ' if session.room or session.chair else ''}{rapporteur}: {bdi(session.rapporteur)}"
        if session.rapporteur
        else "",
    ]
    return "\n              ".join(parts)


@register.simple_tag
def programme_days(sessions, slug) -> SafeString:
    """The programme's days (sessions.selectors.ProgrammeSession, in programme order), each with
    its sessions as cards, each card with its segments: one tag rather than template loops, whose
    nodes (translations, URLs, filters) a programme of dozens of sessions renders once each."""
    # The labels are the same for every session of the page: translated once.
    labels = tuple(map(_escaped, (gettext("Room"), gettext("Chair"), gettext("Rapporteur"))))
    add_to_calendar = _escaped(gettext("Add this session to a calendar (ICS)"))

    def calendar_url(pk) -> str:
        return reverse("worksessions:session_ics", args=[slug, pk])

    days = []
    for day, day_sessions in itertools.groupby(sessions, key=attrgetter("date")):
        cards = "".join(
            f"""
        <article class="card mb-3" id="session-{session.pk}">
          <div class="card-body">
            <div class="d-flex flex-wrap justify-content-between gap-2">
              <h4 class="h6 card-title mb-1">{_escaped(session.display_title)}</h4>
              <span class="session-time fw-semibold">{_escaped(session.time_range)}</span>
            </div>
            <p class="card-text small text-body-secondary mb-2">
              {_session_people(session, *labels)}
            </p>
            <ol class="segment-list">{programme_segments(session.segments)}
            </ol>
            <a class="small" href="{escape(calendar_url(session.pk))}">{add_to_calendar}</a>
          </div>
        </article>"""
            for session in day_sessions
        )
        days.append(
            f"""
    <div class="programme-day">
      <h3 class="h5 border-bottom pb-1">{_escaped(format_day_with_weekday(day))}</h3>{cards}
    </div>"""
        )
    return SafeString("".join(days))
