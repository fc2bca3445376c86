"""The organiser's journey through the admin in a real browser, in each language of the portal: sign
in, create a workshop, add a country session (its segments appear), approve registrations in bulk,
accept a presentation, export. The language is chosen in the switcher of the sign-in page the admin
sends to (LocaleMiddleware's cookie, which the admin follows like every page); every label, button
and message the journey reads is the catalogue's in that language, ours or Django's admin's."""

import csv
import io
import re
import time
from collections import Counter

import pytest
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_accept_upload, presentation_create
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from sessions.enums import SegmentKind
from sessions.models import Segment, WorkingSession
from testkit.factories import member_state
from testkit.files import pdf_bytes, upload
from tests.e2e.journeys import (
    DEMO_PASSWORD,
    LANGUAGES,
    ORGANISER,
    admin_label,
    django_t,
    expect_language,
    in_language,
    seed_demo,
    switch_language,
    t,
    tn,
)
from workshop_portal.models import Institution, Workshop

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]


def _choose_in_autocomplete(page, field_id: str, search: str, option: str) -> None:
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def _run_action(page, language: str, action: str) -> None:
    page.locator("select[name=action]").select_option(label=t(language, action))
    page.get_by_role("button", name=t(language, "Go"), exact=True).click()


def _expect_added(page, language: str, model, obj) -> None:
    """Django's "The {name} “{obj}” was added successfully." in `language`, capitalised as the admin
    shows its messages (Russian starts with the model's name)."""
    added = django_t(language, "The {name} “{obj}” was added successfully.", name=model._meta.verbose_name, obj=obj)
    expect(page.locator(".messagelist")).to_contain_text(capfirst(added))


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organiser_sets_up_a_workshop_and_decides_in_the_admin(page, screenshots, celery_worker_process, language):
    started = time.monotonic()
    upcoming = seed_demo()
    _sign_in_to_the_admin(page, language)
    workshop = _create_a_workshop(page, language)
    _add_a_country_session(page, language, workshop)
    journey_started = timezone.now()
    submitted = Registration.objects.filter(workshop=upcoming, status=RegistrationStatus.SUBMITTED).count()
    _approve_the_submitted_registrations(page, language, upcoming)
    _accept_a_presentation(page, language, upcoming)
    _export_the_registrations(page, language, upcoming)
    page.screenshot(path=str(screenshots / f"organiser-registrations-{language}.png"), full_page=True)
    _the_audit_trail_holds_the_organisers_actions(workshop, upcoming, submitted, since=journey_started)
    print(f"\norganiser journey ({language}): {time.monotonic() - started:.1f} s")


def _sign_in_to_the_admin(page, language: str) -> None:
    """The admin sends to the portal's sign-in page (allauth's rate-limited form): the language is
    chosen in its switcher, and the admin follows it (lang, and dir="rtl" in Arabic)."""
    page.goto("/admin/")
    switch_language(page, language)
    page.get_by_label(t(language, "Email")).fill(ORGANISER)
    page.get_by_label(t(language, "Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=t(language, "Sign In"), exact=True).click()
    expect(page.get_by_role("heading", name=t(language, "Organise workshops"))).to_be_visible()
    expect_language(page, language)


def _create_a_workshop(page, language: str) -> Workshop:
    """A new workshop, deadlines typed in its own time zone."""
    page.goto("/admin/workshop_portal/workshop/add/")
    page.get_by_label(admin_label(language, Workshop, "title")).press_sequentially(
        "Third Workshop on Technical Cooperation with Central Asia"
    )
    expect(page.get_by_label(admin_label(language, Workshop, "slug"))).to_have_value(re.compile("third-workshop"))
    sesric = Institution.objects.get(acronym="SESRIC")
    _choose_in_autocomplete(page, "id_host_institution", "SESRIC", in_language(language, sesric.__str__))
    page.get_by_label(admin_label(language, Workshop, "venue")).fill("SESRIC Conference Hall")
    page.get_by_label(admin_label(language, Workshop, "city")).fill("Ankara")
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
    page.get_by_label(admin_label(language, Workshop, "capacity")).fill("60")
    page.get_by_role("button", name=t(language, "Save"), exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    workshop = Workshop.objects.get(title="Third Workshop on Technical Cooperation with Central Asia")
    _expect_added(page, language, Workshop, workshop)
    assert workshop.slug.startswith("third-workshop-on-technical-cooperation")
    assert workshop.upload_deadline.isoformat() == "2027-10-05T14:00:00+00:00"  # 17:00 in Ankara
    return workshop


def _add_a_country_session(page, language: str, workshop: Workshop) -> None:
    """A country session: saving it lays out its four segments."""
    page.goto("/admin/worksessions/workingsession/add/")
    page.locator("#id_workshop").select_option(value=str(workshop.pk))
    page.locator("#id_kind").select_option("country")
    page.locator("#id_country").select_option(label=in_language(language, lambda: str(member_state("KZ"))))
    page.locator("#id_date").fill("2027-10-12")
    page.locator("#id_start_time").fill("09:30")
    page.locator("#id_end_time").fill("11:00")
    page.get_by_role("button", name=t(language, "Save and continue editing")).click()
    expect(page.locator(".messagelist")).to_be_visible()
    session = WorkingSession.objects.get(workshop=workshop)
    _expect_added(page, language, WorkingSession, session.__str__)
    assert Segment.objects.filter(session=session).count() == 4
    segments = page.locator(".inline-group")
    for kind in SegmentKind:
        if kind in {SegmentKind.HOST_STATE, SegmentKind.PARTNER_BEST_PRACTICES}:
            segment = Segment(kind=kind, session=session)
            expect(segments).to_contain_text(in_language(language, segment.__str__))


def _approve_the_submitted_registrations(page, language: str, upcoming: Workshop) -> None:
    """The follow-up workshop's submitted registrations, approved in one go."""
    page.goto(f"/admin/registrations/registration/?workshop__id__exact={upcoming.pk}&status__exact=submitted")
    submitted = Registration.objects.filter(workshop=upcoming, status=RegistrationStatus.SUBMITTED).count()
    assert submitted >= 3
    page.locator("#action-toggle").check()
    _run_action(page, language, "Approve the selected registrations (waitlist when full)")
    approved = tn(language, "Approved %(count)d registration.", "Approved %(count)d registrations.", submitted)
    expect(page.locator(".messagelist")).to_contain_text(approved)
    assert Registration.objects.filter(workshop=upcoming, status=RegistrationStatus.SUBMITTED).count() == 0


def _accept_a_presentation(page, language: str, upcoming: Workshop) -> None:
    """A delegate proposes; the organiser accepts in the admin."""
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
    _run_action(page, language, "Accept the selected presentations")
    accepted = tn(language, "Accepted %(count)d presentation.", "Accepted %(count)d presentations.", 1)
    expect(page.locator(".messagelist")).to_contain_text(accepted)
    proposal.refresh_from_db()
    assert proposal.status == PresentationStatus.ACCEPTED


def _export_the_registrations(page, language: str, upcoming: Workshop) -> None:
    """The workshop's registrations as CSV."""
    page.goto(f"/admin/registrations/registration/?workshop__id__exact={upcoming.pk}")
    page.locator("#action-toggle").check()
    with page.expect_download() as download_info:
        _run_action(page, language, "Export the selected registrations (CSV)")
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    header, *records = rows
    # The spreadsheet's column names are in the organiser's language too (registrations.exports).
    names = {record[header.index(t(language, "Name"))] for record in records}
    assert "Timur Akhmetov" in names
    assert len(records) == Registration.objects.filter(workshop=upcoming).count()
    expect_language(page, language)


def _the_audit_trail_holds_the_organisers_actions(workshop, upcoming, submitted: int, *, since) -> None:
    """What the organiser did in the admin is in the audit trail: who, from where, through what."""
    from audit.enums import Action, Source
    from audit.models import AuditEvent

    events = AuditEvent.objects.filter(actor__email=ORGANISER)
    created = events.filter(action=Action.CREATE, object_type="workshop_portal.workshop")
    assert created.filter(object_id=str(workshop.pk)).exists()
    assert events.filter(action=Action.CREATE, object_type="worksessions.workingsession", workshop=workshop).exists()
    decisions = events.filter(at__gte=since, action=Action.APPROVE, workshop=upcoming)
    assert decisions.count() == submitted
    assert set(decisions.values_list("source", "ip_address").distinct()) == {(Source.ADMIN, "127.0.0.1")}
    accepted = events.filter(at__gte=since, action=Action.CHANGE, object_type="presentations.presentation")
    assert accepted.filter(changes__status__1=PresentationStatus.ACCEPTED).exists()
    counts = Counter(events.filter(source=Source.ADMIN).values_list("action", "object_type"))
    print(f"audit events of the organiser's journey in the admin: {dict(sorted(counts.items()))}")
