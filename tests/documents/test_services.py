"""Issuing, re-issuing and revoking documents: real WeasyPrint PDFs read back with pypdf."""

import io
import re

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from PIL import Image

from documents.enums import DocumentKind, Revocation
from documents.kinds import Target, holder_language, kind_spec, registered_kinds
from documents.models import CODE_BYTES, IssuedDocument
from documents.rendering import verify_url
from documents.services import document_issue, document_issue_for_holder, document_revoke
from registrations.models import Registration
from tests.documents.support import ATTENDANCE, PRESENTER, pdf_text, target_of
from tests.i18n_support import tr
from workshop_portal.pdf import qr_png
from workshop_portal.storage import private_storage

pytestmark = pytest.mark.django_db


def _issue(world, key="aigerim", kind=ATTENDANCE):
    workshop = world["workshop"]
    return document_issue(
        workshop=workshop, kind=kind, target=target_of(workshop, kind, world[key]), by=world["organiser"]
    )


def _bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_the_certificates_are_registered_kinds_and_target_only_checked_in_participants(world):
    assert [str(spec.kind) for spec in registered_kinds()] == [
        DocumentKind.INVITATION_LETTER,
        DocumentKind.VISA_LETTER,
        ATTENDANCE,
        PRESENTER,
    ]
    holders = {t.holder_name for t in kind_spec(ATTENDANCE).targets(world["workshop"])}
    assert holders == {"Aigerim Bekova", "Omar Haddad", "Claire Martin"}  # not "Never Came"
    presenters = kind_spec(PRESENTER).targets(world["workshop"])
    assert [(t.holder_name, t.facts) for t in presenters] == [("Aigerim Bekova", ("Kazakhstan as a partner",))]


def test_the_language_is_the_holders_when_offered_else_the_workshops_first(world):
    assert holder_language(world["workshop"], "ar") == "ar"
    assert holder_language(world["workshop"], "") == "en"
    assert holder_language(world["workshop"], "de") == "en"


def test_an_issued_certificate_is_a_one_page_a4_pdf_naming_the_holder_with_its_code_and_qr_code(world):
    document = _issue(world, "claire")
    data = _bytes(document)
    assert len(document.code) >= 22
    assert CODE_BYTES * 8 >= 128
    assert document.size == len(data)
    assert re.fullmatch(r"[0-9a-f]{64}", document.sha256)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(data)
    assert "Claire Martin" in text
    assert document.code in text
    assert f"/verify/{document.code}/" in text
    assert tr("fr", "Certificate of attendance") in text
    assert "janvier 2027" in text  # the workshop's dates in French
    # The QR code, the one picture on the page, is the code of the verification address, pixel for pixel.
    images = reader.pages[0].images
    assert len(images) == 1
    expected = Image.open(io.BytesIO(qr_png(verify_url(document.code)))).convert("1")
    assert images[0].image.convert("1").tobytes() == expected.tobytes()


def test_russian_dates_are_in_the_genitive(world):
    text = pdf_text(_bytes(_issue(world, "aigerim")))
    assert "января 2027 г." in text
    assert "Январь" not in text


def _x_of(data: bytes, needle: str) -> float:
    found = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            found.append(tm[4] * cm[0] + cm[4])

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    assert found, needle
    return found[0]


def test_an_arabic_certificate_is_laid_out_right_to_left(world):
    arabic = _bytes(_issue(world, "omar"))
    english = _bytes(
        document_issue(
            workshop=world["workshop"],
            kind=ATTENDANCE,
            target=target_of(world["workshop"], ATTENDANCE, world["aigerim"]).__class__(
                **{**target_of(world["workshop"], ATTENDANCE, world["aigerim"]).__dict__, "language": "en"}
            ),
            by=None,
        )
    )
    text = pdf_text(arabic)
    assert "Omar Haddad" in text
    assert re.search(r"[\u0600-\u06ff\ufb50-\ufeff]{3}", text)  # Arabic letters
    # The verification block starts at the right in Arabic, at the left in English (QR code first).
    label = tr("ar", "Verification code:").rstrip(":")
    assert _x_of(arabic, label.split()[0]) > 595 / 2
    assert _x_of(english, "Verification code") < 595 / 2


def test_reissuing_supersedes_the_current_document(world):
    first = _issue(world, "claire")
    second = _issue(world, "claire")
    first.refresh_from_db()
    assert first.revocation == Revocation.SUPERSEDED
    assert first.revoked_at is not None
    assert first.superseded_by == second
    assert first.code != second.code
    assert IssuedDocument.objects.current().filter(holder_key=second.holder_key, kind=ATTENDANCE).get() == second


def test_the_database_keeps_one_current_document_per_holder_and_kind(world):
    document = _issue(world, "claire")
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(
            workshop=document.workshop,
            kind=document.kind,
            holder_name="x",
            holder_key=document.holder_key,
            language="en",
            issued_at=document.issued_at,
        )


def test_a_holder_who_no_longer_qualifies_is_refused(world):
    with pytest.raises(ValidationError):
        document_issue_for_holder(
            workshop=world["workshop"], kind=ATTENDANCE, holder_key=f"registration:{world['absent'].pk}", by=None
        )
    document = document_issue_for_holder(
        workshop=world["workshop"], kind=ATTENDANCE, holder_key=f"registration:{world['omar'].pk}", by=None
    )
    assert document.language == "ar"


def test_revoking_needs_a_reason_and_happens_once(world):
    document = _issue(world, "claire")
    with pytest.raises(ValidationError):
        document_revoke(document=document, by=world["organiser"], reason="  ")
    document_revoke(document=document, by=world["organiser"], reason="Left on the first morning")
    document.refresh_from_db()
    assert document.revocation == Revocation.REVOKED
    assert document.revoked_by == world["organiser"]
    assert document.file  # kept: the code still answers
    with pytest.raises(ValidationError):
        document_revoke(document=document, by=world["organiser"], reason="again")


def test_a_failed_record_leaves_no_file_behind(world):
    storage = private_storage()
    before = set(storage.listdir("documents")[1]) if storage.exists("documents") else set()
    target = target_of(world["workshop"], ATTENDANCE, world["claire"])
    unsaved = Target(**{**target.__dict__, "registration": Registration(workshop=world["workshop"])})
    with pytest.raises(ValueError, match="unsaved"):
        document_issue(workshop=world["workshop"], kind=ATTENDANCE, target=unsaved, by=None)
    assert set(storage.listdir("documents")[1]) == before
    assert not IssuedDocument.objects.exists()
