"""{% participant_groups groups head_label %}: the delegations of the list of participants.

The list is the portal's longest page (a line per delegate, hundreds at a large workshop, and a
section per member state and institution, dozens). Rendered by nested template loops each section
and each line cost a dozen nodes (headings, the name and position in their <bdi>, the comma of the
language, the head of delegation's badge); here they are f-strings with the same markup, every
value escaped by workshop_portal.bidi.bdi or conditional_escape. The badge's label is translated
in the template.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from workshop_portal.bidi import bdi, list_separator

register = template.Library()


def _items(people, comma: str, head: str) -> str:
    """`<li><strong><bdi>name</bdi></strong>, <bdi>position</bdi> [badge]</li>` for each person
    (registrations.selectors.ListedParticipant), one a line."""
    return "\n".join(
        f"<li><strong>{bdi(person.display_name)}</strong>"
        f"{comma + bdi(person.position) if person.position else ''}"
        f"{head if person.delegation_role == 'head' else ''}</li>"
        for person in people
    )


def _heading(institution: str) -> str:
    """An institution's heading within its delegation; none for the delegates of the state itself."""
    return f'\n      <h3 class="h6 mt-3 text-body-secondary">{bdi(institution)}</h3>' if institution else ""


@register.simple_tag
def participant_groups(groups, head_label) -> SafeString:
    """A `<section>` for each delegation (registrations.selectors.DelegationGroup): its heading,
    then for each of its institutions an `<h3>` (none for the delegates of the state itself) and
    the list of its people."""
    comma = list_separator()
    head = f' <span class="badge text-bg-light border">{conditional_escape(head_label)}</span>'
    sections = []
    for number, group in enumerate(groups, start=1):
        institutions = "".join(
            _heading(institution.heading)
            + f'\n      <ul class="list-unstyled mb-2">\n{_items(institution.participants, comma, head)}\n      </ul>'
            for institution in group.institutions
        )
        sections.append(
            f'\n  <section class="mb-4" aria-labelledby="delegation-{number}">\n'
            f'    <h2 class="h5 border-bottom pb-1" id="delegation-{number}">{conditional_escape(group.heading)}</h2>'
            f"{institutions}\n  </section>"
        )
    return SafeString("".join(sections))
