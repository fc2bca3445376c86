"""Content checks that every uploaded presentation passes before anything is stored: the entry point.

The public interface of the upload check is this module: ``inspect_upload`` (raises
``FileRejectedError``, re-exported here on purpose because every caller of ``inspect_upload`` catches
it), ``InspectedFile`` and ``file_size_and_sha256``. The checks themselves live in pdf_checks.py and
office_checks.py (which holds the package to office_policy.py); refusals.py, at the bottom, holds the
error and the messages they share.

Only PDF, PowerPoint (.pptx) and Word (.docx) files are accepted, and they are recognised by what they
contain, never by their name or by the content type the browser sends (both are chosen by the client).
The check has three layers:

1. Magic bytes (here): a PDF starts with ``%PDF-`` and an Office Open XML file with a ZIP local header
   (``PK\\x03\\x04``), both at offset 0. Everything else (HTML, SVG, images, executables, scripts,
   polyglots built on another format) is refused at this point.
2. A structural open with a real parser, so that damaged, truncated or disguised files fail here rather
   than later in conversion or in a delegate's viewer: pypdf walks the whole page tree of a PDF; for a
   ZIP the central directory, every entry name and size, and ``[Content_Types].xml`` are examined, and
   every entry is read once to verify its checksum.
3. Policy: no passwords, no scripts or launch actions in PDFs, no macros in Office files, and limits on
   size, pages, entries and unpacked size that keep the check (and the later conversion) cheap even for
   hostile input. Office files are then held to office_policy.py: no DTDs or entities in any XML part,
   no embedded objects or controls, no imported HTML/RTF chunks.

The checks never decompress PDF page content streams and never read more than the declared (and
already bounded) size of any ZIP entry, so decompression bombs cost little. The file is always read
from disk in chunks; it is never loaded whole into memory.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from presentations.office_checks import MAX_ZIP_ENTRIES, READ_CHUNK_BYTES, inspect_office, too_many_entries
from presentations.pdf_checks import inspect_pdf
from presentations.refusals import FileRejectedError, accepted_formats, megabytes, reject

__all__ = ["FileRejectedError", "InspectedFile", "file_size_and_sha256", "inspect_upload"]

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# zipfile creates one object per central-directory record, and it checks that each record starts with
# this signature. Counting the signature in the raw bytes therefore bounds that work before it starts.
ZIP_CENTRAL_RECORD_MAGIC = b"PK\x01\x02"
# Compound File Binary: legacy .ppt/.doc, and also the wrapper Office uses for password-protected files.
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class InspectedFile:
    kind: str  # "pdf", "pptx" or "docx"
    size: int  # bytes
    sha256: str  # hex digest of the whole file
    page_count: int | None  # pages of a PDF; None for PPTX/DOCX (known after conversion)
    extension: str  # ".pdf", ".pptx", ".docx" — from the detected kind, not the name


def inspect_upload(path: Path, *, max_bytes: int) -> InspectedFile:
    """Identify the upload at `path` by its content and check it; raise FileRejectedError if it is refused."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise reject("empty", gettext("The file is empty."))
    if size > max_bytes:
        raise reject(
            "too_large",
            gettext("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
            size=megabytes(size),
            limit=megabytes(max_bytes),
        )

    with path.open("rb") as fh:
        head = fh.read(len(CFB_MAGIC))

    if head.startswith(PDF_MAGIC):
        sha256, _ = _scan(path, None)
        page_count = inspect_pdf(path)
        kind = "pdf"
    elif head.startswith(ZIP_MAGIC):
        sha256, central_records = _scan(path, ZIP_CENTRAL_RECORD_MAGIC)
        if central_records > MAX_ZIP_ENTRIES:
            raise too_many_entries()
        kind = inspect_office(path)
        page_count = None
    elif head.startswith(CFB_MAGIC):
        raise reject(
            "legacy_office",
            gettext(
                "Older Office files (.ppt, .doc) and password-protected Office files are not accepted. "
                "Save the file as .pptx or .docx without a password, or as PDF. %(accepted)s"
            ),
            accepted=accepted_formats(),
        )
    else:
        raise reject(
            "unsupported_type", gettext("This type of file is not accepted. %(accepted)s"), accepted=accepted_formats()
        )

    return InspectedFile(kind=kind, size=size, sha256=sha256, page_count=page_count, extension=f".{kind}")


def file_size_and_sha256(path: Path) -> tuple[int, str]:
    """Size in bytes and SHA-256 of a file on disk, read in chunks."""
    sha256, _ = _scan(path, None)
    return Path(path).stat().st_size, sha256


def _scan(path: Path, marker: bytes | None) -> tuple[str, int]:
    """Hash the file in chunks and count occurrences of `marker` in it, in a single pass."""
    digest = hashlib.sha256()
    count = 0
    overlap = b""
    with path.open("rb") as fh:
        while chunk := fh.read(READ_CHUNK_BYTES):
            digest.update(chunk)
            if marker:
                # Keep the last len(marker) - 1 bytes so a marker split across two chunks is counted once.
                window = overlap + chunk
                count += window.count(marker)
                overlap = window[-(len(marker) - 1) :]
    return digest.hexdigest(), count
