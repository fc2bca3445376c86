"""Sorting names the way readers of each of the portal's languages expect.

Python's own ordering is by code point: "Émirats" after "Zambie", "Ёлка" before "Абв", Arabic
letters with hamza after the plain alef. The Unicode Collation Algorithm (pyuca, pure Python, the
same on every machine and database) puts them where a dictionary would, for English, French,
Arabic and Russian alike. Names are sorted in Python, after the query: member-state names are not
stored (django-countries translates them) and SQLite has no collation for these languages.
Arabic adds one rule of its own: the definite article does not count.
"""

from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import TypeVar

from django.utils.translation import get_language

T = TypeVar("T")


@cache
def _collator():
    from pyuca import Collator

    return Collator()


@lru_cache(maxsize=16384)
def _sort_key(text: str) -> tuple:
    # Pure Python and about 40 µs a name: a list of participants asks for the same names again and again.
    return _collator().sort_key(text)


# Arabic lists (the United Nations' and the OIC's lists of states among them) sort a name by
# what follows its definite article: الأردن (Jordan) among the alifs, السعودية (Saudi Arabia)
# under sin.
_ARABIC_ARTICLE = "\u0627\u0644"


def collation_key(text, language: str | None = None) -> tuple:
    """A sort key for `text` (any object, shown as str) in dictionary order, case and accents second,
    for a reader of `language` (the active one by default)."""
    text = str(text)
    language = (language or get_language() or "").split("-")[0]
    if language == "ar" and text.startswith(_ARABIC_ARTICLE) and len(text) > len(_ARABIC_ARTICLE) + 1:
        text = text[len(_ARABIC_ARTICLE) :]
    return _sort_key(text)


def sorted_by_name(items: Iterable[T], name: Callable[[T], object] = str) -> list[T]:
    """`items` sorted by `name(item)`, as a reader of the active language expects."""
    return sorted(items, key=lambda item: collation_key(name(item)))
