"""A delegation's journey in a real browser: the focal point of Tajikistan nominates two delegates;
one of them signs up from the invitation and completes the registration, its state and category
locked; the organisers approve within the quota; the delegate asks for a visa support letter and
downloads it, then, checked in at the door, downloads the certificate of attendance. Both PDFs are
read back: the names, the verification code, and the public page that code opens. Run in English
and in Arabic (right to left), every label read from the catalogues."""

import io
import re

import pypdf
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from delegations.models import Delegation, Nomination
from documents.batches import document_batch_request
from documents.enums import DocumentKind
from documents.models import IssuedDocument
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.services import registration_approve, registration_check_in
from testkit.factories import member_state
from tests.e2e.journeys import (
    expect_language,
    in_language,
    link_in,
    organiser,
    seed_demo,
    sign_in,
    switch_language,
    t,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]

FOCAL_POINT = "focal.tj@demo.example.org"
NOMINEES = (
    ("Dilnoza Karimova", "dilnoza.karimova@mfa.example.tj"),
    ("Rustam Nazarov", "rustam.nazarov@mfa.example.tj"),
)
PASSWORD = "Pamir-Cooperation-2027"


def _nominate(page, language: str, name: str, email: str) -> None:
    page.get_by_role("link", name=t(language, "Nominate a delegate")).click()
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_role").select_option("member")
    page.locator("#id_language").select_option(language)
    page.get_by_role("button", name=t(language, "Nominate")).click()
    expect(
        page.get_by_text(t(language, "%(name)s is nominated; we have sent them an invitation to register.", name=name))
    ).to_be_visible()


def _download_link(page, language: str, kind: DocumentKind):
    """The dashboard's download link of the delegate's current document of `kind`."""
    line = page.locator("li", has_text=in_language(language, kind.label))
    return line.get_by_role("link", name=t(language, "Download PDF"))


def _dashboard(page) -> None:
    """The dashboard again. The tests' page cache lives in this process (locmem), where a worker's
    changes cannot renew it; in production it is Redis, which the worker renews: emptied here."""
    cache.clear()
    page.goto("/dashboard/")


def _pdf_text(download) -> str:
    with open(download.path(), "rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_focal_point_nominates_and_the_nominee_registers_gets_a_visa_letter_and_a_certificate(
    browser, live_server, page, mailbox, screenshots, celery_worker_process, language
):
    workshop = seed_demo()
    delegation = Delegation.objects.get(workshop=workshop, member_state__code="TJ")
    state_name = in_language(language, lambda: member_state("TJ").name)

    # The focal point signs in, opens the delegation and nominates two delegates.
    sign_in(page, FOCAL_POINT)
    page.goto("/delegations/")
    switch_language(page, language)
    page.get_by_role("link", name=state_name).click()
    expect(page.locator("[data-seats]")).to_have_text(str(delegation.seats))
    for name, email in NOMINEES:
        _nominate(page, language, name, email)
    page.screenshot(path=screenshots / f"delegation-{language}.png", full_page=True)
    assert Nomination.objects.filter(delegation=delegation, email__in=[e for _n, e in NOMINEES]).count() == 2

    # The first nominee follows the invitation, signs up, confirms the address and registers.
    name, email = NOMINEES[0]
    invitation = mailbox.wait_for(1, to=email)[0]
    link = re.search(r"https?://[^/\s]+(/delegations/nominations/invitation/\S+/)", invitation.body).group(1)
    nominee = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    nominee.goto(link)
    switch_language(nominee, language)
    nominee.get_by_role("link", name=t(language, "Sign up")).first.click()
    nominee.locator("#id_email").fill(email)
    nominee.locator("#id_password1").fill(PASSWORD)
    nominee.locator("#id_password2").fill(PASSWORD)
    nominee.get_by_role("button", name=t(language, "Sign Up")).click()
    expect(nominee.get_by_role("heading", name=t(language, "Verify Your Email Address"))).to_be_visible()
    confirmation = mailbox.wait_for(2, to=email)[-1]  # after the invitation
    nominee.goto(link_in(confirmation.body))
    nominee.get_by_role("button", name=t(language, "Confirm")).click()
    nominee.goto(link)
    expect_language(nominee, language)
    expect(nominee.locator("#id_member_state")).to_be_disabled()
    expect(nominee.locator("#id_category")).to_be_disabled()
    expect(nominee.locator("#id_participant_name")).to_have_value(name)
    nominee.locator("#id_position").fill("Counsellor, Department of International Organisations")
    nominee.locator("#id_arrival_date").fill(str(workshop.start_date))
    nominee.locator("#id_departure_date").fill(str(workshop.end_date))
    nominee.get_by_role("button", name=t(language, "Submit registration")).click()
    expect(
        nominee.get_by_text(
            t(language, "Thank you: your registration is submitted. We have sent you a confirmation by email.")
        )
    ).to_be_visible()
    registration = Registration.objects.get(user__email=email, workshop=workshop)
    assert registration.member_state.code == "TJ"

    # The organisers approve within the quota: the delegation page counts the seat.
    registration_approve(registration=registration, by=organiser())
    page.reload()
    expect(page.locator("[data-approved]")).to_have_text(
        str(Registration.objects.filter(workshop=workshop, member_state__code="TJ", status="approved").count())
    )
    others = Registration.objects.filter(workshop=workshop, member_state__code="TJ").exclude(pk=registration.pk)
    assert others.filter(status=RegistrationStatus.APPROVED).count() + 1 <= delegation.seats

    # The delegate asks for a visa support letter; a worker issues it; the delegate downloads it.
    nominee.goto("/dashboard/")
    nominee.get_by_role("link", name=t(language, "Visa support letter")).first.click()
    nominee.locator("#id_passport_name").fill("KARIMOVA DILNOZA")
    nominee.locator("#id_nationality").select_option("TJ")
    nominee.locator("#id_passport_number").fill("400123456")
    nominee.locator("#id_passport_expiry").fill(str(workshop.end_date.replace(year=workshop.end_date.year + 5)))
    nominee.locator("#id_stay_from").fill(str(workshop.start_date))
    nominee.locator("#id_stay_to").fill(str(workshop.end_date))
    nominee.locator("form").filter(has=nominee.locator("#id_passport_name")).locator("[type=submit]").click()
    visa_link = _download_link(nominee, language, DocumentKind.VISA_LETTER)
    for _attempt in range(30):  # the worker issues it after the request is saved: the page says when
        if visa_link.count():
            break
        nominee.wait_for_timeout(1000)
        _dashboard(nominee)
    with nominee.expect_download() as visa_download:
        visa_link.first.click()
    visa = IssuedDocument.objects.current().get(registration=registration, kind=DocumentKind.VISA_LETTER)
    visa_text = _pdf_text(visa_download.value)
    assert "400123456" in visa_text
    assert visa.code in visa_text.replace("\n", "")

    # Checked in at the door; the secretariat issues the certificates; the delegate downloads theirs.
    registration_check_in(registration=registration, by=organiser())
    document_batch_request(workshop=workshop, kind=DocumentKind.CERTIFICATE_ATTENDANCE, by=organiser())
    certificate_link = _download_link(nominee, language, DocumentKind.CERTIFICATE_ATTENDANCE)
    for _attempt in range(60):
        _dashboard(nominee)
        if certificate_link.count():
            break
        nominee.wait_for_timeout(1000)
    with nominee.expect_download() as certificate_download:
        certificate_link.first.click()
    certificate = IssuedDocument.objects.current().get(
        registration=registration, kind=DocumentKind.CERTIFICATE_ATTENDANCE
    )
    assert certificate.code in _pdf_text(certificate_download.value).replace("\n", "")
    nominee.screenshot(path=screenshots / f"delegation-nominee-dashboard-{language}.png", full_page=True)

    # Anyone may check the certificate at its public address: valid, and whose it is.
    nominee.goto(f"/verify/{certificate.code}/")
    expect(nominee.get_by_text(t(language, "This document is valid."))).to_be_visible()
    expect(nominee.get_by_text(name)).to_be_visible()
    nominee.context.close()
