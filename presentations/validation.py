"""Content checks that every uploaded presentation passes before anything is stored.

Only PDF, PowerPoint (.pptx) and Word (.docx) files are accepted, and they are recognised by what they
contain, never by their name or by the content type the browser sends (both are chosen by the client).
The check has three layers:

1. Magic bytes: a PDF starts with ``%PDF-`` and an Office Open XML file with a ZIP local header
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
from disk in chunks; it is never loaded whole into memory by this module.

Every refusal raises :class:`FileRejectedError`, a ``ValidationError`` whose message is written for
the delegate who uploaded the file, and whose ``code`` names the reason for the code that handles it.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

MB = 1024 * 1024

# A workshop presentation is rarely over 100 pages; 500 leaves room for annexes while keeping
# thumbnails, conversion and page-by-page checks bounded.
MAX_PDF_PAGES = 500
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

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# zipfile creates one object per central-directory record, and it checks that each record starts with
# this signature. Counting the signature in the raw bytes therefore bounds that work before it starts.
ZIP_CENTRAL_RECORD_MAGIC = b"PK\x01\x02"
# Compound File Binary: legacy .ppt/.doc, and also the wrapper Office uses for password-protected files.
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

READ_CHUNK_BYTES = 1 * MB
# Office writes only stored and deflated entries; other methods (bzip2, LZMA, Deflate64, AES) are not
# read by every converter and only widen what a hostile file can exercise.
ALLOWED_ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# An action chain (/Next) or form-field tree longer than this is not something a real PDF contains.
MAX_PDF_OBJECTS_WALKED = 10_000
PDF_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Launch"})

SANITISED_NAME_MAX_CHARS = 120
# Longer "extensions" are treated as part of the name so that truncation can still shorten it.
SANITISED_EXTENSION_MAX_CHARS = 16
# Control (Cc) and format (Cf) characters hide or reorder text (NUL, bidi overrides such as U+202E);
# lone surrogates (Cs) cannot be stored as UTF-8.
STRIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
FALLBACK_FILENAME = "presentation"


class FileRejectedError(ValidationError):
    """The upload is not an acceptable presentation; .messages[0] says why, in words a delegate understands."""


@dataclass(frozen=True)
class InspectedFile:
    kind: str  # "pdf", "pptx" or "docx"
    size: int  # bytes
    sha256: str  # hex digest of the whole file
    page_count: int | None  # pages of a PDF; None for PPTX/DOCX (known after conversion)
    extension: str  # ".pdf", ".pptx", ".docx" — from the detected kind, not the name


def _accepted_formats() -> str:
    return gettext("Upload a PDF, PowerPoint (.pptx) or Word (.docx) file.")


def _megabytes(size: int) -> str:
    value = size / MB
    if value >= 1:
        return f"{value:.1f}".removesuffix(".0")
    return f"{value:.2g}"


def _reject(code: str, message: str, **params: Any) -> FileRejectedError:
    return FileRejectedError(message, code=code, params=params or None)


def inspect_upload(path: Path, *, max_bytes: int) -> InspectedFile:
    """Identify the upload at `path` by its content and check it; raise FileRejectedError if it is refused."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise _reject("empty", gettext("The file is empty."))
    if size > max_bytes:
        raise _reject(
            "too_large",
            gettext("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
            size=_megabytes(size),
            limit=_megabytes(max_bytes),
        )

    with path.open("rb") as fh:
        head = fh.read(len(CFB_MAGIC))

    if head.startswith(PDF_MAGIC):
        sha256, _ = _scan(path, None)
        page_count = _inspect_pdf(path)
        kind = "pdf"
    elif head.startswith(ZIP_MAGIC):
        sha256, central_records = _scan(path, ZIP_CENTRAL_RECORD_MAGIC)
        if central_records > MAX_ZIP_ENTRIES:
            raise _too_many_entries()
        kind = _inspect_office(path)
        page_count = None
    elif head.startswith(CFB_MAGIC):
        raise _reject(
            "legacy_office",
            gettext(
                "Older Office files (.ppt, .doc) and password-protected Office files are not accepted. "
                "Save the file as .pptx or .docx without a password, or as PDF. %(accepted)s"
            ),
            accepted=_accepted_formats(),
        )
    else:
        raise _reject(
            "unsupported_type", gettext("This type of file is not accepted. %(accepted)s"), accepted=_accepted_formats()
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


# --- PDF -------------------------------------------------------------------------------------------


def _pdf_damaged() -> FileRejectedError:
    return _reject(
        "pdf_damaged",
        gettext(
            "This PDF is damaged or incomplete and cannot be opened. "
            "Export it again from the original program and upload the new file."
        ),
    )


def _inspect_pdf(path: Path) -> int:
    """Open the PDF, walk its page tree and look for scripts; return the number of pages."""
    try:
        # An open file rather than the path: given a path, pypdf first copies the whole file into memory.
        with path.open("rb") as fh:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                raise _reject(
                    "pdf_encrypted",
                    gettext("This PDF is password-protected. Remove the password and upload it again."),
                )
            # Walks the whole page tree: missing, cyclic or truncated page objects fail here.
            page_count = len(reader.pages)
            if page_count > MAX_PDF_PAGES:
                raise _reject(
                    "pdf_too_many_pages",
                    gettext("This PDF has %(count)s pages. The limit is %(limit)s pages."),
                    count=page_count,
                    limit=MAX_PDF_PAGES,
                )
            if page_count == 0:
                raise _reject("pdf_no_pages", gettext("This PDF has no pages."))
            has_scripts = _pdf_has_scripts(reader)
    except FileRejectedError:
        raise
    except Exception as exc:
        # pypdf signals broken input with many exception types (PdfReadError, ValueError, KeyError,
        # RecursionError on reference cycles, ...): any of them means the file cannot be trusted.
        raise _pdf_damaged() from exc
    if has_scripts:
        raise _reject(
            "pdf_scripts",
            gettext(
                "This PDF contains scripts or actions that start programs, which are not accepted. "
                "Export or print it again as a plain PDF and upload the new file."
            ),
        )
    return page_count


def _resolve(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _pdf_has_scripts(reader: PdfReader) -> bool:
    """Look for JavaScript and launch actions where a viewer would run them.

    These refuse the file. Everything else active (and these again, wherever they hide) is removed
    from the stored copy by pdf_clean.py, which also refuses a program attached inside the PDF.

    Only dictionaries are inspected: page content streams are never decoded, so a compressed
    content stream cannot be used as a decompression bomb against this check.
    """
    catalog = reader.root_object
    names = _resolve(catalog.get("/Names"))
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        return True
    if _has_script_action(catalog.get("/OpenAction")):  # an array here is a plain destination
        return True
    # Document-level additional actions (will close, will print, ...) have no use in a presentation.
    catalog_aa = _resolve(catalog.get("/AA"))
    if isinstance(catalog_aa, DictionaryObject) and len(catalog_aa) > 0:
        return True

    for page in reader.pages:
        # Resolving (not decoding) the content streams makes a file whose streams were cut off fail here.
        contents = _resolve(page.get("/Contents"))
        if isinstance(contents, ArrayObject):
            for part in contents:
                _resolve(part)
        if _additional_actions_have_script(page.get("/AA")):
            return True
        annotations = _resolve(page.get("/Annots"))
        if isinstance(annotations, ArrayObject):
            for annotation in annotations:
                annotation = _resolve(annotation)
                if isinstance(annotation, DictionaryObject) and (
                    _has_script_action(annotation.get("/A")) or _additional_actions_have_script(annotation.get("/AA"))
                ):
                    return True

    acroform = _resolve(catalog.get("/AcroForm"))
    if isinstance(acroform, DictionaryObject):
        # Form fields carry keystroke/format/validate/calculate scripts in their own /AA.
        pending = [acroform.get("/Fields")]
        seen: set[int] = set()
        while pending:
            node = _resolve(pending.pop())
            if isinstance(node, ArrayObject):
                pending.extend(node)
                continue
            if not isinstance(node, DictionaryObject) or id(node) in seen:
                continue
            seen.add(id(node))
            if len(seen) > MAX_PDF_OBJECTS_WALKED:
                raise _pdf_damaged()
            if _has_script_action(node.get("/A")) or _additional_actions_have_script(node.get("/AA")):
                return True
            pending.append(node.get("/Kids"))
    return False


def _additional_actions_have_script(additional_actions: Any) -> bool:
    additional_actions = _resolve(additional_actions)
    if not isinstance(additional_actions, DictionaryObject):
        return False
    return any(_has_script_action(action) for action in additional_actions.values())


def _has_script_action(action: Any) -> bool:
    """True if this action, or any action chained after it with /Next, runs JavaScript or launches a program."""
    pending = [action]
    seen: set[int] = set()
    while pending:
        node = _resolve(pending.pop())
        if isinstance(node, ArrayObject):
            pending.extend(node)
            continue
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if len(seen) > MAX_PDF_OBJECTS_WALKED:
            raise _pdf_damaged()
        # /JS also appears in rendition actions, which run the script as well.
        if node.get("/S") in PDF_SCRIPT_ACTIONS or "/JS" in node:
            return True
        pending.append(node.get("/Next"))
    return False


# --- PPTX / DOCX (Office Open XML, a ZIP package) ----------------------------------------------------


def _office_damaged() -> FileRejectedError:
    return _reject(
        "office_damaged",
        gettext(
            "This file is damaged or incomplete and cannot be opened. "
            "Save it again from PowerPoint or Word and upload the new file."
        ),
    )


def _too_many_entries() -> FileRejectedError:
    return _reject(
        "zip_too_many_entries",
        gettext("This file contains too many parts (more than %(limit)s) to be accepted as a presentation."),
        limit=MAX_ZIP_ENTRIES,
    )


def _not_office() -> FileRejectedError:
    return _reject(
        "not_office",
        gettext("This file is not a PowerPoint (.pptx) or Word (.docx) document. %(accepted)s"),
        accepted=_accepted_formats(),
    )


_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


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


def _inspect_office(path: Path) -> str:
    """Check the ZIP package and return "pptx" or "docx"."""
    # Imported here: office_policy builds its refusals with this module's helpers.
    from presentations.office_policy import check_office_package

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
        raise _office_damaged() from exc


def _inspect_package(archive: zipfile.ZipFile) -> str:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _too_many_entries()

    names: set[str] = set()
    total_size = 0
    for entry in entries:
        if _unsafe_entry_name(entry.filename):
            raise _reject(
                "zip_unsafe_names",
                gettext(
                    "This file contains parts with unsafe names and cannot be accepted. "
                    "Save it again from PowerPoint or Word and upload the new file."
                ),
            )
        if entry.filename in names:
            # Two parts with one name: readers disagree on which one wins, so what is checked here
            # need not be what the converter opens.
            raise _office_damaged()
        names.add(entry.filename)
        if entry.flag_bits & 0x1:
            raise _reject(
                "office_encrypted",
                gettext("This file is password-protected. Remove the password and upload it again."),
            )
        if entry.compress_type not in ALLOWED_ZIP_METHODS:
            raise _office_damaged()
        if entry.file_size > COMPRESSION_RATIO_MIN_SIZE and (
            entry.file_size > entry.compress_size * MAX_COMPRESSION_RATIO
        ):
            raise _reject(
                "zip_bomb",
                gettext(
                    "This file contains a part that expands to an abnormal size when opened, "
                    "so it cannot be accepted. Save it again from PowerPoint or Word and upload the new file."
                ),
            )
        total_size += entry.file_size
    if total_size > MAX_UNCOMPRESSED_BYTES:
        raise _reject(
            "zip_too_large_unpacked",
            gettext("This file expands to more than %(limit)s MB when opened, which is more than we can accept."),
            limit=_megabytes(MAX_UNCOMPRESSED_BYTES),
        )

    if "[Content_Types].xml" not in names:
        if _is_opendocument(archive, names):
            raise _reject(
                "opendocument",
                gettext(
                    "OpenDocument files (.odp, .odt) are not accepted. "
                    "Save the file as .pptx or .docx, or as PDF. %(accepted)s"
                ),
                accepted=_accepted_formats(),
            )
        raise _not_office()

    content_types = _read_content_types(archive)
    lowered = [content_type.lower() for content_type in content_types]
    has_vba = any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names)
    if has_vba or any("macroenabled" in t or "vbaproject" in t for t in lowered):
        raise _reject(
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

    # Read every entry once to the end: zipfile verifies each CRC, so a corrupted body fails now
    # rather than in conversion. zipfile never returns more than the declared size of an entry, and
    # those sizes were bounded above, so this costs at most MAX_UNCOMPRESSED_BYTES of inflation.
    for entry in entries:
        with archive.open(entry) as member:
            while member.read(READ_CHUNK_BYTES):
                pass
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
        raise _office_damaged()

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


# --- File names --------------------------------------------------------------------------------------


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
