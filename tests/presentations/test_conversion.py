"""PPTX/DOCX to PDF conversion with headless LibreOffice (no database needed)."""

import subprocess
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from presentations.conversion import (
    TEMP_PREFIX,
    ConversionFailedError,
    ConversionUnavailableError,
    convert_to_pdf,
    libreoffice_path,
)

needs_libreoffice = pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed")

PPTX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/ppt/presentation.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
    "</Types>"
)


@pytest.fixture
def pptx_file(tmp_path) -> Path:
    presentation = Presentation()
    title_only = presentation.slide_layouts[5]
    for title in ("Slide one", "Slide two", "Slide three"):
        presentation.slides.add_slide(title_only).shapes.title.text = title
    path = tmp_path / "deck.pptx"
    presentation.save(path)
    return path


@pytest.fixture
def docx_file(tmp_path) -> Path:
    document = Document()
    document.add_heading("Regional cooperation", level=1)
    document.add_paragraph("Host country: Казахстан (كازاخستان).")
    path = tmp_path / "paper.docx"
    document.save(path)
    return path


@pytest.fixture
def run_temp_dir(tmp_path, monkeypatch) -> Path:
    # Runs make their temp dirs here instead of the shared /tmp, so leftovers of *this* test can be told apart.
    base = tmp_path / "runs"
    base.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(base))
    return base


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@needs_libreoffice
def test_pptx_converts_to_pdf_with_one_page_per_slide(pptx_file, tmp_path, run_temp_dir):
    output_dir = tmp_path / "pdfs"

    pdf = convert_to_pdf(pptx_file, output_dir)

    assert pdf.parent == output_dir
    assert pdf.suffix == ".pdf"
    assert len(PdfReader(pdf).pages) == 3
    assert "Slide one" in pdf_text(pdf)
    assert list(run_temp_dir.iterdir()) == []  # profile and working copy removed


@needs_libreoffice
def test_docx_converts_to_pdf_keeping_non_latin_text(docx_file, tmp_path):
    pdf = convert_to_pdf(docx_file, tmp_path / "pdfs")

    text = pdf_text(pdf)
    assert "Regional cooperation" in text
    assert "Казахстан" in text


@needs_libreoffice
def test_odd_file_name_is_converted_under_a_generated_name(pptx_file, tmp_path):
    odd = tmp_path / "--outdir; rm -rf ~ $(x) 'deck'.PPTX"
    odd.write_bytes(pptx_file.read_bytes())

    pdf = convert_to_pdf(odd, tmp_path / "pdfs")

    assert len(PdfReader(pdf).pages) == 3
    assert len(pdf.stem) == 32  # uuid4 hex, nothing taken from the upload's name


@needs_libreoffice
def test_zip_that_is_not_a_presentation_fails(tmp_path, run_temp_dir):
    fake = tmp_path / "fake.pptx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("[Content_Types].xml", PPTX_CONTENT_TYPES)
    output_dir = tmp_path / "pdfs"

    with pytest.raises(ConversionFailedError) as excinfo:
        convert_to_pdf(fake, output_dir)

    assert str(excinfo.value)  # a reason the organisers can read
    assert not output_dir.exists() or list(output_dir.iterdir()) == []
    assert list(run_temp_dir.iterdir()) == []


@needs_libreoffice
# 0.01 s kills the launcher before it gets far; 0.5 s kills once soffice.bin is running (a conversion takes ~2 s).
@pytest.mark.parametrize("timeout", [0.01, 0.5])
def test_timeout_kills_the_whole_process_group(pptx_file, tmp_path, run_temp_dir, timeout):
    with pytest.raises(ConversionFailedError, match="timed out"):
        convert_to_pdf(pptx_file, tmp_path / "pdfs", timeout=timeout)

    # Every process of the run had this run's profile on its command line: none may be left.
    pattern = f"UserInstallation={run_temp_dir.as_uri()}/{TEMP_PREFIX}"
    leftovers = subprocess.run(["pgrep", "-af", pattern], capture_output=True, text=True, check=False)
    assert leftovers.returncode == 1, leftovers.stdout
    assert list(run_temp_dir.iterdir()) == []


@needs_libreoffice
def test_parallel_conversions_both_succeed(pptx_file, docx_file, tmp_path):
    # Two runs sharing a LibreOffice profile would make one of them silently produce nothing.
    output_dir = tmp_path / "pdfs"
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(convert_to_pdf, source, output_dir) for source in (pptx_file, docx_file)]
        deck_pdf, paper_pdf = (future.result() for future in futures)

    assert deck_pdf != paper_pdf
    assert len(PdfReader(deck_pdf).pages) == 3
    assert "Казахстан" in pdf_text(paper_pdf)


def test_missing_configured_binary_means_unavailable(settings, tmp_path):
    settings.LIBREOFFICE_BINARY = "/nonexistent/soffice"
    source = tmp_path / "deck.pptx"
    source.write_bytes(b"irrelevant")

    assert libreoffice_path() is None
    with pytest.raises(ConversionUnavailableError):
        convert_to_pdf(source, tmp_path / "pdfs")


def test_configured_binary_that_is_not_executable_is_ignored(settings, tmp_path):
    binary = tmp_path / "soffice"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o644)
    settings.LIBREOFFICE_BINARY = str(binary)

    assert libreoffice_path() is None
