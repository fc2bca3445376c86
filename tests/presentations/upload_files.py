"""Files for the upload-check tests (test_validation, test_pdf_checks, test_office_checks, test_hostile_uploads).

Every file is generated in tmp_path: no binary fixtures. Big inputs (zip bombs, a Flate bomb) are built
by streaming compressed chunks, so the tests stay light on memory and disk while the files claim
hundreds of megabytes when unpacked.
"""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from presentations.validation import FileRejectedError, inspect_upload

MB = 1024 * 1024
MAX_BYTES = 100 * MB
ACCEPTED_FORMATS = "Upload a PDF, PowerPoint (.pptx) or Word (.docx) file."
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPTM_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


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
