"""Files generated for the tests: real PDF, PPTX and DOCX documents, never committed binaries."""

import io

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.files import demo_pdf, demo_pptx


def pdf_bytes(pages: int = 2, title: str = "Best practice in Central Asia") -> bytes:
    return demo_pdf(title, "A presenter", [(f"Slide {n}", ["A point", "Another point"]) for n in range(2, pages + 1)])


def blank_pdf_bytes(pages: int = 1) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pptx_bytes(title: str = "Slides for the workshop") -> bytes:
    return demo_pptx(title, "A presenter", [("First point", ["One", "Two"]), ("Second point", ["Three"])])


def docx_bytes(text: str = "A paper on technical cooperation") -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(text, level=1)
    document.add_paragraph("Казахстан, كازاخستان, and their partners.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


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
