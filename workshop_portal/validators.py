"""Validators shared by the apps' models and forms."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters, line and paragraph separators, and the invisible marks that reorder text
# (bidi embeddings, overrides, isolates, the Arabic letter mark): a name holding one prints
# otherwise than it is stored ("Ali\u202egnp.exe"), on the list of participants, a badge or a
# certificate. Joiners (U+200C, U+200D) stay allowed: Persian and Urdu names need them.
HIDDEN_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def validate_printed_text(value: str) -> None:
    """Refuse text printed for others to read (names, positions) that holds a hidden character."""
    if value and HIDDEN_CHARACTERS.search(value):
        raise ValidationError(
            _(
                "This contains an invisible character (a line break, a control character or a "
                "direction mark) that would change how it prints. Please type it again without it."
            ),
            code="hidden_characters",
        )
