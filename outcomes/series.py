"""Series of workshops: which workshops follow one another, and preparing the next one by cloning.

The clone copies a workshop's definitions (sessions and their segments, the delegations' quotas,
the letter settings and texts, the reminder offsets, and every step registered in
outcomes.cloning) with dates shifted to the new start date; never participants, files or answers.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext as _

from delegations.letter_models import LetterSettings, LetterText
from delegations.models import Delegation
from outcomes.cloning import CLONE_STEPS
from outcomes.followup_models import SeriesMembership, WorkshopSeries
from reports.models import ReminderSettings
from sessions.models import Segment, WorkingSession
from workshop_portal.models import User, Workshop

logger = logging.getLogger(__name__)


def series_of(workshop: Workshop) -> WorkshopSeries | None:
    membership = SeriesMembership.objects.select_related("series").filter(workshop=workshop).first()
    return membership.series if membership else None


def series_workshops(series: WorkshopSeries) -> list[Workshop]:
    return list(Workshop.objects.filter(series_membership__series=series).order_by("start_date", "pk"))


def series_previous_workshop(workshop: Workshop) -> Workshop | None:
    """The workshop of the same series that came just before this one."""
    membership = SeriesMembership.objects.filter(workshop=workshop).first()
    if membership is None:
        return None
    return (
        Workshop.objects.filter(series_membership__series_id=membership.series_id, start_date__lt=workshop.start_date)
        .order_by("-start_date", "-pk")
        .first()
    )


@transaction.atomic
def series_add_workshop(*, series: WorkshopSeries, workshop: Workshop) -> SeriesMembership:
    membership, _created = SeriesMembership.objects.update_or_create(workshop=workshop, defaults={"series": series})
    return membership


def shift_datetime(value: datetime.datetime | None, *, source: Workshop, target: Workshop, days: int):
    """The same wall-clock time at the target's venue, `days` later (a daylight-saving change keeps 09:00 at 09:00)."""
    if value is None:
        return None
    local = value.astimezone(source.tzinfo)
    return target.local_datetime(local.date() + datetime.timedelta(days=days), local.time().replace(tzinfo=None))


def _overlaps(source: Workshop, start: datetime.date, end: datetime.date) -> bool:
    return start <= source.end_date and source.start_date <= end


def workshop_clone(*, source: Workshop, title: str, slug: str, start_date: datetime.date, by: User) -> Workshop:
    """Prepare the next workshop of `source`'s series: one transaction, refused when its dates
    overlap the source's (a clone is the next workshop, never a copy running alongside).

    The pictures copied for it are stored inside the transaction: when it fails and rolls back,
    they are deleted (as presentations/stored_files.py deletes what it stored for a failed run).
    """
    copies: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            return _workshop_clone(source, title=title, slug=slug, start_date=start_date, copies=copies)
    except BaseException:
        _delete_copies(copies)
        raise


def _delete_copies(copies: list[tuple[Storage, str]]) -> None:
    for storage, name in copies:
        try:
            storage.delete(name)
        except Exception:  # a file left behind costs space; the failed clone's error is the one to report
            logger.warning("could not delete %s after a failed clone", name, exc_info=True)


def _workshop_clone(
    source: Workshop, *, title: str, slug: str, start_date: datetime.date, copies: list[tuple[Storage, str]]
) -> Workshop:
    days = (start_date - source.start_date).days
    end_date = source.end_date + datetime.timedelta(days=days)
    if _overlaps(source, start_date, end_date):
        raise ValidationError(
            _(
                "The new workshop (%(start)s to %(end)s) would overlap %(source)s (%(source_start)s to "
                "%(source_end)s): choose a start date after %(source_end)s."
            )
            % {
                "start": start_date.isoformat(),
                "end": end_date.isoformat(),
                "source": source.title,
                "source_start": source.start_date.isoformat(),
                "source_end": source.end_date.isoformat(),
            },
            code="overlap",
        )
    if Workshop.objects.filter(slug=slug).exists():
        raise ValidationError(_("A workshop with the short name “%(slug)s” exists already.") % {"slug": slug})
    target = Workshop(
        title=title,
        slug=slug,
        host_institution_id=source.host_institution_id,
        venue=source.venue,
        city=source.city,
        start_date=start_date,
        end_date=end_date,
        time_zone=source.time_zone,
        capacity=source.capacity,
        description=source.description,
        share_presentations=source.share_presentations,
        contact_email=source.contact_email,
        is_published=False,
    )
    for name in ("registration_opens_at", "registration_closes_at", "upload_deadline"):
        setattr(target, name, shift_datetime(getattr(source, name), source=source, target=target, days=days))
    target.full_clean()
    target.save()
    shift = datetime.timedelta(days=days)
    _clone_sessions(source, target, shift)
    _clone_delegations(source, target, days)
    _clone_letters(source, target, copies)
    _clone_reminders(source, target)
    series = series_of(source)
    if series is None:
        series = WorkshopSeries.objects.create(name=source.title, slug=_free_series_slug(source.slug))
        SeriesMembership.objects.create(series=series, workshop=source)
    SeriesMembership.objects.create(series=series, workshop=target)
    for step in CLONE_STEPS:
        step(source, target, shift)
    return target


def _free_series_slug(base: str) -> str:
    slug, n = base[:45], 1
    while WorkshopSeries.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[:45]}-{n}"
    return slug


def _clone_sessions(source: Workshop, target: Workshop, shift: datetime.timedelta) -> None:
    sessions = list(WorkingSession.objects.filter(workshop=source).order_by("pk"))
    copies = []
    for session in sessions:
        copy = WorkingSession(
            workshop=target,
            kind=session.kind,
            country_id=session.country_id,
            order=session.order,
            title=session.title,
            date=session.date + shift,
            start_time=session.start_time,
            end_time=session.end_time,
            room=session.room,
            chair=session.chair,
        )  # no rapporteur: a person is chosen again for each workshop
        copies.append(copy)
    WorkingSession.objects.bulk_create(copies)
    new_pk = {old.pk: new.pk for old, new in zip(sessions, copies, strict=True)}
    Segment.objects.bulk_create(
        Segment(
            session_id=new_pk[segment.session_id],
            kind=segment.kind,
            order=segment.order,
            title=segment.title,
            start_time=segment.start_time,
            end_time=segment.end_time,
        )
        for segment in Segment.objects.filter(session__workshop=source).order_by("pk")
    )


def _clone_delegations(source: Workshop, target: Workshop, days: int) -> None:
    # The quotas and the addressees of the invitations; focal points and nominees are people: not copied.
    Delegation.objects.bulk_create(
        Delegation(
            workshop=target,
            category=d.category,
            member_state_id=d.member_state_id,
            institution_id=d.institution_id,
            seats=d.seats,
            addressee=d.addressee,
            addressee_fr=d.addressee_fr,
            addressee_ar=d.addressee_ar,
            addressee_ru=d.addressee_ru,
            nomination_deadline=shift_datetime(d.nomination_deadline, source=source, target=target, days=days),
        )
        for d in Delegation.objects.filter(workshop=source).order_by("pk")
    )


def _clone_letters(source: Workshop, target: Workshop, copies: list[tuple[Storage, str]]) -> None:
    settings_row = LetterSettings.objects.filter(workshop=source).first()
    if settings_row is None:
        return
    texts = list(LetterText.objects.filter(settings=settings_row).order_by("pk"))
    settings_row.pk = None
    settings_row.id = None
    settings_row._state.adding = True
    settings_row.workshop = target
    # The letterhead and signature are the secretariat's pictures, not a participant's file. Each
    # workshop gets its own stored copy: replacing a picture deletes the old file, which the
    # other workshop would otherwise still point at.
    for name in ("letterhead", "signature"):
        field = getattr(settings_row, name)
        if field.name:
            with field.storage.open(field.name, "rb") as stored:
                field.name = field.storage.save(field.name, stored)
            copies.append((field.storage, field.name))
    settings_row.save()
    for text in texts:
        text.pk = None
        text.id = None
        text._state.adding = True
        text.settings = settings_row
    LetterText.objects.bulk_create(texts)


def _clone_reminders(source: Workshop, target: Workshop) -> None:
    reminders = ReminderSettings.objects.filter(workshop=source).first()
    if reminders is None:
        return
    reminders.pk = None
    reminders.id = None
    reminders._state.adding = True
    reminders.workshop = target
    reminders.save()
