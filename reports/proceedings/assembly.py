"""Assembling the volume from its rendered pieces and the decks, in two editions.

Read each deck's page count and page boxes (not its content), lay out the body (each deck after its
abstract page), render the contents and the index now that page numbers are known, gather the
portal's own pages into the skeleton with bookmarks, contents links and metadata, and let qpdf
write the volume from the skeleton and the decks on disk (reports/proceedings/volume.py): first
the print edition (the decks as uploaded), then the web edition (each deck's web copy, its
pictures at about 150 dpi: presentations/web_copies.py). Each edition is stored as soon as it is
written, so at most one edition and, on object storage, the copies of its decks are on disk.
"""

import hashlib
import secrets
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from presentations.models import PresentationFile
from presentations.web_copies import web_copy_make
from reports.models import ProceedingsBuild, ProceedingsPart
from reports.proceedings.manifest import (
    chapter_key,
    front_key,
    manifest_chapters,
    manifest_hash,
    participants_key,
    session_key,
)
from reports.proceedings.render import part_cached, store_part
from reports.proceedings.volume import (
    DeckRun,
    OwnPage,
    Skeleton,
    deck_page_boxes,
    open_pdf,
    roman,
    write_numbers,
    write_volume,
)
from workshop_portal.collation import collation_key
from workshop_portal.pdf import anchor_pages, html_render
from workshop_portal.storage import local_path, store_local_file

PRINT, WEB = "print", "web"
# A deck's web copy is used when it is at most this share of the deck; text slides gain nothing. A
# second edition is written only when the decks' web copies together are at most this share too:
# a few percent saved on a handful of decks is not worth a second file and a second write.
WORTH_A_WEB_COPY = 0.9


@dataclass
class _Deck:
    version: PresentationFile
    boxes: list  # each page's visible box, read from the print file


@dataclass
class _Layout:
    """The body of the volume: session text pages (reader, index) with each deck after its abstract page."""

    pages: list = field(default_factory=list)  # (reader, page index) or _Deck
    body_count: int = 0  # pages, decks counted in full
    outline: list = field(default_factory=list)  # (level, title, body page index)
    index_pages: dict = field(default_factory=dict)  # state or institution -> body page numbers
    notes: list = field(default_factory=list)


@dataclass
class _ContentsIndex:
    reader: object
    contents_pages: int  # the pages before the index begins


@dataclass
class StoredEdition:
    name: str
    size: int
    sha256: str


@dataclass
class AssembledVolume:
    page_count: int
    notes: list[str]
    editions: dict[str, StoredEdition]


def assembly_parts(manifest: dict) -> dict[str, ProceedingsPart]:
    """The rendered pieces of this manifest by key; an error naming what is missing."""
    fronts = [front_key(manifest), participants_key(manifest)]
    chapters = manifest_chapters(manifest)
    keys = fronts + [session_key(manifest, s) for s in manifest["sessions"]]
    keys += [chapter_key(manifest, c) for c in chapters]
    parts = {p.key: p for p in ProceedingsPart.objects.filter(key__in=keys)}
    missing = [s["title"] for s in manifest["sessions"] if session_key(manifest, s) not in parts]
    missing += [c["title"] for c in chapters if chapter_key(manifest, c) not in parts]
    if any(key not in parts for key in fronts) or missing:
        raise RuntimeError(f"pieces missing at assembly: {', '.join(missing) or 'front matter'}")
    return parts


def assemble_volume(
    build: ProceedingsBuild, manifest: dict, parts: dict, workdir: Path, progress: Callable[[str], None]
) -> AssembledVolume:
    """Write and store both editions; what was stored, the page count and the notes for the build's log.
    Runs under the volume's language; `progress` is told each step done. On failure nothing stays stored."""
    stored: dict[str, StoredEdition] = {}
    try:
        with ExitStack() as print_decks:
            paths = {}
            decks = _read_decks(manifest, workdir / "print", print_decks, paths)
            layout = _lay_out_body(manifest, parts, decks)
            progress(_("Laid out %(pages)d pages") % {"pages": layout.body_count})
            contents_index = _contents_and_index(manifest, layout)
            progress(_("Contents and index"))
            volume = _prepare(build, manifest, parts, layout, contents_index, workdir)
            stored[PRINT] = _write_and_store(build, volume, paths, workdir, PRINT)
        progress(_("Print edition: %(pages)d pages") % {"pages": volume.page_count})
        with ExitStack() as web_decks:
            paths = _web_deck_paths(decks, workdir / "web", web_decks, layout.notes)
            if paths is None:
                # The web copies would save under a tenth (text slides): the web edition is the print edition.
                stored[WEB] = stored[PRINT]
            else:
                stored[WEB] = _write_and_store(build, volume, paths, workdir, WEB)
        progress(_("Web edition"))
    except BaseException:
        for edition in stored.values():
            build.file.storage.delete(edition.name)
        raise
    return AssembledVolume(page_count=volume.page_count, notes=layout.notes, editions=stored)


# --- 0. The decks: on this disk, their pages counted and measured ------------------------------


def _read_decks(manifest: dict, workdir: Path, stack: ExitStack, paths: dict) -> dict[int, _Deck | str]:
    """version id -> the deck (its local path put in `paths`), or the error that keeps it out."""
    ids = [
        i["deck"]["version_id"] for s in manifest["sessions"] for g in s["segments"] for i in g["items"] if i["deck"]
    ]
    decks: dict[int, _Deck | str] = {}
    for version in PresentationFile.objects.filter(pk__in=ids):
        try:
            path = stack.enter_context(local_path(version.pdf_file, workdir))
            boxes = deck_page_boxes(path)
            if not boxes:
                raise ValueError("no pages")
        except Exception as error:
            decks[version.pk] = type(error).__name__
            continue
        decks[version.pk] = _Deck(version=version, boxes=boxes)
        paths[version.pk] = path
    return decks


def _web_deck_paths(decks: dict, workdir: Path, stack: ExitStack, notes: list[str]) -> dict[int, Path] | None:
    """Each deck's web copy on this disk, made now if no worker made it; the print file where the
    copy saves little or none can be made (noted), so the web edition has every page of the print
    edition. None when the web copies together would not save a tenth of the decks' bytes."""
    paths, print_bytes, web_bytes = {}, 0, 0
    for pk, deck in decks.items():
        if not isinstance(deck, _Deck):
            continue
        version = deck.version
        print_bytes += version.pdf_file.size
        try:
            web_copy_make(version)
            if version.web_pdf_downsampled != 0 and version.web_pdf.size < WORTH_A_WEB_COPY * version.pdf_file.size:
                path = stack.enter_context(local_path(version.web_pdf, workdir))
                if len(deck_page_boxes(path)) != len(deck.boxes):
                    raise ValueError("page count differs")
                paths[pk] = path
                web_bytes += version.web_pdf.size
                continue
        except Exception as error:
            notes.append(
                _("“%(title)s”: no web copy could be made (%(error)s); the web edition has it as uploaded.")
                % {"title": version.presentation.title, "error": type(error).__name__}
            )
        paths[pk] = stack.enter_context(local_path(version.pdf_file, workdir))
        web_bytes += version.pdf_file.size
    return paths if web_bytes < WORTH_A_WEB_COPY * print_bytes else None


# --- 1. The body ------------------------------------------------------------------------------


def _lay_out_body(manifest: dict, parts: dict, decks: dict) -> _Layout:
    layout = _Layout()
    for session in manifest["sessions"]:
        _lay_out_session(layout, session, parts[session_key(manifest, session)], decks)
    for chapter in manifest_chapters(manifest):
        _lay_out_chapter(layout, chapter, parts[chapter_key(manifest, chapter)])
    return layout


def _lay_out_chapter(layout: _Layout, chapter: dict, part: ProceedingsPart) -> None:
    """An extra chapter after the sessions: its pages, one bookmark and contents entry at its start."""
    layout.notes.extend(part.notes)
    reader = open_pdf(part.file)
    layout.outline.append((1, chapter["title"], layout.body_count))
    for page_index in range(part.page_count):
        layout.pages.append((reader, page_index))
        layout.body_count += 1


def _lay_out_session(layout: _Layout, session: dict, part: ProceedingsPart, decks: dict) -> None:
    layout.notes.extend(part.notes)
    reader = open_pdf(part.file)
    decks_after = _decks_after(session, part)
    session_start = layout.body_count
    page_of_text = {}
    for page_index in range(part.page_count):
        page_of_text[page_index] = layout.body_count
        layout.pages.append((reader, page_index))
        layout.body_count += 1
        item = decks_after.get(page_index)
        if item and item["deck"]:
            deck = decks.get(item["deck"]["version_id"])
            if isinstance(deck, _Deck):
                layout.pages.append(deck)
                layout.body_count += len(deck.boxes)
            else:
                layout.notes.append(
                    _("“%(title)s”: the file could not be read and is not included (%(error)s).")
                    % {"title": item["title"], "error": deck or "DoesNotExist"}
                )
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
        {"level": 1, "title": _("Index of participating member states and institutions"), "page": layout.body_count + 1}
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


# --- 3. The volume: cover, contents, programme, participants | sessions with decks | index ----


@dataclass
class _Prepared:
    """What both editions share: the skeleton, the page numbers, the labels, the order of it all."""

    skeleton_path: Path
    numbers_path: Path
    sequence: list  # OwnPage, or the version id of a deck where it goes
    labels: list[str]
    page_count: int


def _prepare(
    build: ProceedingsBuild, manifest: dict, parts: dict, layout: _Layout, ci: _ContentsIndex, workdir: Path
) -> _Prepared:
    front = open_pdf(parts[front_key(manifest)].file)
    participants = open_pdf(parts[participants_key(manifest)].file)
    own = [(front, 0)] + [(ci.reader, i) for i in range(ci.contents_pages)]
    own += [(front, i) for i in range(1, len(front.pages))]
    own += [(participants, i) for i in range(len(participants.pages))]
    front_count = len(own)
    body = layout.pages + [(ci.reader, i) for i in range(ci.contents_pages, len(ci.reader.pages))]

    skeleton = Skeleton()
    sequence, boxes = [], []
    skeleton_page_at = {}  # position in the volume -> skeleton page
    for entry in own + body:
        if isinstance(entry, _Deck):
            sequence.append(entry.version.pk)
            boxes.extend(entry.boxes)
            continue
        index = skeleton.add_page(*entry)
        skeleton_page_at[len(boxes)] = index
        sequence.append(OwnPage(index))
        boxes.append(skeleton.box(index))

    index_title = _("Index of participating member states and institutions")
    outline = (
        [(0, manifest["workshop"]["title"], 0), (1, _("Contents"), 1)]
        + [(level, title, front_count + page) for level, title, page in layout.outline]
        + [(1, index_title, front_count + layout.body_count)]
    )
    # Every bookmark and contents entry leads to a page of the skeleton (a title, never a deck page).
    skeleton.set_outline([(level, title, skeleton_page_at[page]) for level, title, page in outline])
    targets = {str(n): skeleton_page_at[front_count + page] for n, (_level, _title, page) in enumerate(layout.outline)}
    targets[str(len(layout.outline))] = skeleton_page_at[front_count + layout.body_count]
    for contents_page in range(1, 1 + ci.contents_pages):
        skeleton.link_to_pages(contents_page, targets)
    skeleton.set_metadata(
        {
            "/Title": _("Proceedings: %(title)s") % {"title": manifest["workshop"]["title"]},
            "/Author": manifest["workshop"]["host"],
            "/Subject": f"{manifest['workshop']['city']}, {manifest['workshop']['start_date']}",
            "/Keywords": f"build {build.pk}; inputs {build.inputs_hash}",
        }
    )
    prepared = _Prepared(
        skeleton_path=workdir / "skeleton.pdf",
        numbers_path=workdir / "numbers.pdf",
        sequence=sequence,
        labels=["1:r/1", f"{front_count + 1}:D/1"],
        page_count=len(boxes),
    )
    skeleton.save(prepared.skeleton_path)
    write_numbers(prepared.numbers_path, [(box, _page_number(n, front_count)) for n, box in enumerate(boxes)])
    return prepared


def _page_number(position: int, front_count: int) -> str | None:
    if position == 0:
        return None  # the cover carries no number
    if position < front_count:
        return roman(position + 1)
    return str(position - front_count + 1)


# --- 4. Writing and storing an edition --------------------------------------------------------


def _write_and_store(
    build: ProceedingsBuild, volume: _Prepared, deck_paths: dict[int, Path], workdir: Path, edition: str
) -> StoredEdition:
    output = workdir / f"{edition}.pdf"
    sequence = [entry if isinstance(entry, OwnPage) else DeckRun(deck_paths[entry]) for entry in volume.sequence]
    try:
        write_volume(
            skeleton_path=volume.skeleton_path,
            sequence=sequence,
            numbers_path=volume.numbers_path,
            labels=volume.labels,
            output=output,
        )
        return store_edition(build, output, edition)
    finally:
        output.unlink(missing_ok=True)


def store_edition(build: ProceedingsBuild, output: Path, edition: str) -> StoredEdition:
    """Store a written edition under a fresh name (moved there when the storage is on this disk)."""
    digest = hashlib.sha256()
    with output.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    size = output.stat().st_size
    suffix = "" if edition == PRINT else f"-{edition}"
    name = f"proceedings/{build.workshop.slug}-proceedings-{build.pk}{suffix}-{secrets.token_hex(6)}.pdf"
    return StoredEdition(name=store_local_file(build.file.storage, name, output), size=size, sha256=digest.hexdigest())
