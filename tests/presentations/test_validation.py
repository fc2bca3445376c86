"""Tests for presentations.validation. Every file is generated here, in tmp_path: no binary fixtures.

Big inputs (zip bombs, a Flate bomb) are built by streaming compressed chunks, so the tests stay light
on memory and disk while the files claim hundreds of megabytes when unpacked.
"""

import hashlib
import io
import os
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from presentations.validation import (
    MAX_PDF_PAGES,
    MAX_ZIP_ENTRIES,
    FileRejectedError,
    InspectedFile,
    inspect_upload,
    sanitise_filename,
)

MB = 1024 * 1024
MAX_BYTES = 100 * MB
ACCEPTED_FORMATS = "Upload a PDF, PowerPoint (.pptx) or Word (.docx) file."
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPTM_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


# --- builders ----------------------------------------------------------------------------------------


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def pdf_bytes(pages: int = 1, setup: Callable[[PdfWriter], None] | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    if setup:
        setup(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_pptx(path: Path) -> Path:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "Best practices in technical cooperation"
    presentation.save(path)
    return path


def make_docx(path: Path) -> Path:
    document = Document()
    document.add_heading("Country report", level=1)
    document.add_paragraph("Text of the report.")
    document.save(path)
    return path


def content_types(*overrides: tuple[str, str]) -> bytes:
    parts = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>"
    ).encode()


PPTX_CONTENT_TYPES = content_types(("/ppt/presentation.xml", PPTX_MAIN))
PRESENTATION_XML = b'<?xml version="1.0"?><p:presentation xmlns:p="urn:x"/>'


def write_zip(path: Path, entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def rewrite_zip(
    source: Path,
    target: Path,
    replace: Callable[[str, bytes], bytes] = lambda name, data: data,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Copy a package entry by entry, transforming entries and adding new ones."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", compression) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace(info.filename, old.read(info)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def stream_zeros(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """Write `size` zero bytes to a deflated entry, one chunk at a time."""
    chunk = bytes(MB)
    with archive.open(name, "w") as entry:
        for _ in range(size // MB):
            entry.write(chunk)


def refused(path: Path, max_bytes: int = MAX_BYTES) -> FileRejectedError:
    with pytest.raises(FileRejectedError) as excinfo:
        inspect_upload(path, max_bytes=max_bytes)
    assert type(excinfo.value) is FileRejectedError
    return excinfo.value


def assert_refused(path: Path, code: str, fragment: str, max_bytes: int = MAX_BYTES) -> FileRejectedError:
    error = refused(path, max_bytes)
    assert error.code == code, error.messages
    assert fragment in error.messages[0]
    return error


# --- accepted files ----------------------------------------------------------------------------------


def test_inspect_accepts_pdf(tmp_path):
    data = pdf_bytes()
    path = write(tmp_path / "talk.bin", data)
    result = inspect_upload(path, max_bytes=MAX_BYTES)
    assert result == InspectedFile(
        kind="pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest(), page_count=1, extension=".pdf"
    )


def test_inspect_counts_pdf_pages(tmp_path):
    path = write(tmp_path / "three.pdf", pdf_bytes(pages=3))
    assert inspect_upload(path, max_bytes=MAX_BYTES).page_count == 3


def test_inspect_accepts_pdf_with_exactly_the_page_limit(tmp_path):
    path = write(tmp_path / "long.pdf", pdf_bytes(pages=MAX_PDF_PAGES))
    assert inspect_upload(path, max_bytes=MAX_BYTES).page_count == MAX_PDF_PAGES


def test_inspect_accepts_pdf_with_web_link(tmp_path):
    def add_link(writer):
        writer.add_uri(0, "https://example.org/", [50, 50, 200, 80])

    path = write(tmp_path / "linked.pdf", pdf_bytes(setup=add_link))
    assert inspect_upload(path, max_bytes=MAX_BYTES).kind == "pdf"


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


def test_inspect_accepts_pdf_flate_bomb_without_decompressing_it(tmp_path):
    # 200 MB of zeros deflate to about 200 KB; decoding the content stream would take the time and memory.
    compressor = zlib.compressobj(9)
    chunk = bytes(MB)
    compressed = b"".join(compressor.compress(chunk) for _ in range(200)) + compressor.flush()

    def add_bomb(writer):
        stream = StreamObject()
        stream.set_data(compressed)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)

    path = write(tmp_path / "bomb.pdf", pdf_bytes(setup=add_bomb))
    assert path.stat().st_size < 2 * MB
    result = inspect_upload(path, max_bytes=MAX_BYTES)
    assert (result.kind, result.page_count) == ("pdf", 1)


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


# --- refused: PDF ------------------------------------------------------------------------------------


def test_inspect_refuses_pdf_header_followed_by_garbage(tmp_path):
    path = write(tmp_path / "fake.pdf", b"%PDF-1.7\n" + b"garbage \x00\xff" * 200)
    assert_refused(path, "pdf_damaged", "damaged or incomplete")


def test_inspect_refuses_pdf_header_not_at_the_start(tmp_path):
    path = write(tmp_path / "junk.pdf", b"<html>" + pdf_bytes())
    assert_refused(path, "unsupported_type", ACCEPTED_FORMATS)


def test_inspect_refuses_truncated_pdf(tmp_path):
    data = pdf_bytes(pages=3)
    assert_refused(write(tmp_path / "cut.pdf", data[: len(data) // 2]), "pdf_damaged", "damaged or incomplete")


@pytest.mark.parametrize("password", ["secret", ""], ids=["with_password", "empty_user_password"])
def test_inspect_refuses_encrypted_pdf(tmp_path, password):
    path = write(tmp_path / "locked.pdf", pdf_bytes(setup=lambda writer: writer.encrypt(password)))
    assert_refused(path, "pdf_encrypted", "password-protected")


def test_inspect_refuses_pdf_with_too_many_pages(tmp_path):
    path = write(tmp_path / "long.pdf", pdf_bytes(pages=MAX_PDF_PAGES + 1))
    error = assert_refused(path, "pdf_too_many_pages", "501 pages")
    assert "500" in error.messages[0]


def test_inspect_refuses_pdf_without_pages(tmp_path):
    assert_refused(write(tmp_path / "none.pdf", pdf_bytes(pages=0)), "pdf_no_pages", "no pages")


def test_inspect_refuses_pdf_with_circular_page_tree(tmp_path):
    def loop_pages(writer):
        pages = writer.root_object["/Pages"]
        pages["/Kids"].append(pages.indirect_reference)  # the page tree contains itself
        pages[NameObject("/Count")] = NumberObject(2)

    path = write(tmp_path / "loop.pdf", pdf_bytes(setup=loop_pages))
    assert_refused(path, "pdf_damaged", "damaged or incomplete")


def test_inspect_refuses_pdf_whose_root_object_is_missing(tmp_path):
    data = pdf_bytes()
    # The trailer names an object that does not exist, and there is no catalog left to recover.
    data = data.replace(b"/Root 3 0 R", b"/Root 9 0 R").replace(b"/Type /Catalog", b"/Type /Catalxg")
    assert_refused(write(tmp_path / "rootless.pdf", data), "pdf_damaged", "damaged or incomplete")


def test_inspect_refuses_pdf_whose_page_is_missing(tmp_path):
    data = pdf_bytes().replace(b"/Kids [ 4 0 R ]", b"/Kids [ 8 0 R ]")
    assert_refused(write(tmp_path / "hollow.pdf", data), "pdf_no_pages", "no pages")


def js_action(script: str = "app.alert('hello');") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def set_catalog(key: str, value: Callable[[PdfWriter], object]) -> Callable[[PdfWriter], None]:
    def setup(writer):
        writer.root_object[NameObject(key)] = value(writer)

    return setup


def launch_action(writer):
    return DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("C:\\Windows\\calc.exe")}
    )


def goto_then_script(writer):
    destination = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    goto = DictionaryObject({NameObject("/S"): NameObject("/GoTo"), NameObject("/D"): destination})
    goto[NameObject("/Next")] = ArrayObject([writer._add_object(js_action())])
    return goto


def page_open_script(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): js_action()})


def link_with_script(writer):
    rect = ArrayObject([FloatObject(50), FloatObject(50), FloatObject(200), FloatObject(80)])
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): rect,
            NameObject("/A"): js_action(),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])


def form_field_script(writer):
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("total"),
            NameObject("/AA"): DictionaryObject({NameObject("/C"): js_action("event.value = 1;")}),
        }
    )
    fields = ArrayObject([writer._add_object(field)])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): fields})


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param(lambda writer: writer.add_open_action(JavaScript("app.alert(1);")), id="document_javascript"),
        pytest.param(set_catalog("/OpenAction", lambda writer: writer._add_object(js_action())), id="open_action_js"),
        pytest.param(set_catalog("/OpenAction", launch_action), id="open_action_launch"),
        pytest.param(set_catalog("/OpenAction", goto_then_script), id="script_chained_after_goto"),
        pytest.param(
            set_catalog("/AA", lambda writer: DictionaryObject({NameObject("/WC"): js_action()})),
            id="document_additional_actions",
        ),
        pytest.param(page_open_script, id="page_open_action"),
        pytest.param(link_with_script, id="link_annotation_js"),
        pytest.param(form_field_script, id="form_field_js"),
    ],
)
def test_inspect_refuses_pdf_with_scripts(tmp_path, setup):
    path = write(tmp_path / "scripted.pdf", pdf_bytes(setup=setup))
    assert_refused(path, "pdf_scripts", "contains scripts")


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


# --- file names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("../../etc/passwd.pdf", "passwd.pdf", id="path_traversal"),
        pytest.param("C:\\Users\\delegate\\Desktop\\Country report.pptx", "Country report.pptx", id="windows_path"),
        pytest.param("..\\..\\boot.ini.docx", "boot.ini.docx", id="windows_traversal"),
        pytest.param("re\x00port\x07\x1b[31m.pdf", "report[31m.pdf", id="nul_and_control_chars"),
        pytest.param("invoice\u202etxt.pdf", "invoicetxt.pdf", id="rtl_override"),
        pytest.param("a\u200fb\u200b\ufeffc.pdf", "abc.pdf", id="invisible_format_chars"),
        pytest.param("Cafe\u0301 talk.pdf", "Caf\u00e9 talk.pdf", id="nfc"),
        pytest.param("  My \t\n  talk   final .pptx ", "My talk final .pptx", id="whitespace"),
        pytest.param("...hidden.pdf", "hidden.pdf", id="leading_dots"),
        pytest.param(". . .pdf", "pdf", id="dots_and_spaces"),
        pytest.param("", "presentation", id="empty"),
        pytest.param("....", "presentation", id="only_dots"),
        pytest.param("dir/", "presentation", id="only_directory"),
        pytest.param("\u202e\x00 ", "presentation", id="only_invisible"),
    ],
)
def test_sanitise_filename(name, expected):
    assert sanitise_filename(name) == expected


def test_sanitise_filename_truncates_long_names_keeping_the_extension():
    result = sanitise_filename("x" * 300 + ".pdf")
    assert len(result) <= 120
    assert result.endswith(".pdf")
    assert result.startswith("x" * 100)


def test_sanitise_filename_truncates_long_names_without_extension():
    result = sanitise_filename("é" * 300)
    assert result == "é" * 120
