"""Tests for presentations.office_checks, through inspect_upload: the ZIP package of a .pptx or .docx.

What office_policy.py refuses beyond the structure is in test_office_policy.py.
"""

import os
import warnings
import zipfile

import openpyxl
import pytest

from presentations.office_checks import MAX_ZIP_ENTRIES
from tests.presentations.upload_files import (
    ACCEPTED_FORMATS,
    DOCM_MAIN,
    DOCX_MAIN,
    MB,
    PPTM_MAIN,
    PPTX_CONTENT_TYPES,
    PPTX_MAIN,
    PRESENTATION_XML,
    assert_refused,
    content_types,
    make_docx,
    make_pptx,
    pdf_bytes,
    rewrite_zip,
    stream_zeros,
    write,
    write_zip,
)

# --- refused: ZIP packages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "evil_name",
    ["../evil", "ppt/../../evil.sh", "/etc/cron.d/evil", "ppt\\..\\evil", "C:/evil"],
    ids=["dot_dot", "nested_dot_dot", "absolute", "backslash", "drive_letter"],
)
def test_inspect_refuses_zip_with_unsafe_entry_name(tmp_path, evil_name):
    entries = {
        "[Content_Types].xml": PPTX_CONTENT_TYPES,
        "ppt/presentation.xml": PRESENTATION_XML,
        evil_name: b"owned",
    }
    path = write_zip(tmp_path / "deck.pptx", entries)
    with zipfile.ZipFile(path) as archive:
        assert evil_name in archive.namelist()  # the hostile name really is in the file
    assert_refused(path, "zip_unsafe_names", "unsafe names")


def test_inspect_refuses_zip_without_content_types(tmp_path):
    path = write_zip(tmp_path / "deck.pptx", {"ppt/presentation.xml": PRESENTATION_XML})
    assert_refused(path, "not_office", ACCEPTED_FORMATS)


def test_inspect_refuses_zip_bomb_dressed_as_pptx(tmp_path):
    path = tmp_path / "bomb.pptx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", PPTX_CONTENT_TYPES)
        archive.writestr("ppt/presentation.xml", PRESENTATION_XML)
        stream_zeros(archive, "ppt/media/image1.png", 400 * MB)
    assert path.stat().st_size < 2 * MB
    assert_refused(path, "zip_bomb", "abnormal size")


def test_inspect_refuses_single_highly_compressed_entry(tmp_path):
    path = tmp_path / "ratio.pptx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", PPTX_CONTENT_TYPES)
        archive.writestr("ppt/presentation.xml", PRESENTATION_XML)
        stream_zeros(archive, "ppt/media/image1.png", 2 * MB)
    assert_refused(path, "zip_bomb", "abnormal size")


def test_inspect_refuses_package_that_unpacks_beyond_the_limit(tmp_path):
    # Each entry is 1 MB, too small for the ratio rule; together they exceed 300 MB.
    path = tmp_path / "many.pptx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", PPTX_CONTENT_TYPES)
        archive.writestr("ppt/presentation.xml", PRESENTATION_XML)
        for number in range(301):
            stream_zeros(archive, f"ppt/media/image{number}.png", MB)
    assert_refused(path, "zip_too_large_unpacked", "more than 300 MB")


@pytest.mark.parametrize(
    ("make", "old_type", "new_type", "macro_part"),
    [
        pytest.param(make_pptx, PPTX_MAIN, PPTM_MAIN, "ppt/vbaProject.bin", id="pptm_as_pptx"),
        pytest.param(make_docx, DOCX_MAIN, DOCM_MAIN, "word/vbaProject.bin", id="docm_as_docx"),
        pytest.param(make_pptx, PPTX_MAIN, PPTX_MAIN, "ppt/vbaProject.bin", id="vba_part_in_plain_pptx"),
    ],
)
def test_inspect_refuses_macro_enabled_files(tmp_path, make, old_type, new_type, macro_part):
    source = make(tmp_path / "source")

    def declare_macros(name, data):
        return data.replace(old_type.encode(), new_type.encode()) if name == "[Content_Types].xml" else data

    extension = ".docx" if make is make_docx else ".pptx"
    path = rewrite_zip(source, tmp_path / f"macros{extension}", declare_macros, {macro_part: b"\xcc" * 512})
    error = assert_refused(path, "office_macros", "macros are not accepted")
    assert ".pptx or .docx" in error.messages[0]


def test_inspect_refuses_xlsx(tmp_path):
    path = tmp_path / "budget.pptx"
    openpyxl.Workbook().save(path)
    assert_refused(path, "not_office", ACCEPTED_FORMATS)


def test_inspect_refuses_opendocument_presentation(tmp_path):
    entries = {
        "mimetype": b"application/vnd.oasis.opendocument.presentation",
        "content.xml": b"<office:document-content/>",
        "META-INF/manifest.xml": b"<manifest:manifest/>",
    }
    path = write_zip(tmp_path / "slides.pptx", entries, compression=zipfile.ZIP_STORED)
    error = assert_refused(path, "opendocument", "OpenDocument")
    assert ACCEPTED_FORMATS in error.messages[0]


def test_inspect_refuses_plain_zip(tmp_path):
    path = write_zip(tmp_path / "slides.pptx", {"slides/one.pdf": pdf_bytes(), "readme.txt": b"hello"})
    assert_refused(path, "not_office", ACCEPTED_FORMATS)


def test_inspect_refuses_package_declaring_pptx_without_presentation_part(tmp_path):
    path = write_zip(tmp_path / "deck.pptx", {"[Content_Types].xml": PPTX_CONTENT_TYPES, "ppt/slide.xml": b"<x/>"})
    assert_refused(path, "not_office", ACCEPTED_FORMATS)


def test_inspect_refuses_zip_with_too_many_entries(tmp_path):
    entries = {"[Content_Types].xml": PPTX_CONTENT_TYPES, "ppt/presentation.xml": PRESENTATION_XML}
    entries.update({f"ppt/slides/slide{n}.xml": b"<s/>" for n in range(MAX_ZIP_ENTRIES - 1)})
    assert len(entries) == MAX_ZIP_ENTRIES + 1
    path = write_zip(tmp_path / "deck.pptx", entries)
    assert_refused(path, "zip_too_many_entries", "too many parts")


def test_inspect_refuses_truncated_pptx(tmp_path):
    data = make_pptx(tmp_path / "deck.pptx").read_bytes()
    path = write(tmp_path / "cut.pptx", data[:200])
    assert_refused(path, "office_damaged", "damaged or incomplete")


def test_inspect_refuses_pptx_with_corrupted_part(tmp_path):
    source = make_pptx(tmp_path / "deck.pptx")
    stored = rewrite_zip(source, tmp_path / "stored.pptx", compression=zipfile.ZIP_STORED)
    data = stored.read_bytes()
    assert data.count(b"<p:presentation ") == 1
    path = write(tmp_path / "corrupt.pptx", data.replace(b"<p:presentation ", b"<p:presentatioX "))
    assert_refused(path, "office_damaged", "damaged or incomplete")


def test_inspect_refuses_pptx_with_duplicate_entries(tmp_path):
    path = tmp_path / "twice.pptx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate it is told to write
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", PPTX_CONTENT_TYPES)
            archive.writestr("ppt/presentation.xml", PRESENTATION_XML)
            archive.writestr("[Content_Types].xml", content_types())
    assert_refused(path, "office_damaged", "damaged or incomplete")


def test_inspect_refuses_content_types_with_entity_expansion(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/ppt/presentation.xml" ContentType="' + PPTX_MAIN.encode() + b'"/>&b;</Types>'
    )
    entries = {"[Content_Types].xml": laughs, "ppt/presentation.xml": PRESENTATION_XML}
    assert_refused(write_zip(tmp_path / "deck.pptx", entries), "office_damaged", "damaged or incomplete")


def test_inspect_refuses_oversized_content_types(tmp_path):
    padding = b"<!--" + os.urandom(MB).hex().encode() + b"-->"  # 2 MB that barely compresses
    entries = {"[Content_Types].xml": PPTX_CONTENT_TYPES + padding, "ppt/presentation.xml": PRESENTATION_XML}
    assert_refused(write_zip(tmp_path / "deck.pptx", entries), "office_damaged", "damaged or incomplete")


def test_inspect_refuses_unusual_zip_compression(tmp_path):
    source = make_pptx(tmp_path / "deck.pptx")
    path = rewrite_zip(source, tmp_path / "bzip2.pptx", compression=zipfile.ZIP_BZIP2)
    assert_refused(path, "office_damaged", "damaged or incomplete")
