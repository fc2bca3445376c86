"""Scheduled reminders (reports/reminders.py) with the clock moved by time-machine: nothing before
a reminder is due, each person once from then on (however often the schedule runs), nothing once
the deadline it announces has passed; per-language emails through a real SMTP server on loopback,
the programme's ICS attached to the day-before reminder."""

import datetime
import io
import zoneinfo

import icalendar
import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from communications.models import EmailAttachment, OutboundEmail
from presentations.enums import PresentationStatus
from presentations.models import Presentation, PresentationFile
from registrations.enums import RegistrationStatus
from reports.enums import ReminderKind
from reports.models import ReminderSettings, SessionReport
from reports.reminders import reminders_run, workshop_reminder_schedule, workshop_reminders
from reports.tasks import send_reminders
from sessions.enums import SegmentKind
from testkit.factories import (
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    approved_delegate,
    country_session,
    segment_of,
    staff_user,
    verified_user,
)
from tests.communications.conftest import smtp_server  # noqa: F401 (the loopback SMTP fixture)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ISTANBUL = zoneinfo.ZoneInfo("Europe/Istanbul")
CLOSES = datetime.datetime(2027, 4, 1, 12, 0, tzinfo=UTC)
UPLOADS = datetime.datetime(2027, 4, 10, 12, 0, tzinfo=UTC)
START = datetime.date(2027, 4, 20)
KINDS = [kind.value for kind in ReminderKind]


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def workshop():
    with at(datetime.datetime(2027, 3, 1, tzinfo=UTC)):
        return WorkshopFactory(
            title="Workshop on Cooperation",
            start_date=START,
            end_date=START + days(1),
            time_zone="Europe/Istanbul",
            registration_opens_at=datetime.datetime(2027, 3, 1, tzinfo=UTC),
            registration_closes_at=CLOSES,
            upload_deadline=UPLOADS,
        )


def run(captured, moment: datetime.datetime) -> dict:
    with at(moment), captured(execute=True):
        return reminders_run()


def queued(kind: ReminderKind) -> list[str]:
    return sorted(OutboundEmail.objects.filter(kind=f"reminder:{kind}").values_list("to_address", flat=True))


def test_registration_closing_goes_once_from_its_offset_and_never_after_the_deadline(
    workshop, django_capture_on_commit_callbacks
):
    verified_user("newcomer@example.org")
    RegistrationFactory(workshop=workshop, user=UserFactory(email="registered@example.org"))
    staff_user("organiser@example.org", "Organisers")
    due = CLOSES - days(3)

    assert run(django_capture_on_commit_callbacks, due - minutes(1))["registration_closing"] == 0
    assert queued(ReminderKind.REGISTRATION_CLOSING) == []

    assert run(django_capture_on_commit_callbacks, due)["registration_closing"] == 1
    assert queued(ReminderKind.REGISTRATION_CLOSING) == ["newcomer@example.org"]
    # The next runs (beat every 15 minutes, a restart, a second beat) send it to nobody again.
    for later in (due, due + minutes(15), due + days(1)):
        assert run(django_capture_on_commit_callbacks, later)["registration_closing"] == 0
    assert queued(ReminderKind.REGISTRATION_CLOSING) == ["newcomer@example.org"]

    # Someone who joins the portal later still gets it while it means something (beat was down)...
    with at(CLOSES - minutes(2)):
        verified_user("late@example.org")
    assert run(django_capture_on_commit_callbacks, CLOSES - minutes(1))["registration_closing"] == 1
    # ...never once registration has closed.
    with at(CLOSES):
        verified_user("too-late@example.org")
    assert run(django_capture_on_commit_callbacks, CLOSES)["registration_closing"] == 0
    assert run(django_capture_on_commit_callbacks, CLOSES + days(2))["registration_closing"] == 0
    assert queued(ReminderKind.REGISTRATION_CLOSING) == ["late@example.org", "newcomer@example.org"]
    row = OutboundEmail.objects.get(to_address="newcomer@example.org")
    assert row.essential is False  # an invitation, which a person may opt out of
    assert row.headers["Auto-Submitted"] == "auto-generated"
    assert row.dedupe_key == f"reminder:registration_closing:{workshop.pk}:{row.user_id}:2027-04-01"


def test_registration_closing_skips_accounts_whose_address_nobody_confirmed(
    workshop, django_capture_on_commit_callbacks
):
    """Anyone can sign up with someone else's address; until its owner clicks the link, the portal
    writes to it nothing but that link."""
    verified_user("confirmed@example.org")
    UserFactory(email="unconfirmed@example.org")
    unconfirmed_then_confirmed = UserFactory(email="second-address@example.org")
    EmailAddress.objects.create(user=unconfirmed_then_confirmed, email="old@example.org", verified=False, primary=False)
    EmailAddress.objects.create(
        user=unconfirmed_then_confirmed, email="second-address@example.org", verified=True, primary=True
    )

    assert run(django_capture_on_commit_callbacks, CLOSES - days(3))["registration_closing"] == 2
    assert queued(ReminderKind.REGISTRATION_CLOSING) == ["confirmed@example.org", "second-address@example.org"]


def _presentation(workshop, code, title, *, with_file: bool):
    from presentations.models import Presentation
    from presentations.services import presentation_create

    with at(datetime.datetime(2027, 3, 2, tzinfo=UTC)):
        session = country_session(workshop, code) if code == "KZ" else workshop.working_sessions.get()
        presenter = approved_delegate(workshop, code)
        kind = SegmentKind.HOST_STATE if code == "KZ" else SegmentKind.PARTNER_BEST_PRACTICES
        presentation = presentation_create(
            presentation=Presentation(
                presenter=presenter, segment=segment_of(session, kind), title=title, abstract="A"
            ),
            by=presenter.user,
        )
        if with_file:
            PresentationFile.objects.create(
                presentation=presentation,
                version=1,
                file="x.pdf",
                original_name="x.pdf",
                kind="pdf",
                size=1,
                sha256="0",
            )
    return presentation


def test_upload_deadline_reminds_presenters_without_a_file(workshop, django_capture_on_commit_callbacks):
    without = _presentation(workshop, "KZ", "Cooperation with partners", with_file=False)
    _presentation(workshop, "TR", "Best practice", with_file=True)
    due = UPLOADS - days(3)

    assert run(django_capture_on_commit_callbacks, due - minutes(1))["upload_deadline"] == 0
    assert run(django_capture_on_commit_callbacks, due)["upload_deadline"] == 1
    assert run(django_capture_on_commit_callbacks, due + minutes(15))["upload_deadline"] == 0
    row = OutboundEmail.objects.get(kind="reminder:upload_deadline")
    assert row.to_address == without.presenter.user.email
    assert "Cooperation with partners" in row.text
    assert "Best practice" not in row.text
    # The deadline in the workshop's own zone (12:00 UTC is 15:00 in Istanbul).
    assert "15:00" in row.text
    assert "Europe/Istanbul" in row.text
    assert row.essential is True


def test_upload_deadline_is_not_sent_after_the_deadline_even_if_beat_was_down(
    workshop, django_capture_on_commit_callbacks
):
    _presentation(workshop, "KZ", "Cooperation with partners", with_file=False)
    assert run(django_capture_on_commit_callbacks, UPLOADS)["upload_deadline"] == 0
    assert run(django_capture_on_commit_callbacks, UPLOADS + days(1))["upload_deadline"] == 0
    assert not OutboundEmail.objects.exists()


def test_day_before_in_each_language_through_smtp_with_the_programme_attached(
    workshop,
    client,
    smtp_server,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    server = smtp_server()
    talk = _presentation(workshop, "KZ", "Cooperation with partners", with_file=True)  # its session too
    Presentation.objects.filter(pk=talk.pk).update(status=PresentationStatus.ACCEPTED)
    presenter = talk.presenter.participant_name
    with at(datetime.datetime(2027, 3, 2, tzinfo=UTC)):
        for language in ("en", "fr", "ar", "ru"):
            user = UserFactory(email=f"{language}@example.org", language=language)
            approved_delegate(workshop, "KZ", user=user)
        RegistrationFactory(workshop=workshop, user=UserFactory(email="submitted@example.org"))
    # 09:00 at the venue the day before: 06:00 UTC.
    due = datetime.datetime(2027, 4, 19, 9, 0, tzinfo=ISTANBUL)

    assert run(django_capture_on_commit_callbacks, due - minutes(1))["day_before"] == 0
    assert run(django_capture_on_commit_callbacks, due)["day_before"] == 5
    assert run(django_capture_on_commit_callbacks, due + minutes(15))["day_before"] == 0
    received = [r for r in server.wait_for(5) if r.recipients[0] != talk.presenter.email]
    assert sorted(r.recipients[0] for r in received) == [f"{lang}@example.org" for lang in ("ar", "en", "fr", "ru")]
    assert max(server.message_ids().values()) == 1
    subjects = {}
    for item in received:
        message = item.message()
        language = item.recipients[0].split("@")[0]
        assert message["Content-Language"] == language
        assert message["Auto-Submitted"] == "auto-generated"
        subjects[language] = OutboundEmail.objects.get(to_address=item.recipients[0]).subject
        assert str(message["Subject"]).split() == subjects[language].split()
        attachments = list(message.iter_attachments())
        assert [a.get_filename() for a in attachments] == [f"{workshop.slug}-programme.ics"]
        assert attachments[0].get_content_type() == "text/calendar"
        calendar = icalendar.Calendar.from_ical(attachments[0].get_payload(decode=True))
        events = [c for c in calendar.walk() if c.name == "VEVENT"]
        assert len(events) == 1
        assert events[0].decoded("dtstart") == datetime.datetime(2027, 4, 20, 9, 0, tzinfo=ISTANBUL)
        # The programme's presentations with their presenters, as the programme page's ICS has them.
        description = str(events[0]["description"])
        assert "Cooperation with partners" in description
        assert presenter in description
    assert subjects["en"] == "The workshop starts tomorrow: Workshop on Cooperation"
    assert subjects["fr"] == "L’atelier commence demain\u00a0: Workshop on Cooperation"
    assert subjects["ru"] == "Семинар начинается завтра: Workshop on Cooperation"
    assert subjects["ar"].startswith("تبدأ حلقة العمل غداً")
    french = OutboundEmail.objects.get(to_address="fr@example.org").text
    assert "20 avril 2027" in french
    assert "Le programme est joint" in french
    # The outbox's page of an email names its attachment.
    with at(due + minutes(20)):
        client.force_login(verified_user("admin@example.org", is_staff=True, is_superuser=True))
        row = OutboundEmail.objects.get(to_address="ru@example.org")
        page = client.get(reverse("admin:communications_outboundemail_change", args=[row.pk]))
    assert f"{workshop.slug}-programme.ics (text/calendar," in page.content.decode()
    # The file is kept once per language, not once per email.
    assert EmailAttachment.objects.count() == 4
    assert OutboundEmail.objects.filter(attachments__isnull=False).count() == 5  # with the presenter
    # Once the workshop has started: nothing.
    with at(due + days(1)):
        approved_delegate(workshop, "KZ", user=UserFactory(email="latecomer@example.org"))
    assert run(
        django_capture_on_commit_callbacks, datetime.datetime(2027, 4, 20, 0, 0, tzinfo=ISTANBUL)
    ) == dict.fromkeys(KINDS, 0)


def test_rapporteurs_with_reports_not_final_after_the_workshop(workshop, django_capture_on_commit_callbacks):
    with at(datetime.datetime(2027, 3, 2, tzinfo=UTC)):
        late = UserFactory(email="late-rapporteur@example.org", language="ru")
        done = UserFactory(email="done-rapporteur@example.org")
        pending = country_session(workshop, "KZ", rapporteur=late)
        final = country_session(workshop, "UZ", day=1, rapporteur=done)
        SessionReport.objects.create(session=final, summary="Done", is_final=True)
        SessionReport.objects.create(session=pending, summary="Draft", is_final=False)
    due = datetime.datetime(2027, 4, 22, 9, 0, tzinfo=ISTANBUL)  # the day after the last day, 09:00

    assert run(django_capture_on_commit_callbacks, due - minutes(1))["reports_not_final"] == 0
    assert run(django_capture_on_commit_callbacks, due)["reports_not_final"] == 1
    assert run(django_capture_on_commit_callbacks, due + days(1))["reports_not_final"] == 0
    row = OutboundEmail.objects.get(kind="reminder:reports_not_final")
    assert row.to_address == "late-rapporteur@example.org"
    assert row.language == "ru"
    assert "Казахстан" in row.text  # the session's title, in the rapporteur's language
    # A week later the reminder is over, even for a report still not final.
    SessionReport.objects.filter(session=final).update(is_final=False)
    assert run(django_capture_on_commit_callbacks, due + days(7))["reports_not_final"] == 0


def test_offsets_are_per_workshop_and_zero_turns_a_reminder_off(workshop, django_capture_on_commit_callbacks):
    verified_user("newcomer@example.org")
    ReminderSettings.objects.create(
        workshop=workshop, registration_closing_days=7, upload_deadline_days=0, day_before_time=None
    )
    workshop.refresh_from_db()
    assert workshop.registration_closes_at == CLOSES  # the workshop's own fields unchanged
    assert [r.kind for r in workshop_reminders(workshop)] == ["registration_closing", "reports_not_final"]
    assert run(django_capture_on_commit_callbacks, CLOSES - days(7) - minutes(1))["registration_closing"] == 0
    assert run(django_capture_on_commit_callbacks, CLOSES - days(7))["registration_closing"] == 1


def test_unpublished_workshops_have_no_reminders(workshop, django_capture_on_commit_callbacks):
    verified_user("newcomer@example.org")
    workshop.is_published = False
    workshop.save()
    assert run(django_capture_on_commit_callbacks, CLOSES - days(1)) == dict.fromkeys(KINDS, 0)


def test_two_runs_at_once_and_the_task_queue_each_person_once(workshop, django_capture_on_commit_callbacks):
    """Two beat processes (or a beat and `send_reminders` by hand) at the same moment: the outbox's
    dedupe key is unique, so the second finds every copy queued (or, racing, loses the insert)."""
    for n in range(5):
        verified_user(f"person{n}@example.org")
    due = CLOSES - days(3)
    with at(due), django_capture_on_commit_callbacks(execute=True):
        first = send_reminders()
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
    assert first["registration_closing"] == 5
    assert "registration_closing: 0" in out.getvalue()
    assert OutboundEmail.objects.filter(kind="reminder:registration_closing").count() == 5


def _participants(workshop, count: int, start: int = 0):
    with at(datetime.datetime(2027, 3, 2, tzinfo=UTC)):
        for n in range(start, start + count):
            user = UserFactory(email=f"p{n}@example.org", language=("en", "fr", "ar", "ru")[n % 4])
            RegistrationFactory(workshop=workshop, user=user, status=RegistrationStatus.APPROVED)


def test_the_schedule_costs_the_same_queries_at_any_size(
    workshop, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The day before with 8 then 32 participants (one INSERT on SQLite), and 1 then 6 other workshops with nothing due:
    the same number of queries (a constant per due reminder, none per person or idle workshop)."""
    with at(datetime.datetime(2027, 3, 2, tzinfo=UTC)):
        country_session(workshop, "KZ")
    due = datetime.datetime(2027, 4, 19, 9, 0, tzinfo=ISTANBUL)
    counts = []
    for size, idle in ((8, 1), (32, 6)):
        OutboundEmail.objects.all().delete()
        _participants(workshop, size - workshop.registrations.count(), workshop.registrations.count())
        with at(datetime.datetime(2027, 3, 2, tzinfo=UTC)):
            for _n in range(idle):
                WorkshopFactory()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with at(due), django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as ctx:
            assert reminders_run()["day_before"] == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_workshops_admin_page_lists_the_next_reminders(workshop, client, django_capture_on_commit_callbacks):
    verified_user("newcomer@example.org")
    verified_user("other@example.org")
    admin = verified_user("admin@example.org", is_staff=True, is_superuser=True)
    run(django_capture_on_commit_callbacks, CLOSES - days(3))
    with at(CLOSES - days(2)):
        verified_user("third@example.org")
        schedule = {row.kind: row for row in workshop_reminder_schedule(workshop)}
        assert schedule["registration_closing"].sent == 2
        assert schedule["registration_closing"].waiting == 1
        assert schedule["registration_closing"].status == "due"
        assert schedule["day_before"].status == "pending"
        assert schedule["day_before"].due_at == datetime.datetime(2027, 4, 19, 9, 0, tzinfo=ISTANBUL)
        client.force_login(admin)
        page = client.get(reverse("admin:workshop_portal_workshop_change", args=[workshop.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "reminder-schedule" in html
    assert "Registration closing" in html
    assert "The day before the workshop" in html
    # Times in the workshop's zone: 09:00 at the venue on 19 April.
    assert "19 April 2027, 09:00" in html
    assert "registration_closing_days" in html
    # An organiser (not a superuser) sees and may change the offsets: the role holds their permissions.
    organiser = staff_user("organiser@example.org", "Organisers")
    with at(CLOSES - days(2)):  # the session begins at the test's time
        client.force_login(organiser)
        page = client.get(reverse("admin:workshop_portal_workshop_change", args=[workshop.pk]))
    assert page.status_code == 200, page.get("Location")
    html = page.content.decode()
    assert 'name="reminder_settings-0-registration_closing_days"' in html
    assert "reminder-schedule" in html


# Needs concurrent transactions (PostgreSQL): it runs in the pass with PostgreSQL and a worker, and
# is deselected, not skipped, on SQLite (CI fails on a skip).
@pytest.mark.requires_worker
# Serialized rollback: the tests after this one keep the migrations' data (groups, states).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beat_processes_racing_queue_each_person_once():
    """Two schedulers at the very same moment, each on its own database connection."""
    import threading

    from django.db import connections

    with at(datetime.datetime(2027, 3, 1, tzinfo=UTC)):
        workshop = WorkshopFactory(
            start_date=START,
            end_date=START + days(1),
            registration_opens_at=datetime.datetime(2027, 3, 1, tzinfo=UTC),
            registration_closes_at=CLOSES,
            upload_deadline=UPLOADS,
        )
        for n in range(60):
            verified_user(f"racer{n}@example.org")
    barrier, results, errors = threading.Barrier(2), [], []

    def beat():
        try:
            barrier.wait(timeout=10)
            results.append(reminders_run(now=CLOSES - days(3)))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(result["registration_closing"] for result in results) == 60
    keys = OutboundEmail.objects.filter(workshop=workshop).values_list("to_address", flat=True)
    assert len(keys) == len(set(keys)) == 60


def test_registration_reminders_go_to_the_registrations_contact_address(workshop, django_capture_on_commit_callbacks):
    with at(datetime.datetime(2027, 3, 2, tzinfo=UTC)):
        user = UserFactory(email="account@example.org")
        approved_delegate(workshop, "KZ", user=user, email="delegation.office@example.org")
    run(django_capture_on_commit_callbacks, datetime.datetime(2027, 4, 19, 9, 0, tzinfo=ISTANBUL))
    assert queued(ReminderKind.DAY_BEFORE) == ["delegation.office@example.org"]
    assert OutboundEmail.objects.get().user == user


def _form_data(page) -> dict:
    """The change form's fields as the page filled them (the workshop and its inlines)."""
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.extend([formset.management_form, *formset.forms])
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, datetime.datetime):
                value = value.astimezone(ISTANBUL).strftime("%Y-%m-%d %H:%M:%S")  # typed at the venue
            data[field.html_name] = value
    return data


def test_an_organiser_sets_the_offsets_on_the_workshops_page(workshop, client):
    organiser = staff_user("organiser@example.org", "Organisers")
    url = reverse("admin:workshop_portal_workshop_change", args=[workshop.pk])
    with at(datetime.datetime(2027, 3, 5, tzinfo=UTC)):
        client.force_login(organiser)
        data = _form_data(client.get(url))
        for name in [name for name in data if name.startswith(("registration_", "upload_deadline"))]:
            data[f"{name}_0"], data[f"{name}_1"] = str(data.pop(name)).split(" ")
        data.update(
            {
                "reminder_settings-0-registration_closing_days": "5",
                "reminder_settings-0-upload_deadline_days": "0",
                "reminder_settings-0-day_before_time": "",
                "reminder_settings-0-reports_days_after": "2",
            }
        )
        answer = client.post(url, data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors if answer.context else answer
    offsets = ReminderSettings.objects.get(workshop=workshop)
    assert (offsets.registration_closing_days, offsets.upload_deadline_days) == (5, 0)
    assert offsets.day_before_time is None
    assert offsets.reports_days_after == 2
    workshop.refresh_from_db()
    assert workshop.registration_closes_at == CLOSES  # the workshop's own fields unchanged
    assert [r.kind for r in workshop_reminders(workshop)] == ["registration_closing", "reports_not_final"]
