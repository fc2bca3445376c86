"""Hostile files through the real upload view: each refused with a message, nothing left behind.

Every file is generated here. After each refusal there is no new version row, no new file in
private storage and no task queued.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf.generic import NameObject, NumberObject

from presentations.models import PresentationFile
from testkit.files import upload
from tests.presentations.upload_files import (
    DOCX_MAIN,
    PPTX_CONTENT_TYPES,
    PPTX_MAIN,
    PRESENTATION_XML,
    content_types,
    js_action,
    make_docx,
    make_pptx,
    pdf_bytes,
    set_catalog,
)
from tests.security.support import stored_files

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program cannot be run in DOS mode."
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HTML = b"<!doctype html><html><body><script>fetch('/admin/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><rect/></svg>'
PHP = b"<?php echo shell_exec($_GET['cmd']); ?>"
PNG_HTML = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + HTML


def _zip(entries: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return out.getvalue()


def _office(make, tmp_path: Path, name: str) -> bytes:
    return make(tmp_path / name).read_bytes()


def _macro_enabled(source: bytes, main_type: str, macro_type: str, macro_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(main_type.encode(), macro_type.encode())
            new.writestr(info.filename, data)
        new.writestr(macro_part, b"\xd0\xcf\x11\xe0 macro storage")
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", PPTX_CONTENT_TYPES)
        archive.writestr("ppt/presentation.xml", PRESENTATION_XML)
        with archive.open("ppt/media/image1.png", "w") as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(400):  # 400 MB of zeros, about 400 KB compressed
                entry.write(chunk)
    return out.getvalue()


def _circular_pdf() -> bytes:
    def loop_pages(writer):
        pages = writer.root_object["/Pages"]
        pages["/Kids"].append(pages.indirect_reference)
        pages[NameObject("/Count")] = NumberObject(2)

    return pdf_bytes(setup=loop_pages)


def _encrypted_pdf() -> bytes:
    return pdf_bytes(setup=lambda writer: writer.encrypt("secret"))


def _javascript_pdf() -> bytes:
    return pdf_bytes(setup=set_catalog("/OpenAction", lambda writer: writer._add_object(js_action())))


CASES = {
    "windows executable": ("setup.exe", lambda tmp: EXE),
    "html page": ("page.html", lambda tmp: HTML),
    "svg with script": ("drawing.svg", lambda tmp: SVG),
    "php script": ("shell.php", lambda tmp: PHP),
    "double extension exe": ("report.pdf.exe", lambda tmp: EXE),
    "double extension html": ("slides.pptx.html", lambda tmp: HTML),
    "path traversal name": ("../../../etc/passwd.pdf", lambda tmp: HTML),
    "control characters in name": ("evil\x01\x1b[31m.pdf", lambda tmp: HTML),
    "html saved as pdf": ("report.pdf", lambda tmp: HTML),
    "png and html polyglot": ("photo.pdf", lambda tmp: PNG_HTML),
    "linux executable as pptx": ("slides.pptx", lambda tmp: ELF),
    "windows executable as pptx": ("slides.pptx", lambda tmp: EXE),
    "macro pptm renamed pptx": (
        "deck.pptx",
        lambda tmp: _macro_enabled(
            _office(make_pptx, tmp, "m.pptx"),
            PPTX_MAIN,
            "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
            "ppt/vbaProject.bin",
        ),
    ),
    "macro docm renamed docx": (
        "paper.docx",
        lambda tmp: _macro_enabled(
            _office(make_docx, tmp, "m.docx"),
            DOCX_MAIN,
            "application/vnd.ms-word.document.macroEnabled.main+xml",
            "word/vbaProject.bin",
        ),
    ),
    "pptx zip bomb": ("deck.pptx", lambda tmp: _zip_bomb()),
    "zip entries with traversal paths": (
        "deck.pptx",
        lambda tmp: _zip({"[Content_Types].xml": PPTX_CONTENT_TYPES, "../../evil.sh": b"rm -rf ~"}),
    ),
    "zip with an absolute entry": (
        "deck.pptx",
        lambda tmp: _zip({"[Content_Types].xml": PPTX_CONTENT_TYPES, "/etc/cron.d/x": b"* * * * * root id"}),
    ),
    "zip missing content types": ("deck.pptx", lambda tmp: _zip({"ppt/presentation.xml": PRESENTATION_XML})),
    "plain zip": ("archive.pptx", lambda tmp: _zip({"readme.txt": b"hello"})),
    "spreadsheet renamed": (
        "deck.pptx",
        lambda tmp: _zip(
            {
                "[Content_Types].xml": content_types(
                    ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
                ),
                "xl/workbook.xml": b"<workbook/>",
            }
        ),
    ),
    "zip with 2001 entries": (
        "deck.pptx",
        lambda tmp: _zip({"[Content_Types].xml": PPTX_CONTENT_TYPES} | {f"ppt/x{n}.xml": b"x" for n in range(2001)}),
    ),
    "pdf with a circular page tree": ("report.pdf", lambda tmp: _circular_pdf()),
    "truncated pdf": ("report.pdf", lambda tmp: pdf_bytes(pages=3)[:-200]),
    "encrypted pdf": ("report.pdf", lambda tmp: _encrypted_pdf()),
    "pdf with javascript": ("report.pdf", lambda tmp: _javascript_pdf()),
    "pdf with 10,000 pages": ("report.pdf", lambda tmp: pdf_bytes(pages=10_000)),
    "valid header with a corrupt body": ("report.pdf", lambda tmp: b"%PDF-1.7\n" + bytes(range(256)) * 40),
    "pdf header not at the start": ("report.pdf", lambda tmp: b"junk" + pdf_bytes()),
    "truncated pptx": ("deck.pptx", lambda tmp: _office(make_pptx, tmp, "t.pptx")[:400]),
    "empty file": ("empty.pdf", lambda tmp: b""),
    "300-character name": ("a" * 296 + ".pdf", lambda tmp: HTML),
    "right-to-left override in name": ("invoice\u202efdp.exe", lambda tmp: EXE),
}


def _post_and_check_nothing_stays(client, presentation, files, django_capture_on_commit_callbacks):
    before = stored_files()
    client.force_login(presentation.presenter.user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("presentations:upload", args=[presentation.pk]), files)
    assert not PresentationFile.objects.exists()
    assert stored_files() == before
    assert callbacks == []
    return response


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_hostile_file_is_refused_with_a_message_and_leaves_nothing(
    client, presentation, case, tmp_path, django_capture_on_commit_callbacks
):
    name, build = CASES[case]
    response = _post_and_check_nothing_stays(
        client, presentation, {"file": upload(name, build(tmp_path))}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    form = response.context["upload_form"]
    messages = [str(m) for m in form.non_field_errors()] + [str(m) for m in form.errors.get("file", [])]
    assert messages, "the presenter is told why"
    assert all(len(message) > 15 for message in messages)


def test_there_are_at_least_thirty_hostile_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("factor", [1, 10], ids=["one byte over the limit", "ten times over the limit"])
def test_a_file_over_the_limit_is_stopped_while_it_streams(
    client, presentation, settings, factor, django_capture_on_commit_callbacks
):
    settings.PRESENTATION_MAX_UPLOAD_BYTES = 64 * 1024
    content = pdf_bytes().ljust(64 * 1024 * factor + 1, b"%")
    response = _post_and_check_nothing_stays(
        client, presentation, {"file": upload("big.pdf", content)}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert "The file is larger than the limit of 64.0\xa0KB." in response.content.decode()


def test_more_files_in_one_request_than_django_allows_is_refused(
    client, presentation, settings, django_capture_on_commit_callbacks
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    files = {f"file{n}": upload(f"f{n}.pdf", pdf_bytes()) for n in range(6)}
    response = _post_and_check_nothing_stays(client, presentation, files, django_capture_on_commit_callbacks)
    assert response.status_code == 400
