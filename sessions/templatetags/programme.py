"""{% programme_segments session.segments %}: the segments of one session of the programme page.

A programme has four segments a session and a line per accepted presentation (hundreds at a large
workshop); rendered by nested template loops each line costs a dozen nodes. Here the lines are
f-strings with the same markup, each value escaped (workshop_portal.bidi) as the template did.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from workshop_portal.bidi import join_html, list_separator

register = template.Library()


def _presentations(presentations, comma: str) -> str:
    """`<ul>` of a segment's presentations: the title, then the presenter and their delegation
    (sessions.selectors.ProgrammeSegment.accepted_presentations)."""
    if not presentations:
        return ""
    lines = "".join(
        f'\n            <li><bdi class="fw-semibold">{conditional_escape(presentation.title)}</bdi> — '
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
            f'\n  <li><span class="session-time">{conditional_escape(segment.time_range)}</span>\n'
            f"    <span>{conditional_escape(segment.display_title)}"
            f"{_presentations(segment.accepted_presentations, comma)}\n    </span>\n  </li>"
            for segment in segments
        )
    )
