"""Scheduled reminders: when each falls for a workshop, to whom, and queueing them in the outbox.

Four reminders, each with its offset per workshop (ReminderSettings; a workshop without a row has
the defaults, 0 days or no time turns one off):

- registration closing: N days before registration closes (not before it opens), until it closes;
  to people with an account who have not registered (registrations.selectors).
- upload deadline: N days before the upload deadline, until it; to approved presenters with a
  presentation and no file (presentations.selectors).
- day before: the day before the first day at a time of the venue's zone, until the first day
  starts; to approved participants (registrations.selectors), the programme's ICS attached (sessions).
- session reports: N days after the last day at 09:00 of the venue's zone, for a week; to
  rapporteurs whose report is not final (here).

`reminders_run()` runs every REMINDERS_EVERY_MINUTES under Celery beat (`reports.send_reminders`)
and from `manage.py send_reminders` (the embedded mode, cron). It queues each reminder that is due
and not yet past its end: one that fell while nothing ran goes at the next run if it still means
something, never after the deadline it announces. Each person's copy has an outbox dedupe key
(`reminder:<kind>:<workshop>:<user>:<date of the event>`), unique in the database: two beat
processes, a restart or a run by hand send it once. Moving the deadline to another day makes a
new reminder; changing the offset does not.

This module sits in reports/, the lowest app that reads every audience (registrations,
presentations, sessions, its own reports) without an import running up; the outbox
(communications/) sends.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from communications.models import OutboundEmail
from communications.services import Attachment, Recipient, email_queue
from presentations.selectors import reminder_presenters_without_file
from registrations.selectors import reminder_approved_participants, reminder_unregistered_people
from reports.enums import ReminderKind
from reports.models import ReminderSettings
from sessions.calendar import programme_calendar
from sessions.models import WorkingSession
from sessions.selectors import programme_sessions, segment_contents
from workshop_portal.emails import portal_url
from workshop_portal.models import User, Workshop

KEY_PREFIX = "reminder"
REPORTS_REMINDER_TIME = datetime.time(9)
# A rapporteur reminder a week late is no longer a reminder.
REPORTS_REMINDER_WINDOW = datetime.timedelta(days=7)
# The longest offset after the workshop that the settings allow (ReminderSettings' validators).
MAX_DAYS_AFTER = 60
# Registration closing is an invitation to people who have not registered: they may opt out of it.
NOT_ESSENTIAL = {ReminderKind.REGISTRATION_CLOSING}


@dataclass(frozen=True)
class Reminder:
    """One reminder of one workshop: due at `due_at`, sent until `ends_at` (excluded), about the
    event of `anchor` (its date is in each copy's dedupe key)."""

    kind: ReminderKind
    due_at: datetime.datetime
    ends_at: datetime.datetime
    anchor: datetime.date

    def is_due(self, now: datetime.datetime) -> bool:
        return self.due_at <= now < self.ends_at

    def key_prefix(self, workshop_id: int) -> str:
        return f"{KEY_PREFIX}:{self.kind}:{workshop_id}:"

    def dedupe_key(self, workshop_id: int, user_id: int) -> str:
        return f"{self.key_prefix(workshop_id)}{user_id}:{self.anchor.isoformat()}"


def reminder_settings(workshop: Workshop) -> ReminderSettings:
    """The workshop's offsets: its row, else the defaults (unsaved)."""
    try:
        return workshop.reminder_settings
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(workshop=workshop)


def workshop_reminders(workshop: Workshop, offsets: ReminderSettings | None = None) -> list[Reminder]:
    """The workshop's reminders that are on, in the order they fall."""
    offsets = offsets or reminder_settings(workshop)
    zone = workshop.tzinfo
    reminders = []
    if offsets.registration_closing_days:
        closes = workshop.registration_closes_at
        due = max(closes - datetime.timedelta(days=offsets.registration_closing_days), workshop.registration_opens_at)
        reminders.append(
            Reminder(ReminderKind.REGISTRATION_CLOSING, due, closes, timezone.localtime(closes, zone).date())
        )
    if offsets.upload_deadline_days:
        deadline = workshop.upload_deadline
        due = deadline - datetime.timedelta(days=offsets.upload_deadline_days)
        reminders.append(
            Reminder(ReminderKind.UPLOAD_DEADLINE, due, deadline, timezone.localtime(deadline, zone).date())
        )
    if offsets.day_before_time is not None:
        starts = workshop.local_datetime(workshop.start_date, datetime.time(0))
        due = workshop.local_datetime(workshop.start_date - datetime.timedelta(days=1), offsets.day_before_time)
        reminders.append(Reminder(ReminderKind.DAY_BEFORE, due, starts, workshop.start_date))
    if offsets.reports_days_after:
        day = workshop.end_date + datetime.timedelta(days=offsets.reports_days_after)
        due = workshop.local_datetime(day, REPORTS_REMINDER_TIME)
        reminders.append(
            Reminder(ReminderKind.REPORTS_NOT_FINAL, due, due + REPORTS_REMINDER_WINDOW, workshop.end_date)
        )
    return sorted(reminders, key=lambda reminder: reminder.due_at)


# --- Audiences: each app reads its own data --------------------------------------------------


def rapporteurs_with_reports_not_final(*, workshop: Workshop) -> dict[User, list[WorkingSession]]:
    """Each rapporteur of `workshop` with their sessions whose report is missing or not final. One query."""
    sessions = (
        WorkingSession.objects.filter(workshop=workshop, rapporteur__isnull=False, rapporteur__is_active=True)
        .exclude(report__is_final=True)
        .select_related("rapporteur", "country")
        .order_by("rapporteur_id", "date", "start_time", "pk")
    )
    people: dict[User, list[WorkingSession]] = {}
    for session in sessions:
        people.setdefault(session.rapporteur, []).append(session)
    return people


def audience(kind: ReminderKind, workshop: Workshop) -> dict[User, list]:
    """Who the reminder `kind` of `workshop` is for now, each with what it names for them. One query."""
    if kind == ReminderKind.REGISTRATION_CLOSING:
        return {user: [] for user in reminder_unregistered_people(workshop=workshop)}
    if kind == ReminderKind.UPLOAD_DEADLINE:
        return reminder_presenters_without_file(workshop=workshop)
    if kind == ReminderKind.DAY_BEFORE:
        return {user: [] for user in reminder_approved_participants(workshop=workshop)}
    return rapporteurs_with_reports_not_final(workshop=workshop)


# --- Queueing ----------------------------------------------------------------------------------


def _programme_ics(workshop: Workshop, languages: set[str]) -> dict[str, Attachment]:
    """The programme as an ICS file in each language (its titles and notes are translated): the
    file the public programme page offers, with each segment's presentations and presenters, made
    now, kept once per language by the outbox."""
    sessions = list(programme_sessions(workshop=workshop))
    if not sessions:
        return {}
    url = portal_url(workshop.get_absolute_url())
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    files = {}
    for language in languages:
        with translation.override(language):
            # Read in the language: a presenter's delegation is a state's name in it.
            contents = segment_contents(workshop=workshop)
            content = programme_calendar(
                workshop=workshop, sessions=sessions, url=url, domain=domain, contents=contents
            )
        files[language] = Attachment(f"{workshop.slug}-programme.ics", content, "text/calendar")
    return files


def _links(kind: ReminderKind, workshop: Workshop) -> dict[str, str]:
    links = {"workshop_url": portal_url(workshop.get_absolute_url())}
    if kind == ReminderKind.REGISTRATION_CLOSING:
        links["action_url"] = portal_url(reverse("registrations:register", args=[workshop.slug]))
    elif kind == ReminderKind.REPORTS_NOT_FINAL:
        links["action_url"] = portal_url(reverse("reports:my_sessions"))
    else:
        links["action_url"] = portal_url(reverse("registrations:dashboard"))
    return links


def reminder_queue(workshop: Workshop, reminder: Reminder) -> int:
    """Queue `reminder` to each person of its audience who has not had it. Returns how many were
    queued now. A constant number of queries whatever the audience (its audience, the keys already
    queued, the outbox's inserts and, for the day before, the programme of the ICS)."""
    people = audience(reminder.kind, workshop)
    if not people:
        return 0
    keys = {user: reminder.dedupe_key(workshop.pk, user.pk) for user in people}
    known = set(OutboundEmail.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    people = {user: items for user, items in people.items() if keys[user] not in known}
    if not people:
        return 0
    files = {}
    if reminder.kind == ReminderKind.DAY_BEFORE:
        files = _programme_ics(workshop, {user.email_language for user in people})
    recipients = [
        Recipient(
            # The registration's contact address where the audience has one (registrations, presentations).
            address=getattr(user, "reminder_address", "") or user.email,
            language=user.email_language,
            user=user,
            context={"name": user.get_full_name() or user.email, "items": items},
            dedupe_key=keys[user],
            attachments=(files[user.email_language],) if user.email_language in files else (),
        )
        for user, items in people.items()
    ]
    with transaction.atomic():  # rows and their attachments together
        return len(
            email_queue(
                template=f"reports/email/reminder_{reminder.kind}",
                recipients=recipients,
                context={"workshop": workshop, "deadline": reminder.ends_at, **_links(reminder.kind, workshop)},
                workshop=workshop,
                kind=f"{KEY_PREFIX}:{reminder.kind}",
                essential=reminder.kind not in NOT_ESSENTIAL,
            )
        )


def workshops_with_reminders(now: datetime.datetime):
    """Published workshops whose reminders may still fall (not ended longer ago than the latest
    reminder after a workshop can be), with their settings. One query."""
    since = now.date() - datetime.timedelta(days=MAX_DAYS_AFTER + REPORTS_REMINDER_WINDOW.days + 1)
    return (
        Workshop.objects.published()
        .filter(end_date__gte=since, personal_data_purged_at__isnull=True)
        .select_related("reminder_settings", "host_institution")
        .order_by("start_date", "pk")
    )


def reminders_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queue every reminder due now, each person once. Returns the counts queued per kind."""
    now = now or timezone.now()
    counts = {kind.value: 0 for kind in ReminderKind}
    for workshop in workshops_with_reminders(now):
        for reminder in workshop_reminders(workshop):
            if reminder.is_due(now):
                counts[reminder.kind] += reminder_queue(workshop, reminder)
    return counts


# --- What the workshop's admin page shows ---------------------------------------------------


@dataclass(frozen=True)
class ScheduledReminder:
    kind: ReminderKind
    due_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    sent: int  # queued in the outbox (whatever became of them there)
    waiting: int  # would be queued now: the audience less those who had it
    status: str  # "off", "pending", "due", "done", "over"


def workshop_reminder_schedule(workshop: Workshop, *, now: datetime.datetime | None = None) -> list[ScheduledReminder]:
    """Each reminder of `workshop`: when it falls, how many had it, how many it would go to now.
    Six queries at any size (the audience of each reminder, and the outbox's keys)."""
    now = now or timezone.now()
    offsets = reminder_settings(workshop)
    reminders = {reminder.kind: reminder for reminder in workshop_reminders(workshop, offsets)}
    known = set(
        OutboundEmail.objects.filter(workshop=workshop, dedupe_key__startswith=f"{KEY_PREFIX}:").values_list(
            "dedupe_key", flat=True
        )
    )
    rows = []
    for kind in ReminderKind:
        reminder = reminders.get(kind)
        if reminder is None:
            rows.append(ScheduledReminder(kind, None, None, 0, 0, "off"))
            continue
        suffix = f":{reminder.anchor.isoformat()}"
        sent = sum(1 for key in known if key.startswith(reminder.key_prefix(workshop.pk)) and key.endswith(suffix))
        waiting = sum(1 for user in audience(kind, workshop) if reminder.dedupe_key(workshop.pk, user.pk) not in known)
        if now >= reminder.ends_at:
            status = "over"
        elif now < reminder.due_at:
            status = "pending"
        else:
            status = "due" if waiting else "done"
        rows.append(ScheduledReminder(kind, reminder.due_at, reminder.ends_at, sent, waiting, status))
    return rows
