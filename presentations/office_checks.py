"""The PowerPoint/Word half of the upload check (validation.inspect_upload calls inspect_office).

An Office Open XML file is a ZIP package. Its central directory, every entry name and size, and
``[Content_Types].xml`` are examined, every entry is read once to verify its checksum, and then the
package is held to office_policy.py (no DTDs, embedded objects or imported chunks). Limits on
entries and unpacked size keep the check, and the later conversion, cheap even for hostile input:
nothing is read beyond the declared (and already bounded) size of an entry, so zip bombs cost little.
"""

import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext

from presentations.office_policy import check_office_package
from presentations.refusals import (
    MB,
    FileRejectedError,
    accepted_formats,
    megabytes,
    office_damaged,
    reject,
)

# A large real deck has a few hundred parts (slides, layouts, media). Every entry costs memory when the
# central directory is parsed, so thousands of tiny entries are a cheap way to exhaust a worker.
MAX_ZIP_ENTRIES = 2000
# What LibreOffice will have to unpack during conversion. Generous for media-heavy decks, far below the
# gigabytes a zip bomb expands to.
MAX_UNCOMPRESSED_BYTES = 300 * MB
# Deflate reaches about 1000:1 on repeated bytes; real slides, XML and media stay far below 200:1.
# Small entries are exempt because a tiny XML part can legitimately compress very well.
MAX_COMPRESSION_RATIO = 200
COMPRESSION_RATIO_MIN_SIZE = 1 * MB
# [Content_Types].xml lists one line per part: even 2000 parts need well under 1 MB.
MAX_CONTENT_TYPES_BYTES = 1 * MB

PPTX_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCX_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

READ_CHUNK_BYTES = 1 * MB
# Office writes only stored and deflated entries; other methods (bzip2, LZMA, Deflate64, AES) are not
# read by every converter and only widen what a hostile file can exercise.
ALLOWED_ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def too_many_entries() -> FileRejectedError:
    return reject(
        "zip_too_many_entries",
        gettext("This file contains too many parts (more than %(limit)s) to be accepted as a presentation."),
        limit=MAX_ZIP_ENTRIES,
    )


def _not_office() -> FileRejectedError:
    return reject(
        "not_office",
        gettext("This file is not a PowerPoint (.pptx) or Word (.docx) document. %(accepted)s"),
        accepted=accepted_formats(),
    )


def _unsafe_entry_name(name: str) -> bool:
    # An Office package never needs these; an extractor that trusts them writes outside its folder.
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or bool(_WINDOWS_DRIVE.match(name))
        or ".." in PurePosixPath(name).parts
    )


def inspect_office(path: Path) -> str:
    """Check the ZIP package and return "pptx" or "docx"."""
    try:
        with zipfile.ZipFile(path) as archive:
            kind = _inspect_package(archive)
            # No DTDs, embedded objects or imported chunks (office_policy.py); links are removed later.
            check_office_package(archive)
            return kind
    except FileRejectedError:
        raise
    except Exception as exc:
        # BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError (encrypted entry), ...
        raise office_damaged() from exc


def _inspect_package(archive: zipfile.ZipFile) -> str:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise too_many_entries()
    names = _check_entries(entries)
    kind = _package_kind(archive, names)
    # Read every entry once to the end: zipfile verifies each CRC, so a corrupted body fails now
    # rather than in conversion. zipfile never returns more than the declared size of an entry, and
    # those sizes were bounded above, so this costs at most MAX_UNCOMPRESSED_BYTES of inflation.
    for entry in entries:
        with archive.open(entry) as member:
            while member.read(READ_CHUNK_BYTES):
                pass
    return kind


def _check_entries(entries: list[zipfile.ZipInfo]) -> set[str]:
    """Refuse unsafe, duplicate, encrypted, unusually compressed or oversized entries; return the names."""
    names: set[str] = set()
    total_size = 0
    for entry in entries:
        if _unsafe_entry_name(entry.filename):
            raise reject(
                "zip_unsafe_names",
                gettext(
                    "This file contains parts with unsafe names and cannot be accepted. "
                    "Save it again from PowerPoint or Word and upload the new file."
                ),
            )
        if entry.filename in names:
            # Two parts with one name: readers disagree on which one wins, so what is checked here
            # need not be what the converter opens.
            raise office_damaged()
        names.add(entry.filename)
        _check_entry_encoding(entry)
        total_size += entry.file_size
    if total_size > MAX_UNCOMPRESSED_BYTES:
        raise reject(
            "zip_too_large_unpacked",
            gettext("This file expands to more than %(limit)s MB when opened, which is more than we can accept."),
            limit=megabytes(MAX_UNCOMPRESSED_BYTES),
        )
    return names


def _check_entry_encoding(entry: zipfile.ZipInfo) -> None:
    """Refuse an encrypted entry, an unusual compression method or an abnormal compression ratio."""
    if entry.flag_bits & 0x1:
        raise reject(
            "office_encrypted",
            gettext("This file is password-protected. Remove the password and upload it again."),
        )
    if entry.compress_type not in ALLOWED_ZIP_METHODS:
        raise office_damaged()
    if entry.file_size > COMPRESSION_RATIO_MIN_SIZE and (entry.file_size > entry.compress_size * MAX_COMPRESSION_RATIO):
        raise reject(
            "zip_bomb",
            gettext(
                "This file contains a part that expands to an abnormal size when opened, "
                "so it cannot be accepted. Save it again from PowerPoint or Word and upload the new file."
            ),
        )


def _package_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    """ "pptx" or "docx" from [Content_Types].xml and the main part; refuse macros and other packages."""
    if "[Content_Types].xml" not in names:
        if _is_opendocument(archive, names):
            raise reject(
                "opendocument",
                gettext(
                    "OpenDocument files (.odp, .odt) are not accepted. "
                    "Save the file as .pptx or .docx, or as PDF. %(accepted)s"
                ),
                accepted=accepted_formats(),
            )
        raise _not_office()

    content_types = _read_content_types(archive)
    lowered = [content_type.lower() for content_type in content_types]
    has_vba = any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names)
    if has_vba or any("macroenabled" in t or "vbaproject" in t for t in lowered):
        raise reject(
            "office_macros",
            gettext(
                "Files with macros are not accepted. "
                "Save the file as .pptx or .docx (without macros) and upload it again."
            ),
        )

    is_pptx = PPTX_MAIN_CONTENT_TYPE in content_types and "ppt/presentation.xml" in names
    is_docx = DOCX_MAIN_CONTENT_TYPE in content_types and "word/document.xml" in names
    if is_pptx == is_docx:  # neither, or an ambiguous package claiming to be both
        raise _not_office()
    return "pptx" if is_pptx else "docx"


def _is_opendocument(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names:
        return False
    with archive.open("mimetype") as member:
        return member.read(200).startswith(b"application/vnd.oasis.opendocument")


def _read_content_types(archive: zipfile.ZipFile) -> set[str]:
    """The content types declared in [Content_Types].xml (Default and Override elements)."""
    with archive.open("[Content_Types].xml") as member:
        data = member.read(MAX_CONTENT_TYPES_BYTES + 1)
    if len(data) > MAX_CONTENT_TYPES_BYTES:
        raise office_damaged()

    content_types: set[str] = set()

    def start_element(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition("}")[2] in ("Default", "Override") and attributes.get("ContentType"):
            content_types.add(attributes["ContentType"].strip())

    def refuse_dtd(*args: Any) -> None:
        # OPC forbids DTDs; refusing them also rules out entity-expansion ("billion laughs") attacks.
        raise ValueError("DTD in [Content_Types].xml")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start_element
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.Parse(data, True)
    return content_types
