"""Writing the proceedings volume on disk: the portal's own pages, the decks, numbers, bookmarks, labels.

The volume is written in one pass by qpdf (QPDFJob, in this process through pikepdf), which copies
each deck's pages from its file while it writes, without decoding them or holding them in memory:
memory stays small whatever the decks weigh, and the time is that of qpdf merging the decks.

What the portal adds is prepared small beforehand:
- the *skeleton*: every page the portal rendered (cover, contents, programme, participants,
  session texts, index) in one PDF carrying the bookmarks, the contents links, the metadata. Every
  bookmark and link leads to one of these pages, so qpdf, which keeps the primary file's pages and
  outline, keeps them pointing right when it slots the decks in between;
- the *numbers*: one page per page of the volume with only its number, laid over it by qpdf.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf


@dataclass(frozen=True)
class DeckRun:
    """A whole deck, taken from a file on this disk."""

    path: Path


@dataclass(frozen=True)
class OwnPage:
    """One page of the skeleton (its index there)."""

    index: int


def open_pdf(field_file) -> Pdf:
    """A stored PDF the portal rendered (small), read whole through its storage."""
    with field_file.open("rb") as handle:
        return Pdf.open(io.BytesIO(handle.read()))


def deck_page_boxes(path: Path) -> list[tuple[float, float, float, float]]:
    """Each page's visible box (trim box, else crop box, else media box) as it is displayed, read
    without its content: a page turned a quarter (/Rotate 90 or 270) shows its width as height."""
    with pikepdf.open(path, access_mode=pikepdf.AccessMode.stream) as pdf:
        return [_displayed_box(page) for page in pdf.pages]


def _displayed_box(page) -> tuple[float, float, float, float]:
    box = tuple(float(v) for v in page.trimbox)
    if int(page.obj.get("/Rotate", 0)) % 180 == 0:
        return box
    # qpdf lays the number upright over the page as displayed: give it a page of those proportions.
    return (0.0, 0.0, abs(box[3] - box[1]), abs(box[2] - box[0]))


class Skeleton:
    """The portal's own pages of the volume, with its bookmarks, links and metadata."""

    def __init__(self):
        self.pdf = Pdf.new()

    @property
    def page_count(self) -> int:
        return len(self.pdf.pages)

    def add_page(self, source: Pdf, index: int) -> int:
        """Copy a page in; its index in the skeleton."""
        self.pdf.pages.append(source.pages[index])
        return len(self.pdf.pages) - 1

    def box(self, index: int) -> tuple[float, float, float, float]:
        return _displayed_box(self.pdf.pages[index])

    def link_to_pages(self, page_index: int, targets: dict[str, int]) -> None:
        """Turn the page's links to `portal-page:<key>` (as the contents template writes them) into
        links to the skeleton pages `targets` names."""
        page = self.pdf.pages[page_index]
        for annotation in page.obj.get("/Annots") or []:
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith("portal-page:"):
                continue
            target = targets.get(uri.removeprefix("portal-page:"))
            del annotation["/A"]
            if target is not None:
                annotation.Dest = Array([self.pdf.pages[target].obj, Name.Fit])

    def set_outline(self, entries: list[tuple[int, str, int]]) -> None:
        """entries: (level from 0, title, skeleton page index), in reading order."""
        with self.pdf.open_outline() as outline:
            parents: dict[int, OutlineItem] = {}
            for level, title, page in entries:
                item = OutlineItem(title, page)
                if level == 0:
                    outline.root.append(item)
                else:
                    parents[level - 1].children.append(item)
                parents[level] = item
        self.pdf.Root.PageMode = Name.UseOutlines

    def set_metadata(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self.pdf.docinfo[Name(key)] = value
        self.pdf.docinfo[Name.Creator] = "Workshop portal"

    def save(self, path: Path) -> None:
        self.pdf.save(path)


def write_numbers(path: Path, pages: list[tuple[tuple[float, float, float, float], str | None]]) -> None:
    """One page per page of the volume, the size of its visible box, with only its number (or nothing)."""
    pdf = Pdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    for box, text in pages:
        page = pdf.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
        page.obj.MediaBox = Array(list(box))
        if text is None:
            continue
        left, bottom, right = box[0], box[1], box[2]
        # Helvetica digits are about half an em wide: centre the number without measuring it.
        x = left + (right - left) / 2 - len(text) * 8 * 0.28
        safe = text.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        # On a white tab, so the number reads on a full-page photograph too.
        width = len(text) * 8 * 0.56
        page.obj.Contents = pdf.make_stream(
            b"q 1 g %.2f %.2f %.2f %.2f re f Q BT /F1 8 Tf 0.25 g %.2f %.2f Td (%s) Tj ET"
            % (x - 3, bottom + 7, width + 6, 12, x, bottom + 10, safe)
        )
    pdf.save(path)


def write_volume(
    *, skeleton_path: Path, sequence: list[OwnPage | DeckRun], numbers_path: Path, labels: list[str], output: Path
) -> None:
    """qpdf writes the volume: the skeleton's pages with the decks slotted in, numbered and labelled.
    labels: qpdf's page label specs, e.g. ["1:r/1", "9:D/1"]."""
    pages = []
    for entry in _runs(sequence):
        if isinstance(entry, DeckRun):
            pages.append({"file": str(entry.path), "range": "1-z"})
        else:
            first, last = entry
            pages.append({"file": ".", "range": f"{first + 1}-{last + 1}"})
    job = {
        "inputFile": str(skeleton_path),
        "outputFile": str(output),
        "pages": pages,
        "overlay": [{"file": str(numbers_path), "from": "1-z", "to": "1-z"}],
        "setPageLabels": labels,
        "warningExit0": "",
    }
    pikepdf.Job(job).run()


def _runs(sequence: list[OwnPage | DeckRun]):
    """Consecutive skeleton pages as (first, last) ranges; decks as they are."""
    start = previous = None
    for entry in sequence:
        if isinstance(entry, OwnPage) and previous is not None and entry.index == previous + 1:
            previous = entry.index
            continue
        if start is not None:
            yield (start, previous)
            start = previous = None
        if isinstance(entry, OwnPage):
            start = previous = entry.index
        else:
            yield entry
    if start is not None:
        yield (start, previous)


def roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
