import datetime
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from presentations.conversion_jobs import presentation_file_convert
from presentations.enums import ConversionStatus, PresentationStatus
from presentations.models import Presentation, PresentationFile
from presentations.services import (
    presentation_accept_upload,
    presentation_create,
    presentation_decide,
    presentation_update,
    presentation_withdraw,
)
from presentations.validation import FileRejectedError
from registrations.enums import RegistrationStatus
from sessions.enums import SegmentKind
from testkit.factories import (
    WorkshopFactory,
    approved_delegate,
    country_session,
    institution_delegate,
    segment_of,
    special_session,
    staff_user,
)
from testkit.files import blank_pdf_bytes, pdf_bytes, pptx_bytes, upload
from workshop_portal.page_cache import stamp
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db

P = PresentationStatus


@pytest.fixture
def workshop():
    return WorkshopFactory()


@pytest.fixture
def kz_session(workshop):
    return country_session(workshop, "KZ", start=(9, 0), end=(10, 30))


@pytest.fixture
def kg_session(workshop):
    return country_session(workshop, "KG", start=(11, 0), end=(12, 30))


@pytest.fixture
def organiser():
    return staff_user("organiser@example.org", ORGANISERS)


def _propose(presenter, segment, title="A best practice", by=None):
    return presentation_create(
        presentation=Presentation(presenter=presenter, segment=segment, title=title, abstract="What we did."),
        by=by or presenter.user,
    )


def _stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "presentations"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# The rules of the note


def test_the_host_state_presents_in_its_own_segment(kz_session):
    presenter = approved_delegate(kz_session.workshop, "KZ")
    presentation = _propose(presenter, segment_of(kz_session, SegmentKind.HOST_STATE))
    assert presentation.status == P.DRAFT
    assert presentation.presenting_state.code == "KZ"
    assert presentation.workshop == kz_session.workshop


def test_another_state_cannot_present_in_the_host_segment(kz_session):
    presenter = approved_delegate(kz_session.workshop, "TR")
    with pytest.raises(ValidationError) as excinfo:
        _propose(presenter, segment_of(kz_session, SegmentKind.HOST_STATE))
    assert "Only a delegate of Kazakhstan presents in this segment." in excinfo.value.message_dict["segment"]
    assert not Presentation.objects.exists()


def test_a_partner_state_presents_a_best_practice(kz_session):
    presenter = approved_delegate(kz_session.workshop, "TR")
    assert _propose(presenter, segment_of(kz_session, SegmentKind.PARTNER_BEST_PRACTICES)).pk


def test_the_host_state_cannot_present_among_its_partners(kz_session):
    presenter = approved_delegate(kz_session.workshop, "KZ")
    with pytest.raises(ValidationError) as excinfo:
        _propose(presenter, segment_of(kz_session, SegmentKind.PARTNER_BEST_PRACTICES))
    assert "Kazakhstan presents in its own segment" in excinfo.value.message_dict["segment"][0]


def test_an_institution_cannot_present_a_state_best_practice(kz_session):
    presenter = institution_delegate(kz_session.workshop, "IsDB")
    with pytest.raises(ValidationError, match="Only a delegate of an OIC member state"):
        _propose(presenter, segment_of(kz_session, SegmentKind.PARTNER_BEST_PRACTICES))


@pytest.mark.parametrize("acronym", ["IsDB", "UNDP"])
def test_oic_and_international_institutions_present_in_their_segment(kz_session, acronym):
    presenter = institution_delegate(kz_session.workshop, acronym)
    assert _propose(presenter, segment_of(kz_session, SegmentKind.INTERNATIONAL_INSTITUTIONS)).pk


def test_a_state_cannot_present_in_the_institutions_segment(kz_session):
    presenter = approved_delegate(kz_session.workshop, "TR")
    with pytest.raises(ValidationError, match="OIC or international institution"):
        _propose(presenter, segment_of(kz_session, SegmentKind.INTERNATIONAL_INSTITUTIONS))


def test_the_general_discussion_takes_no_presentation(kz_session):
    presenter = approved_delegate(kz_session.workshop, "KZ")
    with pytest.raises(ValidationError, match="takes no presentations"):
        _propose(presenter, segment_of(kz_session, SegmentKind.GENERAL_DISCUSSION))


def test_the_special_session_takes_no_presentation(kz_session):
    special = special_session(kz_session.workshop)
    presenter = approved_delegate(kz_session.workshop, "TR")
    with pytest.raises(ValidationError, match="takes no presentations"):
        _propose(presenter, segment_of(special, SegmentKind.EVALUATION))


def test_a_delegate_not_approved_cannot_present(kz_session):
    presenter = approved_delegate(kz_session.workshop, "KZ", status=RegistrationStatus.WAITLISTED)
    with pytest.raises(ValidationError, match="approved"):
        _propose(presenter, segment_of(kz_session, SegmentKind.HOST_STATE))


def test_one_best_practice_per_member_state_per_workshop(kz_session, kg_session):
    first = approved_delegate(kz_session.workshop, "TR")
    _propose(first, segment_of(kz_session, SegmentKind.PARTNER_BEST_PRACTICES), title="Vocational training")
    colleague = approved_delegate(kz_session.workshop, "TR")
    with pytest.raises(ValidationError) as excinfo:
        _propose(colleague, segment_of(kg_session, SegmentKind.PARTNER_BEST_PRACTICES))
    message = excinfo.value.message_dict["segment"][0]
    assert "Türkiye already presents a best practice in this workshop: “Vocational training”." in message
    assert Presentation.objects.count() == 1


def test_a_withdrawn_best_practice_frees_the_slot(kz_session, kg_session):
    first = approved_delegate(kz_session.workshop, "TR")
    presentation = _propose(first, segment_of(kz_session, SegmentKind.PARTNER_BEST_PRACTICES))
    presentation_withdraw(presentation=presentation, by=first.user)
    colleague = approved_delegate(kz_session.workshop, "TR")
    assert _propose(colleague, segment_of(kg_session, SegmentKind.PARTNER_BEST_PRACTICES)).pk


def test_the_database_refuses_a_second_best_practice_of_a_state(kz_session, kg_session):
    first = approved_delegate(kz_session.workshop, "TR")
    presentation = _propose(first, segment_of(kz_session, SegmentKind.PARTNER_BEST_PRACTICES))
    duplicate = Presentation(
        presenter=approved_delegate(kz_session.workshop, "TR"),
        segment=segment_of(kg_session, SegmentKind.PARTNER_BEST_PRACTICES),
        title="Second",
        abstract="x",
        workshop=presentation.workshop,
        segment_kind=SegmentKind.PARTNER_BEST_PRACTICES,
        presenting_state=presentation.presenting_state,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_moving_a_presentation_keeps_the_rules(kz_session, organiser):
    presenter = approved_delegate(kz_session.workshop, "TR")
    presentation = _propose(presenter, segment_of(kz_session, SegmentKind.PARTNER_BEST_PRACTICES))
    presentation.segment = segment_of(kz_session, SegmentKind.HOST_STATE)
    with pytest.raises(ValidationError, match="Only a delegate of Kazakhstan"):
        presentation_update(presentation=presentation, by=organiser)
    presentation.refresh_from_db()
    assert presentation.segment.kind == SegmentKind.PARTNER_BEST_PRACTICES


def test_a_presenter_cannot_edit_an_accepted_presentation(kz_session, organiser):
    presenter = approved_delegate(kz_session.workshop, "KZ")
    presentation = _propose(presenter, segment_of(kz_session, SegmentKind.HOST_STATE), title="Original")
    presentation_decide(presentation=presentation, status=P.ACCEPTED, by=organiser)
    presentation.title = "Changed"
    with pytest.raises(ValidationError, match="can no longer be edited"):
        presentation_update(presentation=presentation, by=presenter.user)
    presentation.refresh_from_db()
    assert presentation.title == "Original"


def test_only_organisers_decide(kz_session):
    presenter = approved_delegate(kz_session.workshop, "KZ")
    presentation = _propose(presenter, segment_of(kz_session, SegmentKind.HOST_STATE))
    with pytest.raises(PermissionDenied):
        presentation_decide(presentation=presentation, status=P.ACCEPTED, by=presenter.user)


# Uploads


@pytest.fixture
def proposal(kz_session):
    presenter = approved_delegate(kz_session.workshop, "KZ")
    return _propose(presenter, segment_of(kz_session, SegmentKind.HOST_STATE))


def test_an_upload_becomes_version_one_with_its_facts(proposal):
    content = pdf_bytes(pages=3)
    version = presentation_accept_upload(
        presentation=proposal, uploaded_file=upload("../../My slides\u202e.pdf", content), by=proposal.presenter.user
    )
    assert version.version == 1
    assert version.kind == "pdf"
    # Size and checksum are those of what is stored: the copy rewritten by pikepdf, not the upload.
    stored = Path(version.file.path).read_bytes()
    assert stored.startswith(b"%PDF-")
    assert stored != content
    assert version.size == len(stored)
    assert version.sha256 == hashlib.sha256(stored).hexdigest()
    assert version.page_count == 3
    assert version.removed_content == []
    assert version.original_name == "My slides.pdf"
    assert version.conversion_status == ConversionStatus.NOT_NEEDED
    assert version.uploaded_by == proposal.presenter.user
    # Stored under a generated name, outside any public URL.
    assert "My slides" not in version.file.name
    assert Path(version.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    proposal.refresh_from_db()
    assert proposal.status == P.SUBMITTED
    assert version.pdf_file == version.file


def test_a_replacement_is_a_new_version_and_every_version_is_kept(proposal):
    first = presentation_accept_upload(
        presentation=proposal, uploaded_file=upload("a.pdf", pdf_bytes()), by=proposal.presenter.user
    )
    second = presentation_accept_upload(
        presentation=proposal, uploaded_file=upload("b.pdf", blank_pdf_bytes(4)), by=proposal.presenter.user
    )
    assert (first.version, second.version) == (1, 2)
    assert PresentationFile.objects.filter(presentation=proposal).count() == 2
    assert Path(first.file.path).exists()
    assert proposal.files.first() == second


def test_a_refused_file_leaves_no_row_and_no_stored_file(proposal):
    before = _stored_files()
    with pytest.raises(FileRejectedError):
        presentation_accept_upload(
            presentation=proposal,
            uploaded_file=upload("slides.pdf", b"<html><script>alert(1)</script></html>"),
            by=proposal.presenter.user,
        )
    assert not PresentationFile.objects.exists()
    assert _stored_files() == before
    proposal.refresh_from_db()
    assert proposal.status == P.DRAFT


def test_an_upload_after_the_deadline_is_refused_for_the_presenter(proposal):
    workshop = proposal.workshop
    workshop.upload_deadline = timezone.now() - datetime.timedelta(minutes=1)
    workshop.save()
    before = _stored_files()
    with pytest.raises(ValidationError, match="The deadline for presentations passed"):
        presentation_accept_upload(
            presentation=proposal, uploaded_file=upload("a.pdf", pdf_bytes()), by=proposal.presenter.user
        )
    assert not PresentationFile.objects.exists()
    assert _stored_files() == before


def test_an_organiser_uploads_on_the_presenters_behalf_even_after_the_deadline(proposal, organiser):
    workshop = proposal.workshop
    workshop.upload_deadline = timezone.now() - datetime.timedelta(minutes=1)
    workshop.save()
    version = presentation_accept_upload(
        presentation=proposal, uploaded_file=upload("a.pdf", pdf_bytes()), by=organiser
    )
    assert version.uploaded_by == organiser


def test_another_delegate_cannot_upload(proposal):
    intruder = approved_delegate(proposal.workshop, "KZ")
    with pytest.raises(PermissionDenied):
        presentation_accept_upload(presentation=proposal, uploaded_file=upload("a.pdf", pdf_bytes()), by=intruder.user)
    assert not PresentationFile.objects.exists()


def test_a_presenter_no_longer_approved_cannot_upload(proposal):
    proposal.presenter.status = RegistrationStatus.CANCELLED
    proposal.presenter.save()
    with pytest.raises(ValidationError, match="approved"):
        presentation_accept_upload(
            presentation=proposal, uploaded_file=upload("a.pdf", pdf_bytes()), by=proposal.presenter.user
        )


def test_a_withdrawn_presentation_takes_no_file(proposal):
    presentation_withdraw(presentation=proposal, by=proposal.presenter.user)
    with pytest.raises(ValidationError, match="takes no more files"):
        presentation_accept_upload(
            presentation=proposal, uploaded_file=upload("a.pdf", pdf_bytes()), by=proposal.presenter.user
        )


def test_a_pptx_waits_for_conversion(proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = presentation_accept_upload(
            presentation=proposal, uploaded_file=upload("deck.pptx", pptx_bytes()), by=proposal.presenter.user
        )
    assert version.kind == "pptx"
    assert version.conversion_status == ConversionStatus.PENDING
    assert version.pdf_file is None
    # One conversion queued on commit (besides the page cache's stamps, workshop_portal/page_cache.py).
    assert len([c for c in callbacks if getattr(c, "func", None) is not stamp]) == 1


# Conversion (the service itself; the worker path is tested in test_conversion_pipeline.py)


def _pptx_version(proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return presentation_accept_upload(
            presentation=proposal, uploaded_file=upload("deck.pptx", pptx_bytes()), by=proposal.presenter.user
        )


def test_conversion_without_libreoffice_says_so(proposal, django_capture_on_commit_callbacks, settings):
    settings.LIBREOFFICE_BINARY = "/nonexistent/soffice"
    version = presentation_file_convert(version=_pptx_version(proposal, django_capture_on_commit_callbacks))
    assert version.conversion_status == ConversionStatus.UNAVAILABLE
    assert "LibreOffice is not installed" in version.conversion_error
    assert version.pdf_file is None


def test_a_finished_conversion_is_not_run_again(proposal, django_capture_on_commit_callbacks, settings):
    settings.LIBREOFFICE_BINARY = "/nonexistent/soffice"
    version = presentation_file_convert(version=_pptx_version(proposal, django_capture_on_commit_callbacks))
    settings.LIBREOFFICE_BINARY = ""
    again = presentation_file_convert(version=version)
    again.refresh_from_db()
    assert again.conversion_status == ConversionStatus.UNAVAILABLE
