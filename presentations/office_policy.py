"""What makes a PowerPoint or Word file refused beyond its structure (office_checks.py calls this last).

A file is refused when what is wrong with it cannot be taken out without silently losing what the
delegate meant to show, or when no Office program writes it; everything else that points outside
the file is removed instead by office_clean.py, and the delegate is told what was removed.

Refused (FileRejectedError; the message says what to do):

* ``office_dtd``: a DOCTYPE or entity declarations in any XML part (XML external entities reaching
  ``file://`` or ``http://``, "billion laughs" expansion). PowerPoint and Word never write them; an
  SVG picture exported by a drawing program sometimes does, hence a message of its own for pictures.
* ``office_embedded_objects``: embedded OLE objects (an inserted spreadsheet, document, attached file,
  older equation), ActiveX controls, embedded packages other than a chart's own data workbook, and
  executables anywhere in the package. Their payload would be stored and served to whoever downloads
  the file; a picture of the object shows the same on a slide.
* ``office_alt_chunk``: "alternative format chunks" (``w:altChunk``): HTML, RTF or MHT imported into a
  document when it opens, with whatever that format may fetch. Word turns them into ordinary
  content when it saves the document again.
* ``office_damaged``: an XML part in an encoding other than UTF-8 or UTF-16 (the only ones OPC
  allows), or a relationships part that is not well-formed or lists more than 10,000
  relationships: the relationships that the converter reads must be the ones checked here.
  ``office_xml_part_too_large``: an XML part over 64 MB (parsing holds a whole tag at once).

Removed (office_clean.py, enums.RemovedContent): relationships that leave the package (linked
pictures, media, templates, OLE links, frames, subdocuments, data sources), hyperlinks to anything but
web pages and email addresses (``file:``, UNC paths ``\\\\host\\share``, relative paths), and Word
fields that include content from elsewhere (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE).
"""

import re
import zipfile
from pathlib import PurePosixPath

from django.utils.translation import gettext

from presentations.office_package import (
    MAX_XML_PART_BYTES,
    DtdFoundError,
    Relationship,
    TooManyRelationshipsError,
    UnsupportedEncodingError,
    check_xml,
    chunks,
    is_relationships_part,
    read_relationships,
    resolve_target,
    source_part,
    xml_encoding,
)
from presentations.refusals import FileRejectedError, office_damaged, reject

# Relationship types (last segment of the type URI) of embedded objects and controls.
EMBEDDED_KINDS = frozenset({"oleObject", "activeXControl", "activeXControlBinary", "control", "attachedToolbars"})
# What the file starts with: Windows and Linux executables, and OLE compound files (the container of
# embedded objects, ActiveX state and macros).
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
# fmt: off
EXECUTABLE_EXTENSIONS = frozenset({
    ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".bat", ".cmd", ".ps1", ".vbs", ".vbe",
    ".js", ".jse", ".wsf", ".wsh", ".hta", ".jar", ".lnk", ".sh", ".reg", ".inf", ".application", ".appref-ms",
    # Macro-enabled Office files hidden inside a macro-free one.
    ".docm", ".dotm", ".pptm", ".potm", ".ppsm", ".xlsm", ".xltm", ".xlam", ".ppam",
})
# fmt: on
# Embedded fonts are obfuscated: their first bytes are scrambled and may start like anything.
OBFUSCATED_FONT_EXTENSIONS = frozenset({".odttf", ".fntdata"})
_CHART_PART = re.compile(r"(?i)(?:^|/)charts/chart[^/]*\.xml$")


def check_office_package(archive: zipfile.ZipFile) -> None:
    """Read every part once; raise FileRejectedError for anything in the module docstring's "Refused"."""
    for entry in archive.infolist():
        name = entry.filename
        with archive.open(entry) as member:
            head = member.read(64)
            if _is_executable(name, head) or _is_embedding_part(name):
                raise _embedded_objects()
            try:
                encoding = xml_encoding(head)
            except UnsupportedEncodingError:
                raise office_damaged() from None
            if encoding is None:
                continue
            if entry.file_size > MAX_XML_PART_BYTES:
                raise _xml_part_too_large()
            try:
                if is_relationships_part(name):
                    relationships = read_relationships(chunks(member, head))
                    if relationships is None:
                        raise office_damaged()
                    _check_relationships(name, relationships)
                else:
                    check_xml(chunks(member, head))
            except DtdFoundError:
                raise _dtd(picture=PurePosixPath(name.lower()).suffix == ".svg") from None
            except TooManyRelationshipsError:
                raise office_damaged() from None


def _is_executable(name: str, head: bytes) -> bool:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in EXECUTABLE_EXTENSIONS:
        return True
    return suffix not in OBFUSCATED_FONT_EXTENSIONS and head.startswith(EXECUTABLE_MAGIC)


def _is_embedding_part(name: str) -> bool:
    """Parts in the folders Office keeps embedded objects and controls in; a chart's workbook is allowed."""
    folders = {folder.lower() for folder in PurePosixPath(name).parts[:-1]}
    if "activex" in folders:
        return True
    return "embeddings" in folders and PurePosixPath(name.lower()).suffix != ".xlsx"


def _check_relationships(rels_name: str, relationships: list[Relationship]) -> None:
    source = source_part(rels_name) or ""
    for relationship in relationships:
        if relationship.leaves_package:
            continue  # removed by office_clean.py
        if relationship.kind in EMBEDDED_KINDS:
            raise _embedded_objects()
        if relationship.kind == "package" and not (
            _CHART_PART.search(source) and resolve_target(source, relationship.target).lower().endswith(".xlsx")
        ):
            raise _embedded_objects()
        if relationship.kind == "aFChunk":
            raise reject(
                "office_alt_chunk",
                gettext(
                    "This document contains content kept in another format (HTML or RTF imported when it opens), "
                    "which is not accepted. Open it in Word and save it again (Word turns that content into "
                    "ordinary text), or export it as PDF, and upload the new file."
                ),
            )


def _embedded_objects() -> FileRejectedError:
    return reject(
        "office_embedded_objects",
        gettext(
            "This file contains embedded objects (for example an inserted spreadsheet or document, an attached "
            "file, an equation from an older editor or a control), which are not accepted because they can "
            "carry programs. Replace each object with a picture of it (copy it, then Paste Special as a "
            "picture), or export the file as PDF, and upload the new file."
        ),
    )


def _xml_part_too_large() -> FileRejectedError:
    # office_checks.py's words for a part that unpacks to an abnormal size (the same translation).
    return reject(
        "office_xml_part_too_large",
        gettext(
            "This file contains a part that expands to an abnormal size when opened, "
            "so it cannot be accepted. Save it again from PowerPoint or Word and upload the new file."
        ),
    )


def _dtd(*, picture: bool) -> FileRejectedError:
    if picture:
        message = gettext(
            "A picture in this file (an SVG image) contains XML declarations (a DOCTYPE or entities), which "
            "are not accepted. Replace it with a PNG picture, or export the file as PDF, and upload the new file."
        )
    else:
        message = gettext(
            "This file contains XML declarations (a DOCTYPE or entities) that PowerPoint and Word never write, "
            "so it cannot be accepted. Save it again from PowerPoint or Word, or export it as PDF, and upload "
            "the new file."
        )
    return reject("office_dtd", message)
