"""Invitation and visa support letters as documents (documents/letters.py): real WeasyPrint PDFs read
back with pypdf, in every language; issued again when their text or seats change; a visa letter made by
the worker once the delegate asks, theirs alone to download, revoked when withdrawn; the passport
number nowhere in the documents' table; the targets read in a fixed number of queries."""

import datetime
import io
import re

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from delegations.enums import LetterKind, VisaRequestStatus
from delegations.letter_models import LetterSettings, LetterText, VisaLetterRequest
from delegations.letter_services import letters_lay_out_defaults
from delegations.letters import invitation_reference
from delegations.models import FocalPoint
from delegations.visa import visa_request_save, visa_request_withdraw
from documents.batches import document_batch_request, document_batch_run
from documents.enums import BatchStatus, DocumentKind, Revocation
from documents.kinds import kind_spec
from documents.letters import WITHDRAWN_REASON, invitation_language, state_language, visa_letter_issue
from documents.models import DocumentBatch, IssuedDocument
from documents.services import document_issue
from testkit.factories import WorkshopFactory, approved_delegate, staff_user, verified_user
from tests.delegations.support import institution_delegation, state_delegation
from tests.documents.support import pdf_text
from tests.i18n_support import default_language_afterwards  # noqa: F401  (autouse)
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

INVITATION = DocumentKind.INVITATION_LETTER
VISA = DocumentKind.VISA_LETTER
PASSPORT = "N98765432"

STATES = {"en": "TR", "fr": "SN", "ar": "JO", "ru": "KZ"}  # each state's letter in its default language


@pytest.fixture
def workshop():
    workshop = WorkshopFactory(slug="letters-workshop", title="Workshop on Technical Cooperation", city="Ankara")
    letters_lay_out_defaults(workshop=workshop)
    return workshop


@pytest.fixture
def organiser():
    return staff_user("organiser@example.org", ORGANISERS)


@pytest.fixture
def delegations(workshop):
    return {
        language: state_delegation(workshop, code, seats=3 + i) for i, (language, code) in enumerate(STATES.items())
    }


def _invitation(workshop, delegation):
    target = next(t for t in kind_spec(INVITATION).targets(workshop) if t.subject.pk == delegation.pk)
    return target, document_issue(workshop=workshop, kind=INVITATION, target=target, by=None)


def _pdf(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _details(workshop, **changes):
    return {
        "passport_name": "OMAROVA SAULE",
        "nationality": "KZ",
        "passport_number": PASSPORT,
        "passport_expiry": workshop.end_date + datetime.timedelta(days=900),
        "stay_from": workshop.start_date - datetime.timedelta(days=1),
        "stay_to": workshop.end_date + datetime.timedelta(days=1),
        **changes,
    }


# Invitation letters


@pytest.mark.parametrize("language", list(STATES))
def test_an_invitation_letter_is_written_in_its_states_language(workshop, delegations, language):
    delegation = delegations[language]
    target, document = _invitation(workshop, delegation)
    assert target.language == document.language == language
    data = _pdf(document)
    text = pdf_text(data)
    assert target.holder_name in text  # the state's name in the letter's language
    assert f" {delegation.seats}" in text  # the seats offered
    assert target.facts[2] in text  # the addressee, in that language
    assert invitation_reference(delegation, workshop._letter_kit) in text
    assert document.code in text
    assert document.member_state == delegation.member_state
    assert document.registration is None
    assert document.holder_key == f"state:{delegation.member_state.pk}"
    if language == "ar":
        assert re.search(r'dir="rtl"', _html_of(workshop, target, document))
        assert "Jordan" not in text


def _html_of(workshop, target, document):
    """The HTML WeasyPrint received for the document (rendered again, the same way)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    spec = kind_spec(INVITATION)
    with translation.override(target.language):
        return render_to_string(spec.template, spec.context(workshop, target) | {"code": document.code})


def test_the_default_languages_of_the_states_and_a_focal_points_own(workshop, delegations):
    assert [state_language(code) for code in ("MA", "MR", "DZ", "SN", "CI", "KM", "UZ", "AZ", "MY", "")] == [
        *("ar", "ar", "ar", "fr", "fr", "fr", "ru", "ru", "en", "en"),
    ]
    institution = institution_delegation(workshop, "IsDB", seats=2)  # an OIC institution of no one state
    by_pk = {t.subject.pk: t.language for t in kind_spec(INVITATION).targets(workshop)}
    assert by_pk[institution.pk] == "en"
    assert by_pk[delegations["ar"].pk] == "ar"
    kazakh = delegations["ru"]
    # A focal point with the portal's default language (no choice made): the state's language still.
    FocalPoint.objects.create(delegation=kazakh, email="default@example.org", user=verified_user("default@example.org"))
    assert next(t for t in kind_spec(INVITATION).targets(workshop) if t.subject.pk == kazakh.pk).language == "ru"
    # A focal point still to accept: the language the organisers chose for their invitation.
    FocalPoint.objects.create(delegation=kazakh, email="later@example.org", language="fr")
    assert next(t for t in kind_spec(INVITATION).targets(workshop) if t.subject.pk == kazakh.pk).language == "fr"
    # One who accepted and chose a language comes first: the language of their account.
    FocalPoint.objects.create(
        delegation=kazakh, email="focal@example.org", user=verified_user("focal@example.org", language="en")
    )
    kazakh.refresh_from_db()
    target = next(t for t in kind_spec(INVITATION).targets(workshop) if t.subject.pk == kazakh.pk)
    assert target.language == "en"
    assert invitation_language(workshop, target.subject) == "en"


def test_the_letter_prints_the_letterhead_signature_and_signatory(workshop, delegations):
    def picture(colour, image_format):
        data = io.BytesIO()
        Image.new("RGB", (300, 60), colour).save(data, format=image_format)
        return io.BytesIO(data.getvalue())

    letter_settings = LetterSettings.objects.get(workshop=workshop)
    letter_settings.letterhead.save("head.png", picture((11, 83, 73), "PNG"), save=False)
    letter_settings.signature.save("sign.jpg", picture((20, 20, 120), "JPEG"), save=False)
    letter_settings.signatory_name = "Ayse Demir"
    letter_settings.signatory_title = "Head of the Secretariat"
    letter_settings.signatory_name_ru = "Айше Демир"
    letter_settings.save()
    _target, english = _invitation(workshop, delegations["en"])
    _target, russian = _invitation(workshop, delegations["ru"])
    assert "Ayse Demir" in pdf_text(_pdf(english))
    assert "Head of the Secretariat" in pdf_text(_pdf(english))
    assert "Айше Демир" in pdf_text(_pdf(russian))
    images = [image for page in pypdf.PdfReader(io.BytesIO(_pdf(english))).pages for image in page.images]
    assert len(images) >= 3  # letterhead, signature, QR code


def test_a_hostile_letter_text_stays_literal_in_the_pdf(workshop, delegations):
    hostile = (
        "{{ settings.SECRET_KEY }} and {0.__class__} for {state}.\n\n"
        '<script>document.write("INJECTED")</script><img src="file:///etc/passwd"> **bold** {% debug %}'
    )
    LetterText.objects.filter(settings__workshop=workshop, kind=LetterKind.INVITATION, language="en").update(
        body=hostile
    )
    target, document = _invitation(workshop, delegations["en"])
    text = pdf_text(_pdf(document))
    assert "{{ settings.SECRET_KEY }}" in text
    assert "{0.__class__}" in text
    assert "{% debug %}" in text
    assert f"for {target.holder_name}." in text
    assert settings.SECRET_KEY not in text
    assert "INJECTED" not in text
    assert "root:" not in text


def test_editing_the_text_or_the_seats_issues_the_letter_again_on_the_next_batch(
    client, workshop, delegations, organiser
):
    def run():
        batch = document_batch_run(batch=document_batch_request(workshop=workshop, kind=INVITATION, by=organiser))
        assert batch.status == BatchStatus.READY, batch.error
        workshop.__dict__.pop("_letter_kit", None)
        return batch

    first = run()
    assert first.issued_count == 4
    assert run().issued_count == 0  # nothing changed: every letter kept
    old = IssuedDocument.objects.get(kind=INVITATION, member_state=delegations["en"].member_state)
    LetterText.objects.filter(settings__workshop=workshop, kind=LetterKind.INVITATION, language="en").update(
        body="A new text for {state}, {seats} seats."
    )
    again = run()
    assert (again.issued_count, again.kept_count) == (1, 3)
    old.refresh_from_db()
    assert old.revocation == Revocation.SUPERSEDED
    new = IssuedDocument.objects.current().get(kind=INVITATION, member_state=delegations["en"].member_state)
    assert old.superseded_by == new
    assert "A new text for" in pdf_text(_pdf(new))
    page = client.get(reverse("documents:verify", args=[old.code])).content.decode()
    assert "This document is no longer valid: a newer one replaced it" in page
    assert "This document is valid." not in page
    delegations["ru"].seats = 9
    delegations["ru"].save()
    assert run().issued_count == 1
    assert " 9" in pdf_text(_pdf(IssuedDocument.objects.current().get(member_state=delegations["ru"].member_state)))


def test_the_staff_and_the_focal_points_of_that_delegation_download_it_nobody_else(client, workshop, delegations):
    kazakh, senegal = delegations["ru"], delegations["fr"]
    focal = verified_user("focal.kz@example.org")
    FocalPoint.objects.create(delegation=kazakh, email=focal.email, user=focal)
    other_focal = verified_user("focal.sn@example.org")
    FocalPoint.objects.create(delegation=senegal, email=other_focal.email, user=other_focal)
    delegate = approved_delegate(workshop, "KZ", user=verified_user("delegate.kz@example.org"))
    _target, document = _invitation(workshop, kazakh)
    url = reverse("documents:download", args=[document.pk])
    client.force_login(focal)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    page = client.get(reverse("delegations:detail", args=[kazakh.pk])).content.decode()
    assert url in page
    for user in (other_focal, delegate.user, staff_user("secretariat@example.org", SECRETARIAT)):
        client.force_login(user)
        expected = 200 if user.has_perm("documents.view_issueddocument") else 404
        assert client.get(url).status_code == expected, user
    # A focal point of the same state in another workshop is not one of this delegation.
    elsewhere = WorkshopFactory()
    stranger = verified_user("focal.kz.elsewhere@example.org")
    FocalPoint.objects.create(
        delegation=state_delegation(elsewhere, "KZ", seats=1), email=stranger.email, user=stranger
    )
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    # Superseded: not even its focal point downloads the old one.
    document.revoked_at = document.issued_at
    document.save(update_fields=["revoked_at"])
    client.force_login(focal)
    assert client.get(url).status_code == 404


def test_the_invitation_targets_cost_the_same_queries_for_more_delegations(workshop, django_assert_max_num_queries):
    state_delegation(workshop, "KZ", seats=2)
    FocalPoint.objects.create(
        delegation=state_delegation(workshop, "SN", seats=2), email="f@example.org", user=verified_user("f@example.org")
    )
    institution_delegation(workshop, "IsDB", seats=1)
    fresh = type(workshop).objects.get(pk=workshop.pk)
    with django_assert_max_num_queries(6) as small:
        assert len(kind_spec(INVITATION).targets(fresh)) == 3
    for number, code in enumerate(("TR", "JO", "UZ", "AZ", "MA", "ML", "EG")):
        delegation = state_delegation(workshop, code, seats=1)
        FocalPoint.objects.create(delegation=delegation, email=f"f{number}@example.org")
    institution_delegation(workshop, "SESRIC", seats=1)
    fresh = type(workshop).objects.get(pk=workshop.pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(kind_spec(INVITATION).targets(fresh)) == 11


# Visa support letters


@pytest.fixture
def delegate(workshop):
    return approved_delegate(
        workshop, "KZ", user=verified_user("saule@example.org", language="ru"), participant_name="Saule Omarova"
    )


def _ask(delegate, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        visa = visa_request_save(registration=delegate, by=delegate.user, **_details(delegate.workshop, **changes))
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # Sent to a worker, which cannot see this test's transaction: the task's service, here.
        visa_letter_issue(visa_request_id=visa.pk)
    return visa


def test_a_visa_letter_is_issued_once_asked_and_is_the_delegates_alone(
    client, workshop, delegate, organiser, django_capture_on_commit_callbacks
):
    visa = _ask(delegate, django_capture_on_commit_callbacks)
    visa.refresh_from_db()
    assert visa.status == VisaRequestStatus.ISSUED
    document = IssuedDocument.objects.current().get(kind=VISA)
    assert (document.registration, document.holder_name, document.language) == (delegate, "OMAROVA SAULE", "ru")
    text = pdf_text(_pdf(document))
    assert PASSPORT in text
    assert "OMAROVA SAULE" in text
    assert document.code in text
    # The passport number is in no column of the documents' table (content_key is keyed).
    row = IssuedDocument.objects.filter(pk=document.pk).values().get()
    assert not any(PASSPORT in str(value) for value in row.values())
    assert document.content_key != _plain_digest(document)
    url = reverse("documents:download", args=[document.pk])
    client.force_login(delegate.user)
    page = client.get(reverse("delegations:visa_request", args=[delegate.pk])).content.decode()
    assert url in page
    assert "being prepared" not in page
    dashboard = client.get(reverse("registrations:dashboard")).content.decode()
    assert url in dashboard
    assert client.get(url).status_code == 200
    other = approved_delegate(workshop, "KZ", user=verified_user("other@example.org"))
    focal = verified_user("focal@example.org")
    FocalPoint.objects.create(delegation=state_delegation(workshop, "KZ", seats=2), email=focal.email, user=focal)
    for user in (other.user, focal):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def _plain_digest(document):
    """What content_key was before it was keyed: a SHA-256 anyone could recompute from the facts."""
    import hashlib
    import json

    target = next(t for t in kind_spec(document.kind).targets(document.workshop) if t.holder_key == document.holder_key)
    content = json.dumps([target.holder_name, target.language, list(target.facts)], ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def test_a_change_after_issue_issues_a_new_letter_and_withdrawal_revokes_it(
    client, workshop, delegate, django_capture_on_commit_callbacks
):
    _ask(delegate, django_capture_on_commit_callbacks)
    first = IssuedDocument.objects.get(kind=VISA)
    visa = _ask(delegate, django_capture_on_commit_callbacks, passport_number="ZZ1234567")
    visa.refresh_from_db()
    assert visa.status == VisaRequestStatus.ISSUED
    first.refresh_from_db()
    second = IssuedDocument.objects.current().get(kind=VISA)
    assert first.revocation == Revocation.SUPERSEDED
    assert first.superseded_by == second
    assert "ZZ1234567" in pdf_text(_pdf(second))
    with django_capture_on_commit_callbacks(execute=True):
        visa_request_withdraw(visa_request=visa, by=delegate.user)
    second.refresh_from_db()
    assert (second.revocation, second.revocation_reason, second.revoked_by) == (
        Revocation.REVOKED,
        WITHDRAWN_REASON,
        delegate.user,
    )
    assert not IssuedDocument.objects.current().filter(kind=VISA).exists()
    client.force_login(delegate.user)
    assert client.get(reverse("documents:download", args=[second.pk])).status_code == 404
    # Renewed: issued again.
    _ask(delegate, django_capture_on_commit_callbacks)
    assert IssuedDocument.objects.current().filter(kind=VISA).count() == 1


def test_while_the_letter_is_made_the_page_says_so(client, workshop, delegate):
    # Saved without running the commit callbacks: the worker has not made the letter yet.
    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    client.force_login(delegate.user)
    page = client.get(reverse("delegations:visa_request", args=[delegate.pk])).content.decode()
    assert "data-visa-letter-preparing" in page
    assert not IssuedDocument.objects.exists()


def test_the_organisers_visa_batch_issues_pending_requests_and_marks_them(workshop, delegate, organiser):
    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))  # no worker ran
    batch = document_batch_run(batch=document_batch_request(workshop=workshop, kind=VISA, by=organiser))
    assert (batch.status, batch.issued_count) == (BatchStatus.READY, 1), batch.error
    assert VisaLetterRequest.objects.get().status == VisaRequestStatus.ISSUED
    assert DocumentBatch.objects.count() == 1


def test_the_visa_targets_cost_the_same_queries_for_more_requests(workshop, django_assert_max_num_queries):
    def add(number):
        registration = approved_delegate(workshop, "KZ", user=verified_user(f"d{number}@example.org", language="fr"))
        VisaLetterRequest.objects.create(registration=registration, **_details(workshop))

    add(0)
    fresh = type(workshop).objects.get(pk=workshop.pk)
    with django_assert_max_num_queries(4) as small:
        assert len(kind_spec(VISA).targets(fresh)) == 1
    for number in range(1, 8):
        add(number)
    fresh = type(workshop).objects.get(pk=workshop.pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(kind_spec(VISA).targets(fresh)) == 8


def test_the_staff_generate_and_download_letters_from_their_page_at_a_fixed_cost(
    client, workshop, delegate, organiser, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))  # no worker ran
    client.force_login(organiser)
    page_url = reverse("documents:workshop", args=[workshop.slug])
    with django_capture_on_commit_callbacks(execute=True):  # the batch's task, inline (no broker)
        client.post(reverse("documents:batch_start", args=[workshop.slug]), {"kind": VISA})
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # Sent to a worker, which cannot see this test's transaction: the task's service, here.
        document_batch_run(batch=DocumentBatch.objects.get(kind=VISA))
    assert DocumentBatch.objects.get(kind=VISA).issued_count == 1
    assert VisaLetterRequest.objects.get().status == VisaRequestStatus.ISSUED
    counts = []
    for codes in (("TR", "SN"), ("JO", "KZ", "UZ", "AZ", "MA", "ML", "EG", "TJ")):
        for code in codes:
            FocalPoint.objects.create(
                delegation=state_delegation(workshop, code, seats=2), email=f"{code}@example.org", language="fr"
            )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("documents:batch_start", args=[workshop.slug]), {"kind": INVITATION})
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            document_batch_run(batch=DocumentBatch.objects.filter(kind=INVITATION).latest("pk"))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(page_url).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    letters = IssuedDocument.objects.current().filter(kind=INVITATION)
    assert letters.count() == 10
    for letter in letters:
        assert reverse("documents:download", args=[letter.pk]) in page
    assert client.get(reverse("documents:download", args=[letters[0].pk])).status_code == 200
    assert DocumentBatch.objects.filter(kind=INVITATION, status=BatchStatus.READY).count() == 2


def test_a_visa_letter_revoked_by_the_organisers_closes_its_request_until_the_delegate_asks_again(
    client, workshop, delegate, organiser, django_capture_on_commit_callbacks
):
    from documents.services import document_revoke

    _ask(delegate, django_capture_on_commit_callbacks)
    letter = IssuedDocument.objects.current().get(kind=VISA)
    document_revoke(document=letter, by=organiser, reason="issued to the wrong passport")
    visa = VisaLetterRequest.objects.get(registration=delegate)
    assert visa.status == VisaRequestStatus.REVOKED  # not "issued" beside a letter that is no longer valid
    # The organisers' batch does not issue it again behind their back.
    batch = document_batch_run(batch=document_batch_request(workshop=workshop, kind=VISA, by=organiser))
    assert batch.status == BatchStatus.READY
    assert not IssuedDocument.objects.current().filter(kind=VISA).exists()
    client.force_login(delegate.user)
    page = client.get(reverse("delegations:visa_request", args=[delegate.pk])).content.decode()
    assert "data-visa-letter-revoked" in page
    assert reverse("documents:download", args=[letter.pk]) not in page
    # The delegate corrects the details and asks again: a new letter.
    _ask(delegate, django_capture_on_commit_callbacks, passport_number="ZZ1234567")
    visa.refresh_from_db()
    assert visa.status == VisaRequestStatus.ISSUED
    assert "ZZ1234567" in pdf_text(_pdf(IssuedDocument.objects.current().get(kind=VISA)))


@pytest.mark.parametrize("ending", ["cancel", "decline"])
def test_a_registration_cancelled_or_declined_takes_its_visa_letter_with_it(
    client, workshop, delegate, organiser, ending, django_capture_on_commit_callbacks
):
    from registrations.services import registration_cancel, registration_decline

    _ask(delegate, django_capture_on_commit_callbacks)
    letter = IssuedDocument.objects.current().get(kind=VISA)
    if ending == "cancel":
        registration_cancel(registration=delegate, by=delegate.user)
    else:
        registration_decline(registration=delegate, by=organiser)
    letter.refresh_from_db()
    assert letter.revocation == Revocation.REVOKED
    assert letter.revocation_reason == ("registration cancelled" if ending == "cancel" else "registration declined")
    visa = VisaLetterRequest.objects.get(registration=delegate)
    assert visa.status == (VisaRequestStatus.WITHDRAWN if ending == "cancel" else VisaRequestStatus.REVOKED)
    page = client.get(reverse("documents:verify", args=[letter.code])).content.decode()
    assert letter.revocation_reason not in page  # the staff's note is never public
    client.force_login(delegate.user)
    assert client.get(reverse("documents:download", args=[letter.pk])).status_code == 404


def test_the_secretariat_reads_no_passport_detail_through_the_visa_letters(
    client, workshop, delegate, organiser, django_capture_on_commit_callbacks
):
    # The secretariat may not read visa requests (delegations.view_visaletterrequest): their letters
    # print the passport number, so neither the letter, nor a batch's ZIP of them, is theirs to read.
    _ask(delegate, django_capture_on_commit_callbacks)
    letter = IssuedDocument.objects.current().get(kind=VISA)
    batch = document_batch_request(workshop=workshop, kind=VISA, by=organiser)
    document_batch_run(batch=batch, task_id="visa")
    assert DocumentBatch.objects.get(pk=batch.pk).status == BatchStatus.READY
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    assert client.get(reverse("documents:download", args=[letter.pk])).status_code == 404
    assert client.get(reverse("documents:batch_download", args=[batch.pk])).status_code == 404
    assert client.post(reverse("documents:batch_start", args=[workshop.slug]), {"kind": VISA}).status_code == 403
    assert DocumentBatch.objects.filter(kind=VISA).count() == 1
    page = client.get(reverse("documents:workshop", args=[workshop.slug])).content.decode()
    assert reverse("documents:download", args=[letter.pk]) not in page
    assert reverse("documents:batch_download", args=[batch.pk]) not in page
    client.force_login(organiser)
    assert client.get(reverse("documents:download", args=[letter.pk])).status_code == 200
    assert client.get(reverse("documents:batch_download", args=[batch.pk])).status_code == 200
