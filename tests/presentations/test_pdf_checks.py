"""Tests for presentations.pdf_checks, through inspect_upload: PDF structure, pages, passwords, scripts."""

import signal
import zlib

import pytest
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

from presentations.pdf_checks import MAX_PDF_PAGES
from presentations.validation import inspect_upload
from tests.presentations.upload_files import MAX_BYTES, MB, assert_refused, js_action, pdf_bytes, set_catalog, write

# --- accepted files -------------------------------------------------------------------------------


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


# --- refused: PDF ------------------------------------------------------------------------------------


def test_inspect_refuses_pdf_header_followed_by_garbage(tmp_path):
    path = write(tmp_path / "fake.pdf", b"%PDF-1.7\n" + b"garbage \x00\xff" * 200)
    assert_refused(path, "pdf_damaged", "damaged or incomplete")


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


# --- cycles through arrays ---------------------------------------------------------------------------


def self_containing_array(writer, *items):
    """An indirect array that lists itself (and `items`): a walk that re-enters arrays never ends."""
    array = ArrayObject(items)
    reference = writer._add_object(array)
    array.append(reference)
    return reference


def chain_through_cycle(writer):
    goto = DictionaryObject({NameObject("/S"): NameObject("/GoTo")})
    goto[NameObject("/Next")] = self_containing_array(writer, writer._add_object(js_action()))
    return goto


def fields_through_cycle(writer):
    field = DictionaryObject({NameObject("/FT"): NameObject("/Tx"), NameObject("/A"): js_action()})
    fields = self_containing_array(writer, writer._add_object(field))
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): fields})


@pytest.fixture
def alarm():
    """Fail the test, instead of hanging it, if the check has not returned within 10 seconds."""

    def interrupt(signum, frame):
        raise TimeoutError("the PDF check did not finish")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_inspect_accepts_open_action_array_that_contains_itself(tmp_path, alarm):
    path = write(tmp_path / "cycle.pdf", pdf_bytes(setup=set_catalog("/OpenAction", self_containing_array)))
    assert inspect_upload(path, max_bytes=MAX_BYTES).kind == "pdf"


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param(set_catalog("/OpenAction", chain_through_cycle), id="next_actions"),
        pytest.param(fields_through_cycle, id="form_fields"),
    ],
)
def test_inspect_finds_script_behind_array_that_contains_itself(tmp_path, alarm, setup):
    path = write(tmp_path / "cycle.pdf", pdf_bytes(setup=setup))
    assert_refused(path, "pdf_scripts", "contains scripts")
