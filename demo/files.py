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


def photograph_jpeg(width: int, height: int, seed: int, quality: int = 85) -> bytes:
    """A photograph-like picture: smooth random shapes under fine grain, which JPEG compresses about as
    badly as a real photograph (a flat colour would shrink to nothing and prove nothing)."""
    import random

    from PIL import Image, ImageChops

    rng = random.Random(seed)
    small = (max(1, width // 8), max(1, height // 8))
    picture = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3)).resize(
        (width, height), Image.BICUBIC
    )
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    out = io.BytesIO()
    ImageChops.blend(picture, grain, 0.25).save(out, "JPEG", quality=quality)
    return out.getvalue()


def photo_deck_pdf(
    pages: int = 3,
    *,
    title: str = "Photographs of the programme",
    page_size: tuple[float, float] = (720, 540),
    dpi: int = 300,
    seed: int = 0,
    pictures: list[bytes] | None = None,
) -> bytes:
    """A deck exported at print quality: each page a full-page photograph at `dpi` with a line of
    real text over it. `pictures` (JPEG bytes of the right size) are reused in turn when given, so
    a benchmark can write gigabytes without making every picture anew."""
    import pikepdf
    from pikepdf import Dictionary, Name

    pdf = pikepdf.Pdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    width, height = round(page_size[0] / 72 * dpi), round(page_size[1] / 72 * dpi)
    for number in range(pages):
        data = pictures[number % len(pictures)] if pictures else photograph_jpeg(width, height, seed * 1000 + number)
        image = pikepdf.Stream(pdf, data)
        image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.DCTDecode
        image.Width, image.Height, image.ColorSpace, image.BitsPerComponent = width, height, Name.DeviceRGB, 8
        page = pdf.add_blank_page(page_size=page_size)
        page.Resources = Dictionary(XObject=Dictionary(Photo=image), Font=Dictionary(F1=font))
        caption = f"{title}, page {number + 1}".encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
        page.Contents = pdf.make_stream(
            b"q %.2f 0 0 %.2f 0 0 cm /Photo Do Q BT /F1 14 Tf 24 24 Td (%s) Tj ET" % (*page_size, caption)
        )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
