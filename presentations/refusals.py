"""How an upload is refused: the error every check raises and the messages several checks share.

The bottom of the upload checks: pdf_checks, office_checks, office_policy and the neutralisers
(pdf_clean, pdf_inspect, office_clean) import from here, and this module imports none of them.

Every refusal raises :class:`FileRejectedError`, a ``ValidationError`` whose message is written for
the delegate who uploaded the file, and whose ``code`` names the reason for the code that handles it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

MB = 1024 * 1024


class FileRejectedError(ValidationError):
    """The upload is not an acceptable presentation; .messages[0] says why, in words a delegate understands."""


def reject(code: str, message: str, **params: Any) -> FileRejectedError:
    """A FileRejectedError with `code`; `message` is already translated and may hold %(name)s params."""
    return FileRejectedError(message, code=code, params=params or None)


def accepted_formats() -> str:
    return gettext("Upload a PDF, PowerPoint (.pptx) or Word (.docx) file.")


def megabytes(size: int) -> str:
    """`size` in MB as shown to a delegate: one decimal at most, two significant digits below 1 MB."""
    value = size / MB
    if value >= 1:
        return f"{value:.1f}".removesuffix(".0")
    return f"{value:.2g}"


def pdf_damaged() -> FileRejectedError:
    return reject(
        "pdf_damaged",
        gettext(
            "This PDF is damaged or incomplete and cannot be opened. "
            "Export it again from the original program and upload the new file."
        ),
    )


def office_damaged() -> FileRejectedError:
    return reject(
        "office_damaged",
        gettext(
            "This file is damaged or incomplete and cannot be opened. "
            "Save it again from PowerPoint or Word and upload the new file."
        ),
    )
