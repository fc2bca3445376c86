"""The delegate's journey in a real browser: sign up, confirm the email, register, be approved,
propose a presentation, upload a PDF, replace it with a PPTX, see it converted and on the programme."""

import re
import time

import pytest
from playwright.sync_api import expect

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_decide
from registrations.models import Registration
from registrations.services import registration_approve
from tests.e2e.journeys import link_in, organiser, seed_demo
from tests.files import pdf_bytes, pptx_bytes

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]

EMAIL = "aigerim.nurlanova@mfa.example.kz"
PASSWORD = "Steppe-Cooperation-2027"


def test_a_delegate_signs_up_registers_and_presents(page, mailbox, tmp_path, screenshots, celery_worker_process):
    started = time.monotonic()
    workshop = seed_demo()

    # Sign up and confirm the address with the link the email carries.
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()
    message = mailbox.wait_for(1, to=EMAIL)[0]
    page.goto(link_in(message.body))
    page.get_by_role("button", name="Confirm").click()

    # Register for the open workshop; a missing field is reported next to it, nothing is saved.
    page.goto("/dashboard/")
    expect(page.get_by_text("You have not registered for a workshop yet")).to_be_visible()
    page.get_by_role("link", name="Register").first.click()
    page.get_by_label("Name*").fill("Aigerim Nurlanova")
    page.get_by_label("Position*").fill("Head of the Technical Cooperation Division")
    page.get_by_label("Participant category*").select_option(index=1)
    page.get_by_label("Member state").select_option(label="Kazakhstan")
    page.get_by_label("Arrival date").fill("2027-02-25")
    page.get_by_label("Departure date").fill("2027-02-20")
    page.get_by_role("button", name="Submit registration").click()
    departure_error = page.locator("#id_departure_date ~ .invalid-feedback, #id_departure_date + .invalid-feedback")
    expect(departure_error).to_have_text(re.compile("cannot precede the arrival date"))
    expect(page.get_by_label("Departure date")).to_have_attribute("aria-invalid", "true")
    assert not Registration.objects.filter(user__email=EMAIL).exists()
    page.get_by_label("Departure date").fill("2027-02-27")
    page.get_by_role("button", name="Submit registration").click()
    expect(page.get_by_text("Submitted").first).to_be_visible()

    # The organiser approves; the dashboard says so and opens the presentations.
    registration = Registration.objects.get(user__email=EMAIL, workshop=workshop)
    registration_approve(registration=registration, by=organiser())
    page.goto("/dashboard/")
    expect(page.locator(".badge", has_text="Approved")).to_be_visible()
    page.get_by_role("link", name="Add a presentation").click()
    page.get_by_label("Where you present").select_option(index=1)
    page.get_by_label("Title").fill("Kazakhstan's development assistance programme, KazAID")
    page.get_by_label("Abstract").fill("How KazAID works with OIC partners, and what we learnt.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Now upload its file")).to_be_visible()

    # A PDF first, then a PPTX that replaces it and is converted by LibreOffice.
    deck_pdf = tmp_path / "kazaid.pdf"
    deck_pdf.write_bytes(pdf_bytes(3, "KazAID"))
    page.get_by_label("File*").set_input_files(deck_pdf)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Version 1 is uploaded.")).to_be_visible()
    deck_pptx = tmp_path / "kazaid.pptx"
    deck_pptx.write_bytes(pptx_bytes("KazAID, revised"))
    page.get_by_label("File*").set_input_files(deck_pptx)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Version 2 is uploaded")).to_be_visible()
    # With a worker the page refreshes itself until the conversion is done.
    expect(page.get_by_text("Converted to PDF")).to_be_visible(timeout=90_000)

    # Accepted, it appears on the public programme under its segment.
    presentation = Presentation.objects.get(presenter=registration)
    presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser())
    page.goto(workshop.get_absolute_url())
    expect(page.get_by_text("Kazakhstan's development assistance programme, KazAID")).to_be_visible()
    page.screenshot(path=str(screenshots / "delegate-programme.png"), full_page=True)
    print(f"\ndelegate journey: {time.monotonic() - started:.1f} s")
