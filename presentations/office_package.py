"""Reading an Office Open XML package (PPTX, DOCX) without trusting it: its relationships, which of its
parts are XML, and a DTD-refusing parse of those parts.

Shared by office_policy.py (what makes a file refused) and office_clean.py (what is removed from it).
Every XML part is parsed with defusedxml, which refuses a DOCTYPE outright, so no entity is ever
declared or expanded and no external DTD or entity is ever fetched. Parts are read in chunks from the
ZIP (their sizes are already bounded by office_checks.py), never whole.
"""

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

READ_CHUNK_BYTES = 256 * 1024
# A large deck's presentation.xml.rels lists one relationship per slide, master and layout: a few
# hundred. Each one read costs memory, so a part listing more than this is refused before it does.
MAX_RELATIONSHIPS_PER_PART = 10_000
# XML parts are parsed, and a parser holds a whole tag (with its attributes) at once: the largest
# part is bounded well below the package's unpacked limit. A 500-page paper's document.xml is ~10 MB.
MAX_XML_PART_BYTES = 64 * 1024 * 1024
PACKAGE_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Attributes in these namespaces hold relationship ids (r:id, r:embed, r:link, ...), transitional and strict.
RELATIONSHIP_ATTRIBUTE_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships",
    }
)
# VML (legacy drawings, OLE objects in DOCX) names a relationship with o:relid as well.
VML_OFFICE_NS = "urn:schemas-microsoft-com:office:office"
WORDPROCESSING_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    }
)
# Links a reader may follow when someone clicks them; everything else a hyperlink can name (file:,
# UNC paths, relative paths, smb:, ms-*: protocol handlers) opens something on a computer or a share.
_SAFE_LINK = re.compile(r"(?i)(?:https?://[^\s\\/?#]|mailto:)[^\x00-\x1f\x7f\\]*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DTD_MARKERS = tuple(
    marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY") for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


class UnsupportedEncodingError(ValueError):
    """An XML part in an encoding other than UTF-8 or UTF-16 (the only ones OPC allows)."""


class DtdFoundError(ValueError):
    """An XML part declares a DOCTYPE or entities."""


class TooManyRelationshipsError(ValueError):
    """A relationships part lists more relationships than any real document has."""


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str
    external: bool  # TargetMode="External"
    attributes: tuple[tuple[str, str], ...]  # as read, to write a kept relationship back unchanged

    @property
    def kind(self) -> str:
        """The last segment of the type URI: image, hyperlink, oleObject, attachedTemplate, ..."""
        return self.type.rstrip("/").rpartition("/")[2]

    @property
    def leaves_package(self) -> bool:
        """Whether the target is outside the package: external, or an absolute URL, UNC or drive path."""
        target = self.target.strip()
        return (
            self.external
            or bool(_SCHEME.match(target))
            or target.startswith(("//", "\\\\"))
            or "\\" in target
            or "\x00" in target
        )

    @property
    def is_web_link(self) -> bool:
        """A hyperlink to a web page or an email address: left alone, a reader only follows it on a click."""
        return self.kind == "hyperlink" and bool(_SAFE_LINK.fullmatch(self.target.strip()))


def is_relationships_part(name: str) -> bool:
    return name.lower().endswith(".rels")


def source_part(rels_name: str) -> str | None:
    """The part whose relationships `rels_name` holds ("" for the package itself, None if not a rels part)."""
    folder, _, file_name = rels_name.rpartition("/")
    parent, _, rels_folder = folder.rpartition("/")
    if rels_folder.lower() != "_rels" or not file_name.lower().endswith(".rels"):
        return None
    return posixpath.join(parent, file_name[: -len(".rels")]) if file_name.lower() != ".rels" else ""


def resolve_target(source: str, target: str) -> str:
    """The part name an internal relationship of `source` points at."""
    path = target.split("#", 1)[0]
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(source), path)
    return posixpath.normpath(joined).lstrip("/")


def is_web_target(target: str) -> bool:
    return bool(_SAFE_LINK.fullmatch(target.strip()))


def xml_encoding(head: bytes) -> str | None:
    """'utf-8' or 'utf-16' when the part's first bytes are XML, None when they are not XML at all.

    Raises UnsupportedEncodingError for XML in any other encoding: OPC allows only these two, and a
    part our parser cannot read must not be one LibreOffice's parser reads differently.
    """
    # UCS-4 first: its byte order marks and first bytes begin like UTF-16's.
    if head.startswith(
        (b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x4c\x6f\xa7\x94")
    ):
        raise UnsupportedEncodingError("UCS-4 or EBCDIC")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.startswith((b"<\x00", b"\x00<")):
        return "utf-16"
    # XML may open with whitespace (before a DOCTYPE too): NUL bytes are UTF-16's without a byte order mark.
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x00")
    if not stripped:
        return "utf-8"  # only whitespace so far: parsed, which finds a DTD however far it comes
    if not stripped.startswith(b"<"):
        return None
    if b"\x00" in head:
        return "utf-16"
    declared = _XML_ENCODING.match(stripped)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        raise UnsupportedEncodingError(declared.group(1).decode("ascii"))
    return "utf-8"


class _NoTree:
    """A parser target that builds nothing: only the parse itself is wanted, in constant memory."""

    def start(self, tag, attrib):
        pass

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None


class _Relationships(_NoTree):
    def __init__(self):
        self.found: list[Relationship] = []

    def start(self, tag, attrib):
        if tag == f"{{{PACKAGE_RELATIONSHIPS_NS}}}Relationship":
            if len(self.found) >= MAX_RELATIONSHIPS_PER_PART:
                raise TooManyRelationshipsError(f"more than {MAX_RELATIONSHIPS_PER_PART} relationships in one part")
            self.found.append(
                Relationship(
                    id=attrib.get("Id", ""),
                    type=attrib.get("Type", ""),
                    target=attrib.get("Target", ""),
                    # OPC spells it "External"; any other spelling is treated as external too.
                    external=attrib.get("TargetMode", "Internal") != "Internal",
                    attributes=tuple(attrib.items()),
                )
            )


def chunks(member: IO[bytes], head: bytes = b"") -> Iterator[bytes]:
    """The part's bytes in chunks, after `head` (what was already read of it)."""
    if head:
        yield head
    while chunk := member.read(READ_CHUNK_BYTES):
        yield chunk


def check_xml(data: Iterable[bytes]) -> bool:
    """Parse an XML part to its end; raise DtdFoundError if it declares a DOCTYPE or entities.

    Returns False when the part is not well-formed XML: such a part is left to the converter, which
    fails on it, but the rest of it is still searched for a DOCTYPE, which a lenient parser might honour.
    """
    return _parse(data, _NoTree())


def read_relationships(data: Iterable[bytes]) -> list[Relationship] | None:
    """The relationships of a .rels part, or None when it is not well-formed XML (DTDs raise DtdFoundError)."""
    target = _Relationships()
    return target.found if _parse(data, target) else None


def _parse(data: Iterable[bytes], target) -> bool:
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    well_formed = True
    tail = b""
    for chunk in data:
        window = tail + chunk
        if well_formed:
            try:
                parser.feed(chunk)
            except DefusedXmlException as error:
                raise DtdFoundError(str(error)) from None
            except ParseError:
                well_formed = False
        if not well_formed and any(marker in window for marker in _DTD_MARKERS):
            raise DtdFoundError("DOCTYPE in a part that is not well-formed")
        tail = window[-32:]
    if well_formed:
        try:
            parser.close()
        except DefusedXmlException as error:
            raise DtdFoundError(str(error)) from None
        except ParseError:
            return False
    return well_formed
