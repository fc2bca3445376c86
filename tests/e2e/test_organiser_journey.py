"""The organiser's journey through the admin in a real browser: sign in, create a workshop, add a
country session (its segments appear), approve registrations in bulk, accept a presentation, export."""

import csv
import io
import re
import time

import pytest
from playwright.sync_api import expect

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_accept_upload, presentation_create
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from sessions.enums import SegmentKind
from sessions.models import Segment, WorkingSession
from testkit.files import pdf_bytes, upload
from tests.e2e.journeys import DEMO_PASSWORD, ORGANISER, seed_demo
from workshop_portal.models import Workshop

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]


def _choose_in_autocomplete(page, field_id: str, text: str) -> None:
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def _run_action(page, label: str) -> None:
    page.locator("select[name=action]").select_option(label=label)
    page.get_by_role("button", name="Go", exact=True).click()


def test_an_organiser_sets_up_a_workshop_and_decides_in_the_admin(page, screenshots, celery_worker_process):
    started = time.monotonic()
    upcoming = seed_demo()

    page.goto("/admin/")
    page.get_by_label("Email").fill(ORGANISER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()  # the admin signs in through allauth's rate-limited form
    expect(page.get_by_role("heading", name="Organise workshops")).to_be_visible()

    # A new workshop, deadlines typed in its own time zone.
    page.goto("/admin/workshop_portal/workshop/add/")
    page.get_by_label("Title:").press_sequentially("Third Workshop on Technical Cooperation with Central Asia")
    expect(page.get_by_label("Short name:")).to_have_value(re.compile("third-workshop"))
    _choose_in_autocomplete(page, "id_host_institution", "SESRIC")
    page.get_by_label("Venue:", exact=True).fill("SESRIC Conference Hall")
    page.get_by_label("City:", exact=True).fill("Ankara")
    page.locator("#id_start_date").fill("2027-10-12")
    page.locator("#id_end_date").fill("2027-10-13")
    page.locator("#id_time_zone").select_option("Europe/Istanbul")
    for field, (day, hour) in {
        "registration_opens_at": ("2027-01-01", "09:00:00"),
        "registration_closes_at": ("2027-09-30", "17:00:00"),
        "upload_deadline": ("2027-10-05", "17:00:00"),
    }.items():
        page.locator(f"#id_{field}_0").fill(day)
        page.locator(f"#id_{field}_1").fill(hour)
    page.get_by_label("Capacity:", exact=True).fill("60")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    workshop = Workshop.objects.get(title="Third Workshop on Technical Cooperation with Central Asia")
    assert workshop.slug.startswith("third-workshop-on-technical-cooperation")
    assert workshop.upload_deadline.isoformat() == "2027-10-05T14:00:00+00:00"  # 17:00 in Ankara

    # A country session: saving it lays out its four segments.
    page.goto("/admin/worksessions/workingsession/add/")
    page.locator("#id_workshop").select_option(value=str(workshop.pk))
    page.locator("#id_kind").select_option("country")
    page.locator("#id_country").select_option(label="Kazakhstan")
    page.locator("#id_date").fill("2027-10-12")
    page.locator("#id_start_time").fill("09:30")
    page.locator("#id_end_time").fill("11:00")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    session = WorkingSession.objects.get(workshop=workshop)
    assert Segment.objects.filter(session=session).count() == 4
    segments = page.locator(".inline-group")
    for kind in SegmentKind:
        if kind in {SegmentKind.HOST_STATE, SegmentKind.PARTNER_BEST_PRACTICES}:
            expect(segments).to_contain_text(str(Segment(kind=kind, session=session).display_title))

    # The follow-up workshop's submitted registrations, approved in one go.
    page.goto(f"/admin/registrations/registration/?workshop__id__exact={upcoming.pk}&status__exact=submitted")
    submitted = Registration.objects.filter(workshop=upcoming, status=RegistrationStatus.SUBMITTED).count()
    assert submitted >= 3
    page.locator("#action-toggle").check()
    _run_action(page, "Approve the selected registrations (waitlist when full)")
    expect(page.locator(".messagelist")).to_contain_text(f"Approved {submitted} registrations.")
    assert Registration.objects.filter(workshop=upcoming, status=RegistrationStatus.SUBMITTED).count() == 0

    # A delegate proposes; the organiser accepts in the admin.
    presenter = Registration.objects.get(workshop=upcoming, participant_name="Timur Akhmetov")
    kz_session = WorkingSession.objects.get(workshop=upcoming, country__code="KZ")
    proposal = presentation_create(
        presentation=Presentation(
            presenter=presenter,
            segment=kz_session.segments.get(kind=SegmentKind.HOST_STATE),
            title="KazAID after two years",
            abstract="What changed.",
        ),
        by=presenter.user,
    )
    presentation_accept_upload(
        presentation=proposal, uploaded_file=upload("kazaid.pdf", pdf_bytes(2, "KazAID")), by=presenter.user
    )
    page.goto("/admin/presentations/presentation/?status__exact=submitted")
    page.get_by_role("row", name=re.compile("KazAID after two years")).get_by_role("checkbox").check()
    _run_action(page, "Accept the selected presentations")
    expect(page.locator(".messagelist")).to_contain_text("Accepted 1 presentation.")
    proposal.refresh_from_db()
    assert proposal.status == PresentationStatus.ACCEPTED

    # Export the workshop's registrations.
    page.goto(f"/admin/registrations/registration/?workshop__id__exact={upcoming.pk}")
    page.locator("#action-toggle").check()
    with page.expect_download() as download_info:
        _run_action(page, "Export the selected registrations (CSV)")
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    header, *records = rows
    names = {record[header.index("Name")] for record in records}
    assert "Timur Akhmetov" in names
    assert len(records) == Registration.objects.filter(workshop=upcoming).count()
    page.screenshot(path=str(screenshots / "organiser-registrations.png"), full_page=True)
    print(f"\norganiser journey: {time.monotonic() - started:.1f} s")
