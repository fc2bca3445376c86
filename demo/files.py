"""Small but real presentation files for the demo: PDFs written directly, PPTX with python-pptx.

The PDFs are built by hand (a few objects, Helvetica text) because rendering dozens of decks
with WeasyPrint would make `make run` wait; they open in any reader and in pypdf.
"""

import io

from pptx import Presentation as PptxPresentation
from pptx.util import Pt

PAGE_WIDTH, PAGE_HEIGHT = 842, 595  # A4 landscape, in points


def _pdf_text(text: str) -> str:
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _page_stream(title: str, lines: list[str], footer: str) -> bytes:
    parts = []
    y = 520
    for title_line in _wrap(title, 40)[:3]:
        parts.append(f"BT /F2 26 Tf 60 {y} Td (" + _pdf_text(title_line) + ") Tj ET")
        y -= 34
    y -= 26
    for line in lines:
        parts.append(f"BT /F1 16 Tf 80 {y} Td (" + _pdf_text("- " + line) + ") Tj ET")
        y -= 34
    parts.append("BT /F1 10 Tf 60 40 Td (" + _pdf_text(footer) + ") Tj ET")
    return "\n".join(parts).encode("latin-1")


def demo_pdf(title: str, presenter: str, slides: list[tuple[str, list[str]]]) -> bytes:
    """A deck: a title page, then one page per (heading, bullet lines)."""
    pages = [_page_stream(title, [presenter], title)] + [
        _page_stream(heading, lines, f"{title} - {number}") for number, (heading, lines) in enumerate(slides, 2)
    ]
    objects: list[bytes] = []
    # 1 catalog, 2 page tree, 3 and 4 fonts, then a page and its content per slide.
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for index, stream in enumerate(pages):
        content_ref = 6 + 2 * index
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_ref} 0 R >>"
            ).encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def demo_pptx(title: str, presenter: str, slides: list[tuple[str, list[str]]]) -> bytes:
    deck = PptxPresentation()
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = title
    cover.placeholders[1].text = presenter
    for heading, lines in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = heading
        body = slide.placeholders[1].text_frame
        body.text = lines[0]
        for line in lines[1:]:
            body.add_paragraph().text = line
        for paragraph in body.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(20)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
