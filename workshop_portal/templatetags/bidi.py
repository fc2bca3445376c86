"""Text of either direction inside pages of the other, and lists joined the reader's way
(workshop_portal/bidi.py says why).

Browsers isolate with <bdi> and dir="auto"; WeasyPrint, which renders the PDFs, supports neither
(nor CSS unicode-bidi), so the PDF templates and the plain-text emails use the Unicode isolates
instead. In an Arabic document a Latin or Cyrillic name then reads "Bakyt Osmonov، رئيس قسم" in the
right order, and an English paragraph of a report is laid out left to right.

In HTML pages: `{{ value|bdi }}`, `{% joined a b c %}` or `{{ items|joined }}` (each item in a
<bdi>). In PDFs and plain text: `{{ value|isolate }}`, `{% joined_text a b c %}` or
`{{ items|joined_text }}` (each item between FSI and PDI where needed).
"""

from django import template
from django.utils.translation import get_language_bidi

from workshop_portal.bidi import FSI, PDI, bdi, isolate_text, join_html, join_text, list_separator, text_direction

register = template.Library()

__all__ = ["FSI", "PDI", "direction", "isolate", "text_direction"]


@register.filter
def direction(text):
    """The direction of a block of user text, for its dir attribute; the page's own when it has no letters."""
    return text_direction(text) or ("rtl" if get_language_bidi() else "ltr")


@register.filter(is_safe=True)
def isolate(text):
    """`text` set apart in its own direction within a line of a PDF or a plain text."""
    return isolate_text(text)


register.filter("bdi", bdi)


@register.filter(name="joined")
def joined_filter(items):
    """A list as one HTML line: each item in a <bdi>, the language's comma between them."""
    return join_html(items or [])


@register.filter(name="joined_text")
def joined_text_filter(items):
    """A list as one line of a PDF or a plain text: the language's comma, items isolated where needed."""
    return join_text(items or [])


@register.simple_tag
def comma():
    """The comma between two items of a list in the page's language ("، " in Arabic), where the
    items are marked up apart: `<b>{{ name|bdi }}</b>{% comma %}{{ position|bdi }}`."""
    return list_separator()


@register.simple_tag(name="joined")
def joined_tag(*items):
    """`{% joined workshop.venue workshop.city %}`: the non-empty values as one HTML line."""
    return join_html(items)


@register.simple_tag(name="joined_text")
def joined_text_tag(*items):
    """`{% joined_text workshop.venue workshop.city %}`: the same for a PDF or a plain text."""
    return join_text(items)
