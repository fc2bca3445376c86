"""Writes about letters: a workshop's default settings and texts, and the pictures letters carry.

A letterhead or signature is stored as the portal re-encoded it (a PNG written by Pillow from the
decoded pixels: no metadata, no trailing bytes, nothing of the upload but its picture), in the
private storage, under a generated name.
"""

import io
import struct
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

from delegations import letter_defaults
from delegations.enums import LetterKind
from delegations.letter_models import OTHER_LANGUAGES, LetterSettings, LetterText
from delegations.letters import default_reference_prefix, letter_languages
from workshop_portal.models import Workshop

LETTER_IMAGE_MAX_BYTES = 2 * 1024 * 1024
LETTER_IMAGE_MAX_SIDE = 4000
LETTER_IMAGE_MIN_SIDE = 16
LETTER_IMAGE_FORMATS = ("PNG", "JPEG")


@transaction.atomic
def letters_lay_out_defaults(*, workshop: Workshop) -> int:
    """Give the workshop its letter settings and the default text of each letter in each language;
    what it has already stays as it is. Returns how many texts were added."""
    letter_settings, _created = LetterSettings.objects.get_or_create(
        workshop=workshop,
        defaults={
            "reference_prefix": default_reference_prefix(workshop),
            "signatory_title": letter_defaults.SIGNATORY_TITLE["en"],
            **{f"signatory_title_{code}": letter_defaults.SIGNATORY_TITLE[code] for code in OTHER_LANGUAGES},
        },
    )
    existing = set(letter_settings.texts.values_list("kind", "language"))
    rows = [
        LetterText(
            settings=letter_settings, kind=kind, language=language, body=letter_defaults.default_text(kind, language)
        )
        for kind in LetterKind
        for language in letter_languages()
        if (kind.value, language) not in existing
    ]
    LetterText.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def letter_image_rewrite(uploaded, *, purpose: str) -> ContentFile:
    """A letterhead or signature as the portal stores it: checked (PNG or JPEG by content, at most
    2 MB, sides between 16 and 4,000 pixels) and re-encoded as PNG. A bad picture raises
    ValidationError with a message for the organiser; nothing is stored."""
    too_large = ValidationError(
        _("The picture is larger than %(limit)d MB: reduce it and upload it again.")
        % {"limit": LETTER_IMAGE_MAX_BYTES // (1024 * 1024)},
        code="too_large",
    )
    if (getattr(uploaded, "size", None) or 0) > LETTER_IMAGE_MAX_BYTES:
        raise too_large
    uploaded.seek(0)
    data = uploaded.read(LETTER_IMAGE_MAX_BYTES + 1)
    if len(data) > LETTER_IMAGE_MAX_BYTES:
        raise too_large
    unreadable = ValidationError(
        _("This file is not a PNG or JPEG picture the portal can read: export it again as PNG or JPEG."),
        code="unreadable",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in LETTER_IMAGE_FORMATS:
                    raise unreadable
                _check_sides(*probe.size)
                _load_whole(probe)
                picture = probe.convert("RGBA" if _has_transparency(probe) else "RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError) as error:
        raise unreadable from error
    except (SyntaxError, ValueError, EOFError, struct.error) as error:  # Pillow's answer to some broken files
        raise unreadable from error
    output = io.BytesIO()
    picture.save(output, format="PNG", optimize=True)
    return ContentFile(output.getvalue(), name=f"{purpose}-{uuid.uuid4().hex}.png")


def _load_whole(image: Image.Image) -> None:
    """Decode every pixel, refusing a truncated file: WeasyPrint (imported by the portal) lets
    Pillow pad truncated pictures (ImageFile.LOAD_TRUNCATED_IMAGES), which must not hide a broken
    upload here. The flag is Pillow's global: set back at once (a process renders one thing at a time)."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _check_sides(width: int, height: int) -> None:
    if max(width, height) > LETTER_IMAGE_MAX_SIDE or min(width, height) < LETTER_IMAGE_MIN_SIDE:
        raise ValidationError(
            _("The picture is %(width)d × %(height)d pixels: each side must be between %(min)d and %(max)d pixels.")
            % {"width": width, "height": height, "min": LETTER_IMAGE_MIN_SIDE, "max": LETTER_IMAGE_MAX_SIDE},
            code="dimensions",
        )


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def letter_settings_replaced_files(*, before: LetterSettings | None, after: LetterSettings) -> None:
    """Once the change commits, delete the pictures the settings no longer use (a rollback keeps them)."""
    if before is None:
        return
    stale = [
        getattr(before, name).name
        for name in ("letterhead", "signature")
        if getattr(before, name).name and getattr(before, name).name != getattr(after, name).name
    ]
    if stale:
        storage = after.letterhead.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in stale])
