"""Assembling the volume from its rendered pieces and the decks.

Lay out the body (each deck inserted after its abstract page), render the contents and the index
now that page numbers are known, merge everything with pikepdf, stamp page numbers, add
bookmarks, page labels and metadata, and store the result.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from presentations.models import PresentationFile
from reports.models import ProceedingsBuild, ProceedingsPart
from reports.proceedings.manifest import front_key, manifest_hash, participants_key, session_key
from reports.proceedings.render import part_cached, store_part
from reports.proceedings.volume import VolumeWriter, open_pdf, roman
from workshop_portal.collation import collation_key
from workshop_portal.pdf import anchor_pages, html_render


@dataclass
class _Layout:
    """The body of the volume: session text pages with each deck after its abstract page."""

    pages: list = field(default_factory=list)  # (reader, page index in reader)
    outline: list = field(default_factory=list)  # (level, title, body page index)
    index_pages: dict = field(default_factory=dict)  # state or institution -> body page numbers
    notes: list = field(default_factory=list)


@dataclass
class _ContentsIndex:
    reader: object
    contents_pages: int  # the pages before the index begins


def assembly_parts(manifest: dict) -> dict[str, ProceedingsPart]:
    """The rendered pieces of this manifest by key; an error naming what is missing."""
    fronts = [front_key(manifest), participants_key(manifest)]
    keys = fronts + [session_key(manifest, s) for s in manifest["sessions"]]
    parts = {p.key: p for p in ProceedingsPart.objects.filter(key__in=keys)}
    missing = [s["title"] for s in manifest["sessions"] if session_key(manifest, s) not in parts]
    if any(key not in parts for key in fronts) or missing:
        raise RuntimeError(f"pieces missing at assembly: {', '.join(missing) or 'front matter'}")
    return parts


def assemble_volume(
    build: ProceedingsBuild, manifest: dict, parts: dict, workdir: Path, progress: Callable[[str], None]
) -> tuple[Path, int, list[str]]:
    """Write the volume into workdir: its path, its page count and the notes for the build's log.
    Runs under the volume's language; `progress` is told each step done."""
    layout = _lay_out_body(manifest, parts)
    progress(_("Laid out %(pages)d pages") % {"pages": len(layout.pages)})
    contents_index = _contents_and_index(manifest, layout)
    progress(_("Contents and index"))
    output = workdir / "proceedings.pdf"
    page_count = _merge(build, manifest, parts, layout, contents_index, output)
    progress(_("Merged %(pages)d pages") % {"pages": page_count})
    return output, page_count, layout.notes


# --- 1. The body ------------------------------------------------------------------------------


def _lay_out_body(manifest: dict, parts: dict) -> _Layout:
    layout = _Layout()
    versions = _deck_versions(manifest)
    for session in manifest["sessions"]:
        _lay_out_session(layout, session, parts[session_key(manifest, session)], versions)
    return layout


def _deck_versions(manifest: dict) -> dict[int, PresentationFile]:
    ids = [
        i["deck"]["version_id"] for s in manifest["sessions"] for g in s["segments"] for i in g["items"] if i["deck"]
    ]
    return {v.pk: v for v in PresentationFile.objects.filter(pk__in=ids)}


def _lay_out_session(layout: _Layout, session: dict, part: ProceedingsPart, versions: dict) -> None:
    layout.notes.extend(part.notes)
    reader = open_pdf(part.file)
    decks_after = _decks_after(session, part)
    session_start = len(layout.pages)
    page_of_text = {}
    for page_index in range(part.page_count):
        page_of_text[page_index] = len(layout.pages)
        layout.pages.append((reader, page_index))
        item = decks_after.get(page_index)
        if item and item["deck"]:
            deck = _open_deck(item, versions.get(item["deck"]["version_id"]), layout.notes)
            if deck is not None:
                layout.pages.extend((deck, deck_index) for deck_index in range(len(deck.pages)))
    _outline_session(layout, session, part, session_start, page_of_text)


def _decks_after(session: dict, part: ProceedingsPart) -> dict[int, dict]:
    """The last text page of each presentation -> the presentation, whose deck follows that page."""
    starts = part.outline.get("presentations", {})
    items = [i for g in session["segments"] for i in g["items"]]
    ordered = sorted((starts.get(str(i["id"])), i) for i in items if starts.get(str(i["id"])) is not None)
    boundaries = [page for page, _item in ordered[1:]] + [part.page_count] if ordered else []
    seg_starts = {page for page in part.outline.get("segments", {}).values() if page is not None}
    decks_after = {}
    for (start, item), end in zip(ordered, boundaries, strict=True):
        # A presentation's text runs until the next presentation or segment begins.
        following = [page for page in seg_starts if start < page <= end] + [end]
        decks_after[min(following) - 1] = item
    return decks_after


def _open_deck(item: dict, version: PresentationFile | None, notes: list[str]):
    """The deck's PDF, or None with a note: an unreadable deck is noted, never fatal."""
    try:
        deck = open_pdf(version.pdf_file)
        len(deck.pages)
    except Exception as error:
        notes.append(
            _("“%(title)s”: the file could not be read and is not included (%(error)s).")
            % {"title": item["title"], "error": type(error).__name__}
        )
        return None
    return deck


def _outline_session(layout: _Layout, session: dict, part: ProceedingsPart, start: int, page_of_text: dict) -> None:
    """Bookmarks for the session, its segments and presentations; index entries for the latter."""
    layout.outline.append((1, session["title"], start))
    starts = part.outline.get("presentations", {})
    for segment in session["segments"]:
        page = part.outline.get("segments", {}).get(str(segment["id"]))
        if page is not None:
            layout.outline.append((2, segment["title"], page_of_text[page]))
        for item in segment["items"]:
            page = starts.get(str(item["id"]))
            if page is None:
                continue
            layout.outline.append((3, f"{item['title']} — {item['presenter']}", page_of_text[page]))
            for name in filter(None, [item["state"], item["institution"]]):
                layout.index_pages.setdefault(name, []).append(page_of_text[page] + 1)


# --- 2. Contents and index, now that the body's page numbers are known ------------------------


def _contents_and_index(manifest: dict, layout: _Layout) -> _ContentsIndex:
    contents = [{"level": level, "title": title, "page": page + 1} for level, title, page in layout.outline]
    contents.append(
        {"level": 1, "title": _("Index of participating member states and institutions"), "page": len(layout.pages) + 1}
    )
    index = [
        {"name": name, "pages": sorted(set(pages))}
        for name, pages in sorted(layout.index_pages.items(), key=lambda kv: collation_key(kv[0]))
    ]
    # Cached like the other pieces: a replaced deck of the same length leaves the contents as they were.
    key = manifest_hash(["contents", manifest["template"], manifest["language"], contents, index])
    if not part_cached(key):
        document = html_render(
            render_to_string("reports/pdf/contents_index.html", {"contents": contents, "index": index})
        )
        index_page = anchor_pages(document).get("index", len(document.pages))
        # Tagged with the workshop: its key depends on the layout, so a purge could not derive it.
        store_part(key, document, outline={"index_page": index_page, "workshop": manifest["workshop"]["id"]}, notes=[])
    part = ProceedingsPart.objects.get(key=key)
    return _ContentsIndex(reader=open_pdf(part.file), contents_pages=part.outline["index_page"])


# --- 3. Merge: cover, contents, programme, participants | sessions with decks | index ---------


def _merge(
    build: ProceedingsBuild, manifest: dict, parts: dict, layout: _Layout, ci: _ContentsIndex, output: Path
) -> int:
    front = open_pdf(parts[front_key(manifest)].file)
    participants = open_pdf(parts[participants_key(manifest)].file)
    sequence = [(front, 0)] + [(ci.reader, i) for i in range(ci.contents_pages)]
    sequence += [(front, i) for i in range(1, len(front.pages))]
    sequence += [(participants, i) for i in range(len(participants.pages))]
    front_count = len(sequence)
    sequence += layout.pages + [(ci.reader, i) for i in range(ci.contents_pages, len(ci.reader.pages))]
    volume = VolumeWriter()
    for position, (source, page_index) in enumerate(sequence):
        volume.add_page(source, page_index, number=_page_number(position, front_count))
    volume.set_page_labels([(0, "/r", 1), (front_count, "/D", 1)])
    index_title = _("Index of participating member states and institutions")
    volume.set_outline(
        [(0, manifest["workshop"]["title"], 0), (1, _("Contents"), 1)]
        + [(level, title, front_count + page) for level, title, page in layout.outline]
        + [(1, index_title, front_count + len(layout.pages))]
    )
    volume.set_metadata(
        {
            "/Title": _("Proceedings: %(title)s") % {"title": manifest["workshop"]["title"]},
            "/Author": manifest["workshop"]["host"],
            "/Subject": f"{manifest['workshop']['city']}, {manifest['workshop']['start_date']}",
            "/Keywords": f"build {build.pk}; inputs {build.inputs_hash}",
        }
    )
    volume.save(output)
    return len(sequence)


def _page_number(position: int, front_count: int) -> str | None:
    if position == 0:
        return None  # the cover carries no number
    if position < front_count:
        return roman(position + 1)
    return str(position - front_count + 1)


# --- 4. Storing it ----------------------------------------------------------------------------


def store_volume(build: ProceedingsBuild, output: Path) -> tuple[str, int, str]:
    """Store the written volume under a fresh name: its stored name, size and SHA-256."""
    digest = hashlib.sha256()
    with output.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    name = f"{build.workshop.slug}-proceedings-{build.pk}-{secrets.token_hex(6)}.pdf"
    with output.open("rb") as handle:
        stored = build.file.storage.save(f"proceedings/{name}", File(handle))
    return stored, output.stat().st_size, digest.hexdigest()
