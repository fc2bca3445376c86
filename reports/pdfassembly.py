"""Low-level PDF work for the proceedings: page numbers stamped onto merged pages.

Stamping appends a small content stream to each page and adds one font to its resources; the
page's own content is never parsed, so numbering 1,500 pages of decks costs little.
"""

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

FONT_KEY = NameObject("/PortalPageNumber")


def _pdf_string(text: str) -> bytes:
    safe = text.encode("latin-1", "replace")
    return safe.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


class PageStamper:
    """Writes a page number at the bottom centre of pages of a PdfWriter."""

    def __init__(self, writer: PdfWriter, *, font_size: float = 8):
        self.writer = writer
        self.font_size = font_size
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        self.font_ref = writer._add_object(font)
        save = DecodedStreamObject()
        save.set_data(b"q\n")
        self.save_ref = writer._add_object(save)

    def stamp(self, page, text: str) -> None:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        if resources is None:
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts[FONT_KEY] = self.font_ref

        box = page.mediabox
        left, bottom = float(box.left), float(box.bottom)
        width = float(box.right) - left
        # Helvetica digits are about half an em wide: centre the number without measuring it.
        x = left + width / 2 - len(text) * self.font_size * 0.28
        y = bottom + 10
        restore_and_draw = DecodedStreamObject()
        restore_and_draw.set_data(
            b"Q\nq BT %s %.1f Tf 0.25 g %.2f %.2f Td (%s) Tj ET Q\n"
            % (FONT_KEY.encode(), self.font_size, x, y, _pdf_string(text))
        )
        draw_ref = self.writer._add_object(restore_and_draw)

        contents = page.get("/Contents")
        existing = []
        if contents is not None:
            resolved = contents.get_object()
            existing = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([self.save_ref, *existing, draw_ref])


def roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
