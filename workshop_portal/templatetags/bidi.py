"""Text of either direction inside pages of the other: names keep their own script and order.

Browsers do this with <bdi> and dir="auto"; WeasyPrint, which renders the PDFs, supports neither
(nor CSS unicode-bidi), so the PDF templates use these filters instead. In an Arabic document a
Latin or Cyrillic name then reads "Bakyt Osmonov, رئيس قسم" in the right order, and an English
paragraph of a report is laid out left to right.
"""

import unicodedata

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi

register = template.Library()

# Unicode's FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: the text equivalent of <bdi>.
FSI, PDI = "\u2068", "\u2069"


def text_direction(text) -> str:
    """The direction of the first letter with a strong one, "ltr" or "rtl" (HTML's dir="auto"); "" if none."""
    for char in strip_tags(str(text)):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return ""


@register.filter
def direction(text):
    """The direction of a block of user text, for its dir attribute; the page's own when it has no letters."""
    return text_direction(text) or ("rtl" if get_language_bidi() else "ltr")


@register.filter(is_safe=True)
def isolate(text):
    """`text` set apart in its own direction within a line, in a right-to-left document only."""
    if text in (None, "") or not get_language_bidi():
        return text
    if hasattr(text, "__html__"):
        return mark_safe(f"{FSI}{text}{PDI}")
    return f"{FSI}{text}{PDI}"
