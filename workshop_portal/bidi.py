"""Text of either direction inside text of the other, and lists joined the reader's way.

A Latin fragment in an Arabic line (an institution's code, a person's English title, a time zone)
is laid out by the Unicode bidirectional algorithm together with its neighbours unless it is
isolated: "MFA-KZ, Ms Bekova" then reads "MFA-KZ ,Ms…". In HTML pages each fragment goes in a
<bdi>; in text that is not HTML (plain-text emails, the PDFs, which WeasyPrint lays out without
<bdi>) between Unicode's FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE. Lists are joined with
the Arabic comma "، " in Arabic, ", " otherwise.

The template filters and tags over these are in workshop_portal/templatetags/bidi.py.
"""

import html
import unicodedata
from collections.abc import Iterable

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi

# Unicode's FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: the text equivalent of <bdi>.
FSI, PDI = "\u2068", "\u2069"

# The comma that separates the items of a list, where it is not ", ".
LIST_SEPARATORS = {"ar": "، "}


def text_direction(text) -> str:
    """The direction of the first letter with a strong one, "ltr" or "rtl" (HTML's dir="auto"); "" if none."""
    for char in strip_tags(str(text)):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return ""


def needs_isolation(text) -> bool:
    """In a right-to-left text, every fragment (its neutral signs could join the wrong side); in a
    left-to-right one, a fragment that starts right to left (an Arabic name in a French list)."""
    if text in (None, ""):
        return False
    return get_language_bidi() or text_direction(text) == "rtl"


def isolate_text(text):
    """`text` between FSI and PDI where it needs it; HTML-safe text stays safe."""
    if not needs_isolation(text):
        return text
    if isinstance(text, SafeString) or hasattr(text, "__html__"):
        return mark_safe(f"{FSI}{text}{PDI}")
    return f"{FSI}{text}{PDI}"


def list_separator() -> str:
    """The comma between the items of a list in the active language."""
    return LIST_SEPARATORS.get((get_language() or "").split("-")[0], ", ")


def _items(values: Iterable) -> list:
    """The non-empty items, lists and tuples among them opened (a template passes both)."""
    items = []
    for value in values:
        if isinstance(value, (list, tuple)):
            items.extend(_items(value))
        elif value not in (None, ""):
            items.append(value)
    return items


def join_text(values: Iterable) -> str:
    """Items as one line of plain text (an email, a PDF, a message): the language's comma, each item
    isolated where needed. Empty items are left out."""
    return list_separator().join(str(isolate_text(str(item))) for item in _items(values))


def _escaped(value) -> str:
    """`value` as HTML: as it is when it is HTML already (a SafeString), else escaped. The same as
    Django's conditional_escape, without the lazy-text wrappers of its escape(): pages call this
    for each name and position of a list, hundreds of times."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def join_html(values: Iterable, separator: str | None = None) -> SafeString:
    """Items as one line of HTML: each in a <bdi> (escaped), joined by the language's comma (or
    `separator`, list_separator() asked once by a caller that joins hundreds of lines)."""
    separator = list_separator() if separator is None else separator
    return SafeString(separator.join(f"<bdi>{_escaped(item)}</bdi>" for item in _items(values)))


def bdi(value) -> SafeString:
    """One fragment of an HTML line in its own <bdi>; nothing for an empty one."""
    if value in (None, ""):
        return mark_safe("")
    return SafeString(f"<bdi>{_escaped(value)}</bdi>")
