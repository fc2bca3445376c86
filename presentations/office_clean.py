"""Rewrite an accepted PPTX/DOCX into the inert copy that is stored, served and converted.

office_policy.py has already refused what cannot be made safe (DTDs, embedded objects, imported
chunks). What is left that reaches outside the file is removed here, so the deck or paper still
opens and converts, and the delegate is told what went (enums.RemovedContent):

* ``office_external_content``: every relationship whose target leaves the package (``TargetMode=
  "External"``, or an internal one naming a URL, a UNC path or a drive) other than a hyperlink to a web
  page or an email address: linked pictures, audio and video, attached templates, OLE links, frames,
  subdocuments, mail-merge sources, a chart's linked workbook. LibreOffice fetched such targets while
  converting (SSRF), and Word or PowerPoint fetches them when a reader opens the file. Word fields
  that include content from elsewhere (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE, ...) lose their code
  and keep their last result.
* ``office_local_links``: hyperlinks to anything but ``http``, ``https`` and ``mailto`` (``file:``, UNC
  paths ``\\\\host\\share``, relative paths, other schemes), and HYPERLINK fields naming one.

Every ``.rels`` part of the package is read (``_rels/.rels``, each part's own, ``settings.xml.rels``
with the attached template, slides, charts, custom XML). A removed relationship is dropped from its
``.rels`` part, and the part that used it loses the attribute naming it (``r:link``, ``r:id``,
``r:embed``, ``o:relid``) or, where the element means nothing without it, the element itself
(office_rewrite.py). Every other part is copied byte for byte; the package is always written anew
(same entry names, same order, deflated), so what is stored is exactly what this module read.
Memory stays bounded: entries are streamed, never held whole.
"""

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from presentations.enums import FileKind, RemovedContent
from presentations.office_package import (
    PACKAGE_RELATIONSHIPS_NS,
    DtdFoundError,
    Relationship,
    TooManyRelationshipsError,
    UnsupportedEncodingError,
    chunks,
    is_relationships_part,
    read_relationships,
    source_part,
    xml_encoding,
)
from presentations.office_rewrite import FieldNestingError, PartRewriter
from presentations.refusals import office_damaged

COPY_CHUNK_BYTES = 1024 * 1024


@dataclass
class _Plan:
    removed: list[str] = field(default_factory=list)  # RemovedContent codes, in the order found
    relationships: dict[str, list[Relationship]] = field(default_factory=dict)  # rels part -> what it keeps
    removed_ids: dict[str, frozenset[str]] = field(default_factory=dict)  # source part -> ids it may not use
    rewritten: dict[str, bool] = field(default_factory=dict)  # part -> whether Word's fields are judged in it


def clean_office(source: Path, target: Path, *, kind: str) -> list[str]:
    """Write the clean copy of `source` to `target`; return the RemovedContent codes of what was removed."""
    try:
        with zipfile.ZipFile(source) as archive:
            plan = _plan(archive, word=kind == FileKind.DOCX)
            _write(archive, Path(target), plan)
    except (
        expat.ExpatError,
        DtdFoundError,
        UnsupportedEncodingError,
        TooManyRelationshipsError,
        FieldNestingError,
    ) as error:
        # A part that must be rewritten but cannot be read: refused rather than stored half-cleaned.
        raise office_damaged() from error
    return [str(code) for code in plan.removed]


def _plan(archive: zipfile.ZipFile, *, word: bool) -> _Plan:
    """First pass: which relationships go, which parts must be rewritten."""
    plan = _Plan()
    for entry in archive.infolist():
        if not is_relationships_part(entry.filename):
            continue
        with archive.open(entry) as member:
            relationships = read_relationships(chunks(member))
        if relationships is None:
            raise office_damaged()
        kept, gone = [], []
        for relationship in relationships:
            if relationship.leaves_package and not relationship.is_web_link:
                gone.append(relationship.id)
                plan.removed.append(
                    RemovedContent.OFFICE_LOCAL_LINKS
                    if relationship.kind == "hyperlink"
                    else RemovedContent.OFFICE_EXTERNAL_CONTENT
                )
            else:
                kept.append(relationship)
        if gone:
            plan.relationships[entry.filename] = kept
            owner = source_part(entry.filename)
            if owner:
                plan.removed_ids[owner] = frozenset(gone)
    # Second look, at the parts that may have to change: those that used a removed relationship, and
    # Word's parts for fields. A part is rewritten only when something in it really goes.
    for entry in archive.infolist():
        name = entry.filename
        fields = word and _is_word_xml(name)
        if name not in plan.removed_ids and not fields:
            continue
        with archive.open(entry) as member:
            head = member.read(64)
            if xml_encoding(head) is None:
                continue
            scan = PartRewriter(lambda text: None, removed_ids=plan.removed_ids.get(name, frozenset()), fields=fields)
            plan.removed.extend(scan.rewrite(chunks(member, head)))
        if scan.changed:
            plan.rewritten[name] = fields
    return plan


def _is_word_xml(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("word/") and lowered.endswith(".xml")


def _write(archive: zipfile.ZipFile, target: Path, plan: _Plan) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in archive.infolist():
            name = entry.filename
            info = zipfile.ZipInfo(name, date_time=entry.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry) as member, out.open(info, "w") as destination:
                if name in plan.relationships:
                    destination.write(_relationships_xml(plan.relationships[name]))
                    continue
                if name in plan.rewritten:
                    rewriter = PartRewriter(
                        lambda text, sink=destination: sink.write(text.encode("utf-8")),
                        removed_ids=plan.removed_ids.get(name, frozenset()),
                        fields=plan.rewritten[name],
                    )
                    rewriter.rewrite(chunks(member))
                else:
                    shutil.copyfileobj(member, destination, COPY_CHUNK_BYTES)


def _attribute(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _relationships_xml(relationships: list[Relationship]) -> bytes:
    """A relationships part with the package-relationships namespace as its default namespace, as
    Office writes it (LibreOffice reads no other form)."""
    items = "".join(
        "<Relationship"
        + "".join(f' {key}="{_attribute(value)}"' for key, value in relationship.attributes if "{" not in key)
        + "/>"
        for relationship in relationships
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS_NS}">{items}</Relationships>'
    ).encode()
