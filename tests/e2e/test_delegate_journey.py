"""The delegate's journey in a real browser, in each language of the portal: sign up, confirm the
email, register, be approved, propose a presentation, upload a PDF, replace it with a PPTX, see it
converted and on the programme. The language is chosen in the switcher on the first page; every
label, button and message the journey reads is the catalogue's in that language (Arabic right to
left), so an untranslated step fails."""

import re
import time

import pytest
from playwright.sync_api import expect

from presentations.enums import ConversionStatus, PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_decide
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.services import registration_approve
from testkit.factories import member_state
from testkit.files import pdf_bytes, pptx_bytes
from tests.e2e.journeys import (
    LANGUAGES,
    expect_language,
    in_language,
    link_in,
    organiser,
    seed_demo,
    switch_language,
    t,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]

EMAIL = "aigerim.nurlanova@mfa.example.kz"
PASSWORD = "Steppe-Cooperation-2027"


def _any_of(*texts: str) -> re.Pattern:
    return re.compile("|".join(re.escape(text) for text in texts))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_delegate_signs_up_registers_and_presents(
    page, mailbox, tmp_path, screenshots, celery_worker_process, language
):
    started = time.monotonic()
    workshop = seed_demo()

    # Sign up, in the language chosen in the switcher, and confirm the address from the email.
    page.goto("/accounts/signup/")
    switch_language(page, language)
    expect(page.get_by_role("heading", name=t(language, "Sign Up"))).to_be_visible()
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    expect(page.get_by_label(t(language, "Password (again)"))).to_be_visible()
    page.get_by_role("button", name=t(language, "Sign Up")).click()
    expect(page.get_by_role("heading", name=t(language, "Verify Your Email Address"))).to_be_visible()
    message = mailbox.wait_for(1, to=EMAIL)[0]
    page.goto(link_in(message.body))
    page.get_by_role("button", name=t(language, "Confirm")).click()

    # Register for the open workshop; a missing field is reported next to it, nothing is saved.
    page.goto("/dashboard/")
    expect_language(page, language)
    expect(
        page.get_by_text(t(language, "You have not registered for a workshop yet. Choose one below to register."))
    ).to_be_visible()
    page.get_by_role("link", name=t(language, "Register"), exact=True).first.click()
    expect(page.get_by_role("heading", name=t(language, "Register for the workshop"))).to_be_visible()
    page.locator("#id_participant_name").fill("Aigerim Nurlanova")
    page.locator("#id_position").fill("Head of the Technical Cooperation Division")
    page.locator("#id_category").select_option(index=1)
    page.locator("#id_member_state").select_option(label=in_language(language, lambda: member_state("KZ").name))
    page.locator("#id_arrival_date").fill("2027-02-25")
    page.locator("#id_departure_date").fill("2027-02-20")
    page.get_by_role("button", name=t(language, "Submit registration")).click()
    departure_error = page.locator("#id_departure_date ~ .invalid-feedback, #id_departure_date + .invalid-feedback")
    expect(departure_error).to_have_text(
        re.compile(re.escape(t(language, "The departure date cannot precede the arrival date.")))
    )
    expect(page.locator("#id_departure_date")).to_have_attribute("aria-invalid", "true")
    assert not Registration.objects.filter(user__email=EMAIL).exists()
    page.locator("#id_departure_date").fill("2027-02-27")
    page.get_by_role("button", name=t(language, "Submit registration")).click()
    expect(
        page.get_by_text(in_language(language, RegistrationStatus.SUBMITTED.label), exact=True).first
    ).to_be_visible()

    # The organiser approves; the dashboard says so and opens the presentations.
    registration = Registration.objects.get(user__email=EMAIL, workshop=workshop)
    registration_approve(registration=registration, by=organiser())
    page.goto("/dashboard/")
    expect(page.locator(".badge", has_text=in_language(language, RegistrationStatus.APPROVED.label))).to_be_visible()
    page.get_by_role("link", name=t(language, "Add a presentation")).click()
    page.locator("#id_segment").select_option(index=1)
    page.locator("#id_title").fill("Kazakhstan's development assistance programme, KazAID")
    page.locator("#id_abstract").fill("How KazAID works with OIC partners, and what we learnt.")
    page.get_by_role("button", name=t(language, "Save"), exact=True).click()
    expect(page.get_by_text(t(language, "Your presentation is saved. Now upload its file."))).to_be_visible()

    # A PDF first, then a PPTX that replaces it and is converted by LibreOffice.
    upload = t(language, "Upload")
    deck_pdf = tmp_path / "kazaid.pdf"
    deck_pdf.write_bytes(pdf_bytes(3, "KazAID"))
    page.locator("#id_file").set_input_files(deck_pdf)
    page.get_by_role("button", name=upload, exact=True).click()
    expect(page.get_by_text(t(language, "Version %(version)d is uploaded.", version=1))).to_be_visible()
    deck_pptx = tmp_path / "kazaid.pptx"
    deck_pptx.write_bytes(pptx_bytes("KazAID, revised"))
    page.locator("#id_file").set_input_files(deck_pptx)
    page.get_by_role("button", name=upload, exact=True).click()
    uploaded = (
        "Version %(version)d is uploaded.",
        "Version %(version)d is uploaded; it is being converted to PDF for the proceedings.",
    )
    expect(page.get_by_text(_any_of(*(t(language, msgid, version=2) for msgid in uploaded)))).to_be_visible()
    # With a worker the page refreshes itself until the conversion is done.
    converted = in_language(language, ConversionStatus.CONVERTED.label)
    expect(page.get_by_text(converted, exact=True).first).to_be_visible(timeout=90_000)
    expect_language(page, language)

    # Accepted, it appears on the public programme under its segment.
    presentation = Presentation.objects.get(presenter=registration)
    presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser())
    page.goto(workshop.get_absolute_url())
    expect_language(page, language)
    expect(page.get_by_role("heading", name=t(language, "Programme", same_in=["fr"]), exact=True)).to_be_visible()
    expect(page.get_by_text("Kazakhstan's development assistance programme, KazAID")).to_be_visible()
    page.screenshot(path=str(screenshots / f"delegate-programme-{language}.png"), full_page=True)
    print(f"\ndelegate journey ({language}): {time.monotonic() - started:.1f} s")
