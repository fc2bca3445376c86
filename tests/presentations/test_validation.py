"""Tests for presentations.validation: what a file is recognised as, and the size limit.

PDF and Office specifics are in test_pdf_checks.py and test_office_checks.py; files come from upload_files.py.
"""

import hashlib

import pytest

from presentations.validation import InspectedFile, inspect_upload
from tests.presentations.upload_files import (
    ACCEPTED_FORMATS,
    MAX_BYTES,
    MB,
    assert_refused,
    make_docx,
    make_pptx,
    pdf_bytes,
    write,
)

# --- accepted files -------------------------------------------------------------------------------


def test_inspect_accepts_pdf(tmp_path):
    data = pdf_bytes()
    path = write(tmp_path / "talk.bin", data)
    result = inspect_upload(path, max_bytes=MAX_BYTES)
    assert result == InspectedFile(
        kind="pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest(), page_count=1, extension=".pdf"
    )


def test_inspect_accepts_pptx(tmp_path):
    path = make_pptx(tmp_path / "deck.pptx")
    result = inspect_upload(path, max_bytes=MAX_BYTES)
    data = path.read_bytes()
    assert result == InspectedFile(
        kind="pptx", size=len(data), sha256=hashlib.sha256(data).hexdigest(), page_count=None, extension=".pptx"
    )


def test_inspect_accepts_docx(tmp_path):
    path = make_docx(tmp_path / "report.docx")
    result = inspect_upload(path, max_bytes=MAX_BYTES)
    assert (result.kind, result.extension, result.page_count) == ("docx", ".docx", None)
    assert result.size == path.stat().st_size


def test_inspect_detects_kind_from_content_not_name(tmp_path):
    path = make_pptx(tmp_path / "deck.pdf")
    result = inspect_upload(path, max_bytes=MAX_BYTES)
    assert (result.kind, result.extension) == ("pptx", ".pptx")


# --- refused: not a PDF or an Office file ------------------------------------------------------------

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
PE_HEADER = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(50) + b"This program cannot be run in DOS mode."
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param(
            "talk.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", id="html_as_pdf"
        ),
        pytest.param(
            "slides.pdf",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            id="svg",
        ),
        pytest.param("photo.png", PNG_HEADER + b"\x00\x00\x00\x00IEND\xaeB`\x82", id="png"),
        pytest.param("deck.pptx", b"\x7fELF\x02\x01\x01\x00" + bytes(120), id="elf_as_pptx"),
        pytest.param("deck.pptx", PE_HEADER, id="windows_exe_as_pptx"),
        pytest.param("talk.pdf", b"<?php system($_GET['c']); ?>", id="php"),
        pytest.param(
            "talk.pdf",
            PNG_HEADER + b"\x00\x00\x00\x2ftEXt<html><script>alert(document.cookie)</script></html>%PDF-1.7",
            id="png_html_polyglot",
        ),
        pytest.param("notes.docx", "Notes de la réunion, saved as .docx".encode(), id="plain_text"),
        pytest.param("deck.pptx", b"PK\x05\x06" + bytes(18), id="empty_zip"),
    ],
)
def test_inspect_refuses_files_that_are_not_pdf_or_office(tmp_path, name, data):
    error = assert_refused(write(tmp_path / name, data), "unsupported_type", ACCEPTED_FORMATS)
    assert "not accepted" in error.messages[0]


def test_inspect_refuses_legacy_office_file(tmp_path):
    path = write(tmp_path / "old.ppt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    error = assert_refused(path, "legacy_office", ".ppt")
    assert ACCEPTED_FORMATS in error.messages[0]


def test_inspect_refuses_pdf_header_not_at_the_start(tmp_path):
    path = write(tmp_path / "junk.pdf", b"<html>" + pdf_bytes())
    assert_refused(path, "unsupported_type", ACCEPTED_FORMATS)


# --- refused: size -----------------------------------------------------------------------------------


def test_inspect_refuses_empty_file(tmp_path):
    assert_refused(write(tmp_path / "empty.pdf", b""), "empty", "The file is empty.")


@pytest.mark.parametrize("size", [1001, 10_000], ids=["one_byte_over", "ten_times_over"])
def test_inspect_refuses_file_over_the_size_limit(tmp_path, size):
    data = pdf_bytes()
    path = write(tmp_path / "big.pdf", data + b"%" * (size - len(data)))
    error = assert_refused(path, "too_large", "The limit is 0.00095 MB", max_bytes=1000)
    assert "too large" in error.messages[0]


def test_size_limit_is_shown_in_whole_megabytes(tmp_path):
    path = write(tmp_path / "big.pdf", pdf_bytes() + bytes(2 * MB))
    assert_refused(path, "too_large", "The limit is 1 MB.", max_bytes=MB)
