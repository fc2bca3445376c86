"""{% participant_items people head_label %}: the lines of one group of the list of participants.

The list is the portal's longest page (a line per delegate, hundreds at a large workshop). Each
line rendered by a template loop costs a dozen nodes (the name and position in their <bdi>, the
comma of the language, the head of delegation's badge); here it is one f-string, with the same
markup, escaped by workshop_portal.bidi.bdi. The badge's label is translated in the template.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from workshop_portal.bidi import bdi, list_separator

register = template.Library()


@register.simple_tag
def participant_items(people, head_label) -> SafeString:
    """`<li><strong><bdi>name</bdi></strong>, <bdi>position</bdi> [badge]</li>` for each person
    (registrations.selectors.ListedParticipant), one a line."""
    comma = list_separator()
    head = f' <span class="badge text-bg-light border">{conditional_escape(head_label)}</span>'
    return SafeString(
        "\n".join(
            f"<li><strong>{bdi(person.display_name)}</strong>"
            f"{comma + bdi(person.position) if person.position else ''}"
            f"{head if person.delegation_role == 'head' else ''}</li>"
            for person in people
        )
    )
