"""Merging the proceedings volume with pikepdf (qpdf): pages, page numbers, bookmarks, labels.

qpdf copies pages without decoding their content, so merging 1,500 deck pages takes a fraction
of a second. Page numbers are stamped by wrapping each page's content in q/Q and appending one
small text stream; the page's own drawing is never parsed.
"""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

FONT_KEY = "/PortalPageNumber"


def open_pdf(field_file) -> Pdf:
    """A stored PDF, read through its storage (local disk or object storage alike)."""
    with field_file.open("rb") as handle:
        return Pdf.open(io.BytesIO(handle.read()))


class VolumeWriter:
    """Collects pages from several PDFs, then writes them as one volume."""

    def __init__(self):
        self.pdf = Pdf.new()
        self._font = self.pdf.make_indirect(
            Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
        )

    @property
    def page_count(self) -> int:
        return len(self.pdf.pages)

    def add_page(self, source: Pdf, index: int, *, number: str | None) -> None:
        self.pdf.pages.append(source.pages[index])
        if number is not None:
            self._stamp(self.pdf.pages[-1], number)

    def _stamp(self, page, text: str) -> None:
        resources = page.obj.get("/Resources")
        if resources is None:
            page.obj.Resources = Dictionary()
            resources = page.obj.Resources
        if "/Font" not in resources:
            resources.Font = Dictionary()
        resources.Font[FONT_KEY] = self._font
        box = page.mediabox
        left, bottom, right = float(box[0]), float(box[1]), float(box[2])
        # Helvetica digits are about half an em wide: centre the number without measuring it.
        x = left + (right - left) / 2 - len(text) * 8 * 0.28
        safe = text.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        page.contents_add(pikepdf.Stream(self.pdf, b"q\n"), prepend=True)
        page.contents_add(
            pikepdf.Stream(
                self.pdf,
                b"Q\nq BT %s 8 Tf 0.25 g %.2f %.2f Td (%s) Tj ET Q\n" % (FONT_KEY.encode(), x, bottom + 10, safe),
            ),
            prepend=False,
        )

    def set_page_labels(self, ranges: list[tuple[int, str, int]]) -> None:
        """ranges: (first page index, style "/r" or "/D", first number)."""
        numbers = Array()
        for first, style, start in ranges:
            numbers.append(first)
            numbers.append(Dictionary(S=Name(style), St=start))
        self.pdf.Root.PageLabels = Dictionary(Nums=numbers)

    def set_outline(self, entries: list[tuple[int, str, int]]) -> None:
        """entries: (level from 0, title, page index), in reading order."""
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

    def save(self, path) -> None:
        self.pdf.save(path)


def roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
