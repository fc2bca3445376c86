"""Files generated for the tests: real PDF, PPTX and DOCX documents, never committed binaries."""

import io

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.files import demo_pdf, demo_pptx, photo_deck_pdf, photograph_jpeg  # noqa: F401 (used by the tests)


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
