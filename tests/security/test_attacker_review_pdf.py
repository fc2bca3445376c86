"""An attacker's second look at PDF neutralising: actions and attachments hidden where the first round
did not put them, each through the real upload view.

Each file is either refused with a message and leaves nothing, or served only as an inert copy
(tests/presentations/hostile_pdfs.py's own checker walks what the download views send).
"""

import io
import re

import pikepdf
import pytest
from django.urls import reverse
from pikepdf import Array, Dictionary, Name, String

from presentations.models import PresentationFile
from testkit.files import upload
from tests.presentations import hostile_pdfs as h
from tests.security.support import stored_files

pytestmark = pytest.mark.django_db


def _launch() -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.Launch, F=String("calc.exe"))


def indirect_action_name(pdf):
    kind = pdf.make_indirect(Name.Launch)
    h.link(pdf, Dictionary(Type=Name.Action, S=kind, F=String("calc.exe")))


def shouting_javascript_uri(pdf):
    h.link(pdf, h.uri("  JAVASCRIPT:app.alert(1)"))


def control_character_uri(pdf):
    h.link(pdf, h.uri("\x01\x1fjava\tscript:app.alert(1)"))


def form_field_submit(pdf):
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, T=String("send"), Rect=Array([72, 72, 200, 100]),
            A=Dictionary(S=Name.SubmitForm, F=String("http://127.0.0.1:9/collect")),
        )
    )  # fmt: skip
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([field]))
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def launch_in_named_destination(pdf):
    pdf.Root.Names = Dictionary(
        Dests=Dictionary(Names=Array([String("intro"), Dictionary(D=Array([pdf.pages[0].obj, Name.Fit]), A=_launch())]))
    )


def attachment_only_in_page_af(pdf):
    stream = pikepdf.Stream(pdf, b"MZ\x90\x00 not really a program, but named like one")
    stream.Type = Name.EmbeddedFile
    spec = Dictionary(Type=Name.Filespec, F=String("notes.txt"), UF=String("notes.txt"), EF=Dictionary(F=stream))
    pdf.pages[0].obj.AF = Array([pdf.make_indirect(spec)])


def uri_action_as_goto_remote_in_outline(pdf):
    item = pdf.make_indirect(
        Dictionary(
            Title=String("Annex"),
            A=Dictionary(S=Name.GoToR, F=String("\\\\127.0.0.1\\s\\a.pdf"), D=Array([0, Name.Fit])),
        )
    )
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1))
    item.Parent = outlines
    pdf.Root.Outlines = outlines


def _saved_with_object_streams(change) -> bytes:
    with pikepdf.open(io.BytesIO(h.deck())) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def incremental_open_action() -> bytes:
    """A clean first revision, then an incremental update whose catalog adds a Launch /OpenAction."""
    base = h.deck()
    with pikepdf.open(io.BytesIO(base)) as pdf:
        root = pdf.Root.objgen[0]
        pages = pdf.Root.Pages.objgen[0]
        size = int(pdf.trailer.Size)
    startxref = int(re.findall(rb"startxref\s+(\d+)", base)[-1])
    body = (
        f"\n{root} 0 obj\n<< /Type /Catalog /Pages {pages} 0 R /OpenAction << /S /Launch /F (calc.exe) >> >>\nendobj\n"
    ).encode()
    offset = len(base) + 1
    xref = f"xref\n0 1\n0000000000 65535 f \n{root} 1\n{offset:010d} 00000 n \n".encode()
    trailer = f"trailer\n<< /Size {size} /Root {root} 0 R /Prev {startxref} >>\nstartxref\n".encode()
    return base + body + xref + trailer + str(len(base + body)).encode() + b"\n%%EOF\n"


CASES = {
    "action type given as an indirect name": lambda: h.build(indirect_action_name),
    "JAVASCRIPT: uri in capitals after spaces": lambda: h.build(shouting_javascript_uri),
    "javascript: uri after control characters": lambda: h.build(control_character_uri),
    "form field submitting the form": lambda: h.build(form_field_submit),
    "launch beside a named destination": lambda: h.build(launch_in_named_destination),
    "attachment only in a page's /AF": lambda: h.build(attachment_only_in_page_af),
    "goto remote in a bookmark": lambda: h.build(uri_action_as_goto_remote_in_outline),
    "launch hidden in an object stream": lambda: _saved_with_object_streams(indirect_action_name),
    "open action added by an incremental update": incremental_open_action,
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_hostile_pdf_is_refused_or_served_inert(client, presentation, case):
    data = CASES[case]()
    assert h.inert_problems(data) != [] or b"calc.exe" in data  # the upload really carries it
    before = stored_files()
    client.force_login(presentation.presenter.user)
    response = client.post(reverse("presentations:upload", args=[presentation.pk]), {"file": upload("d.pdf", data)})
    if response.status_code == 400:
        form = response.context["upload_form"]
        assert form.errors, "refused without a message"
        assert not PresentationFile.objects.exists()
        assert stored_files() == before
        return
    assert response.status_code == 302, response.status_code
    version = PresentationFile.objects.get()
    for view in ("presentations:download", "presentations:download_pdf"):
        served = b"".join(client.get(reverse(view, args=[version.pk])).streaming_content)
        assert served != data
        assert h.inert_problems(served) == []
        assert b"calc.exe" not in served
        assert b"MZ\x90" not in served
        for uri in h.all_link_targets(served):
            assert uri.lower().startswith(("http://", "https://", "mailto:")), uri
    assert version.removed_content
