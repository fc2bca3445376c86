import pytest
from django.urls import reverse

from presentations.enums import PresentationStatus
from presentations.models import Presentation, PresentationFile
from presentations.services import presentation_accept_upload, presentation_create, presentation_decide
from registrations.enums import RegistrationStatus
from sessions.enums import SegmentKind
from testkit.factories import (
    WorkshopFactory,
    approved_delegate,
    country_session,
    institution_delegate,
    segment_of,
    staff_user,
    verified_user,
)
from testkit.files import pdf_bytes, upload
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return WorkshopFactory(slug="cooperation")


@pytest.fixture
def kz_session(workshop):
    return country_session(workshop, "KZ", start=(9, 0), end=(10, 30))


@pytest.fixture
def presenter(kz_session):
    return approved_delegate(kz_session.workshop, "KZ", participant_name="Aigerim Bekova")


@pytest.fixture
def presentation(kz_session, presenter):
    return presentation_create(
        presentation=Presentation(
            presenter=presenter,
            segment=segment_of(kz_session, SegmentKind.HOST_STATE),
            title="Kazakhstan",
            abstract="A",
        ),
        by=presenter.user,
    )


@pytest.fixture
def version(presentation):
    return presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("slides.pdf", pdf_bytes()), by=presentation.presenter.user
    )


# Creating and uploading


def test_create_offers_only_the_segments_open_to_the_delegate(client, kz_session):
    country_session(kz_session.workshop, "KG", start=(11, 0), end=(12, 0))
    delegate = approved_delegate(kz_session.workshop, "TR")
    client.force_login(delegate.user)
    response = client.get(reverse("presentations:create", args=[delegate.pk]))
    labels = [label for value, label in response.context["form"].fields["segment"].choices if value]
    assert labels == [
        "Country working session: Kazakhstan · Best practices of OIC partner member states",
        "Country working session: Kyrgyz Republic · Best practices of OIC partner member states",
    ]


def test_create_then_upload_through_the_pages(client, kz_session, presenter):
    client.force_login(presenter.user)
    segment = segment_of(kz_session, SegmentKind.HOST_STATE)
    response = client.post(
        reverse("presentations:create", args=[presenter.pk]),
        {"segment": segment.pk, "title": "Our programmes", "abstract": "What we do."},
    )
    presentation = Presentation.objects.get(presenter=presenter)
    assert response["Location"] == presentation.get_absolute_url()
    response = client.post(
        reverse("presentations:upload", args=[presentation.pk]), {"file": upload("deck.pdf", pdf_bytes())}, follow=True
    )
    assert "Version 1 is uploaded." in response.content.decode()
    assert presentation.files.count() == 1


def test_a_forged_segment_is_refused_by_the_form(client, kz_session):
    delegate = approved_delegate(kz_session.workshop, "TR")
    client.force_login(delegate.user)
    response = client.post(
        reverse("presentations:create", args=[delegate.pk]),
        {"segment": segment_of(kz_session, SegmentKind.HOST_STATE).pk, "title": "T", "abstract": "A"},
    )
    assert response.status_code == 200
    assert "segment" in response.context["form"].errors
    assert not Presentation.objects.exists()


def test_an_unapproved_delegate_is_sent_back_with_an_explanation(client, kz_session):
    delegate = approved_delegate(kz_session.workshop, "KZ", status=RegistrationStatus.SUBMITTED)
    client.force_login(delegate.user)
    response = client.get(reverse("presentations:create", args=[delegate.pk]), follow=True)
    assert "once your registration is approved" in response.content.decode()


def test_a_refused_upload_explains_itself_and_stores_nothing(client, presentation):
    client.force_login(presentation.presenter.user)
    response = client.post(
        reverse("presentations:upload", args=[presentation.pk]),
        {"file": upload("slides.pdf", b"MZ\x90\x00 this is an executable")},
    )
    assert response.status_code == 400
    assert "Upload a PDF, PowerPoint (.pptx) or Word (.docx) file." in response.content.decode()
    assert not PresentationFile.objects.exists()


def test_a_refused_upload_shows_its_error_once(client, presentation):
    client.force_login(presentation.presenter.user)
    response = client.post(
        reverse("presentations:upload", args=[presentation.pk]),
        {"file": upload("slides.pdf", b"MZ\x90\x00 this is an executable")},
    )
    page = response.content.decode()
    # Crispy renders a form's non-field errors; a template listing them as well showed each twice.
    assert page.count("This type of file is not accepted.") == 1
    assert page.count('role="alert"') == 1


def test_an_upload_over_the_limit_is_stopped_with_a_clear_message(client, presentation, settings):
    settings.PRESENTATION_MAX_UPLOAD_BYTES = 4096
    client.force_login(presentation.presenter.user)
    response = client.post(
        reverse("presentations:upload", args=[presentation.pk]), {"file": upload("big.pdf", b"%PDF-1.4" + b"0" * 10000)}
    )
    assert response.status_code == 400
    assert "The file is larger than the limit of 4.0\xa0KB." in response.content.decode()
    assert not PresentationFile.objects.exists()


@pytest.mark.parametrize("name", ["detail", "edit", "withdraw", "upload"])
def test_someone_elses_presentation_is_not_found(client, presentation, name):
    client.force_login(approved_delegate(presentation.workshop, "KZ").user)
    url = reverse(f"presentations:{name}", args=[presentation.pk])
    if name != "upload":
        assert client.get(url).status_code == 404
    if name != "detail":  # the detail page takes no POST at all (405)
        assert client.post(url, {"file": upload("a.pdf", pdf_bytes())}).status_code == 404
    presentation.refresh_from_db()
    assert presentation.status == PresentationStatus.DRAFT
    assert not presentation.files.exists()


def test_withdraw_asks_then_withdraws(client, presentation):
    client.force_login(presentation.presenter.user)
    url = reverse("presentations:withdraw", args=[presentation.pk])
    assert "Withdraw your presentation?" in client.get(url).content.decode()
    client.post(url)
    presentation.refresh_from_db()
    assert presentation.status == PresentationStatus.WITHDRAWN


# Protected downloads


def _download(client, version):
    return client.get(reverse("presentations:download", args=[version.pk]))


def test_the_presenter_downloads_their_file_as_an_attachment(client, version):
    client.force_login(version.presentation.presenter.user)
    response = _download(client, version)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == version.file.open("rb").read()


def test_files_have_no_public_url(version):
    with pytest.raises(ValueError, match="not accessible via a URL"):
        _ = version.file.url


@pytest.mark.parametrize("role", [ORGANISERS, SECRETARIAT])
def test_organisers_and_secretariat_download(client, version, role):
    client.force_login(staff_user("staff@example.org", role))
    assert _download(client, version).status_code == 200


def test_other_participants_wait_until_the_presentation_is_accepted(client, version):
    other = approved_delegate(version.presentation.workshop, "KZ")
    client.force_login(other.user)
    assert _download(client, version).status_code == 404
    presentation_decide(
        presentation=version.presentation,
        status=PresentationStatus.ACCEPTED,
        by=staff_user("o@example.org", ORGANISERS),
    )
    assert _download(client, version).status_code == 200


def test_accepted_files_stay_closed_when_the_workshop_does_not_share_them(client, version):
    presentation_decide(
        presentation=version.presentation,
        status=PresentationStatus.ACCEPTED,
        by=staff_user("o@example.org", ORGANISERS),
    )
    workshop = version.presentation.workshop
    workshop.share_presentations = False
    workshop.save()
    client.force_login(approved_delegate(workshop, "KZ").user)
    assert _download(client, version).status_code == 404


def test_strangers_and_unapproved_delegates_never_download(client, version):
    presentation_decide(
        presentation=version.presentation,
        status=PresentationStatus.ACCEPTED,
        by=staff_user("o@example.org", ORGANISERS),
    )
    assert _download(client, version).status_code == 302  # to the login page
    client.force_login(verified_user("stranger@example.org"))
    assert _download(client, version).status_code == 404
    waiting = approved_delegate(version.presentation.workshop, "KZ", status=RegistrationStatus.WAITLISTED)
    client.force_login(waiting.user)
    assert _download(client, version).status_code == 404


def test_nginx_mode_hands_the_file_to_nginx(client, version, settings):
    settings.PROTECTED_FILES_SERVER = "nginx"
    client.force_login(version.presentation.presenter.user)
    response = _download(client, version)
    assert response["X-Accel-Redirect"] == f"/protected/{version.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")


def test_sendfile_mode_hands_the_file_to_apache(client, version, settings):
    settings.PROTECTED_FILES_SERVER = "sendfile"
    client.force_login(version.presentation.presenter.user)
    response = _download(client, version)
    assert response["X-Sendfile"] == version.file.path


# Pages that show presentations


def test_the_programme_shows_accepted_presentations_under_their_segment(client, version, kz_session):
    organiser = staff_user("o@example.org", ORGANISERS)
    html = client.get(kz_session.workshop.get_absolute_url()).content.decode()
    assert "Kazakhstan</span>" not in html
    presentation_decide(presentation=version.presentation, status=PresentationStatus.ACCEPTED, by=organiser)
    html = client.get(kz_session.workshop.get_absolute_url()).content.decode()
    assert "Aigerim Bekova" in html


def test_the_programme_query_count_stays_flat_with_presentations(client, kz_session, django_assert_num_queries):
    organiser = staff_user("o@example.org", ORGANISERS)
    workshop = kz_session.workshop

    def accept(presenter, kind):
        presentation = presentation_create(
            presentation=Presentation(
                presenter=presenter, segment=segment_of(kz_session, kind), title="T", abstract="A"
            ),
            by=organiser,
        )
        presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser)

    accept(approved_delegate(workshop, "KZ"), SegmentKind.HOST_STATE)
    # An anonymous first visit: the workshop (then kept in the cache, workshop_portal/page_cache.py) and its programme.
    with django_assert_num_queries(3) as baseline:
        client.get(workshop.get_absolute_url())
    for code in ("TR", "SA", "MY"):
        accept(approved_delegate(workshop, code), SegmentKind.PARTNER_BEST_PRACTICES)
    accept(institution_delegate(workshop, "UNDP"), SegmentKind.INTERNATIONAL_INSTITUTIONS)
    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(workshop.get_absolute_url())
    assert response.content.decode().count('class="fw-semibold"') == 5


def test_the_dashboard_lists_my_presentations_with_their_status(
    client, version, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(version.presentation.presenter.user)
    # The session, the person, their registrations (with whether they are a rapporteur), their
    # presentations (each with its latest file's conversion status), their documents (certificates,
    # letters), and the workshops open for registration.
    with django_assert_num_queries(6) as baseline:
        html = client.get(reverse("registrations:dashboard")).content.decode()
    assert version.presentation.title in html
    assert 'data-status="submitted"' in html
    assert reverse("presentations:create", args=[version.presentation.presenter.pk]) in html
    presentation_accept_upload(
        presentation=version.presentation,
        uploaded_file=upload("b.pdf", pdf_bytes()),
        by=version.presentation.presenter.user,
    )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("registrations:dashboard"))


def _zip(entries: dict) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


HOSTILE_UPLOADS = [
    ("report.pdf", b"<!doctype html><script>alert(document.cookie)</script>"),
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("slides.pptx", b"MZ\x90\x00\x03\x00\x00\x00 a Windows executable"),
    ("slides.pptx", b"\x7fELF\x02\x01\x01 a Linux executable"),
    ("shell.php.pdf", b"<?php system($_GET['c']); ?>"),
    ("empty.pdf", b""),
    ("truncated.pdf", pdf_bytes(pages=3)[:300]),
    ("plain.pptx", _zip({"readme.txt": b"not a presentation"})),
    ("escape.pptx", _zip({"[Content_Types].xml": b"<Types/>", "../../evil.sh": b"rm -rf /"})),
    ("image.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR<html><script>alert(1)</script>"),
]


@pytest.mark.parametrize(
    ("name", "content"), HOSTILE_UPLOADS, ids=[f"{i}-{n}" for i, (n, _c) in enumerate(HOSTILE_UPLOADS)]
)
def test_a_hostile_upload_is_refused_with_a_message_and_leaves_nothing(
    client, presentation, name, content, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.PRIVATE_MEDIA_ROOT)
    before = {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    client.force_login(presentation.presenter.user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("presentations:upload", args=[presentation.pk]), {"file": upload(name, content)})
    assert response.status_code == 400
    errors = response.context["upload_form"].non_field_errors() + response.context["upload_form"].errors.get("file", [])
    assert errors, "the delegate is told why"
    assert not PresentationFile.objects.exists()
    after = {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    assert after == before
    assert callbacks == []
