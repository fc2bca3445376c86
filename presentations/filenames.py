"""The name a delegate's file is shown under: the browser's name made safe and readable.

Files are stored under generated names (models.presentation_file_path); this name is for display only.
"""

import re
import unicodedata

SANITISED_NAME_MAX_CHARS = 120
# Longer "extensions" are treated as part of the name so that truncation can still shorten it.
SANITISED_EXTENSION_MAX_CHARS = 16
# Control (Cc) and format (Cf) characters hide or reorder text (NUL, bidi overrides such as U+202E);
# lone surrogates (Cs) cannot be stored as UTF-8.
STRIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
FALLBACK_FILENAME = "presentation"


def sanitise_filename(name: str) -> str:
    """A safe, readable version of the name the delegate's browser sent, for display only.

    Files are stored under generated names elsewhere; this only keeps the original name presentable:
    the base name without any directory, no control or bidi characters, NFC, single spaces, no leading
    dots, at most 120 characters with the extension kept. Returns "presentation" if nothing is left.
    """
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    visible = "".join(char for char in base if unicodedata.category(char) not in STRIPPED_CATEGORIES)
    cleaned = re.sub(r"\s+", " ", unicodedata.normalize("NFC", visible)).strip().lstrip(". ")
    if len(cleaned) > SANITISED_NAME_MAX_CHARS:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and stem and len(extension) < SANITISED_EXTENSION_MAX_CHARS:
            keep = SANITISED_NAME_MAX_CHARS - len(extension) - 1
            cleaned = f"{stem[:keep].rstrip(' .')}.{extension}"
        else:
            cleaned = cleaned[:SANITISED_NAME_MAX_CHARS].rstrip()
    return cleaned or FALLBACK_FILENAME
