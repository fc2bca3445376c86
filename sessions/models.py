"""Working sessions of a workshop and the segments they are made of.

Times are wall-clock times at the venue (the workshop's time zone): a session is one day with a
start and an end time, which is how a programme is written and how organisers enter it.
"""

import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sessions.enums import PRESENTATION_SEGMENTS, SEGMENT_PLAN, SegmentKind, SessionKind
from workshop_portal.dates import format_day, format_time, format_time_range
from workshop_portal.models import MemberState, Workshop


class WorkingSession(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="working_sessions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.COUNTRY)
    country = models.ForeignKey(
        MemberState,
        verbose_name=_("Central Asian state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_sessions",
        limit_choices_to={"is_central_asian": True},
        help_text=_("The Central Asian state a country session is about; empty for the special session."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Breaks ties between sessions that start at the same time.")
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Leave empty to use the standard title for its kind.")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    room = models.CharField(_("room"), max_length=128, blank=True)
    chair = models.CharField(_("chair"), max_length=255, blank=True, help_text=_("Name and title of the chair."))
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rapporteur_sessions",
        help_text=_("Writes this session's report."),
    )

    class Meta:
        verbose_name = _("working session")
        verbose_name_plural = _("working sessions")
        ordering = ["date", "start_time", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "country"],
                condition=models.Q(kind=SessionKind.COUNTRY),
                name="session_one_per_country_per_workshop",
                violation_error_message=_("This workshop already has a country working session for this state."),
            ),
            models.UniqueConstraint(
                fields=["workshop"],
                condition=models.Q(kind=SessionKind.SPECIAL),
                name="session_one_special_per_workshop",
                violation_error_message=_("This workshop already has a special session."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=SessionKind.COUNTRY, country__isnull=False)
                    | models.Q(kind=SessionKind.SPECIAL, country__isnull=True)
                ),
                name="session_country_matches_kind",
                violation_error_message=_(
                    "A country session needs its Central Asian state; the special session has none."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]

    def __str__(self):
        return str(self.display_title)

    @property
    def display_title(self):
        if self.title:
            return self.title
        if self.kind == SessionKind.COUNTRY and self.country_id:
            return _("Country working session: %(country)s") % {"country": self.country.name}
        if self.kind == SessionKind.SPECIAL:
            return _("Special session: the way forward for OIC-Central Asia cooperation")
        return _("Working session")

    @property
    def starts_at(self):
        return self.workshop.local_datetime(self.date, self.start_time)

    @property
    def ends_at(self):
        return self.workshop.local_datetime(self.date, self.end_time)

    @property
    def time_range(self):
        return format_time_range(self.start_time, self.end_time)

    def overlaps(self, other: "WorkingSession") -> bool:
        return self.date == other.date and self.start_time < other.end_time and other.start_time < self.end_time

    def ends_before(self, other: "WorkingSession") -> bool:
        return (self.date, self.end_time) <= (other.date, other.start_time)

    def clean(self):
        errors = {}
        if self.kind == SessionKind.COUNTRY:
            if self.country_id is None:
                errors["country"] = _("Choose the Central Asian state this country session is about.")
            elif not self.country.is_central_asian:
                errors["country"] = _(
                    "Only a Central Asian state can own a country working session; %(country)s is not one."
                ) % {"country": self.country.name}
        elif self.kind == SessionKind.SPECIAL and self.country_id is not None:
            errors["country"] = _("The special session is not about one state; leave the state empty.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("A session must end after it starts.")
        if self.workshop_id and self.date:
            workshop = self.workshop
            if workshop.start_date and workshop.end_date and not workshop.start_date <= self.date <= workshop.end_date:
                errors["date"] = _("The session must take place during the workshop, from %(start)s to %(end)s.") % {
                    "start": format_day(workshop.start_date),
                    "end": format_day(workshop.end_date),
                }
        if not errors and self.workshop_id:
            errors.update(self._order_errors())
        if errors:
            raise ValidationError(errors)

    def _order_errors(self):
        """The special session closes the workshop: it comes after every country session."""
        others = (
            WorkingSession.objects.filter(workshop_id=self.workshop_id).exclude(pk=self.pk).select_related("country")
        )
        if self.kind == SessionKind.SPECIAL:
            later = [s for s in others if s.kind == SessionKind.COUNTRY and not s.ends_before(self)]
            if later:
                return {
                    "start_time": _(
                        "The special session must come after every country session; “%(session)s” ends at "
                        "%(time)s on %(date)s."
                    )
                    % {
                        "session": later[-1].display_title,
                        "time": format_time(later[-1].end_time),
                        "date": format_day(later[-1].date),
                    }
                }
        else:
            special = next((s for s in others if s.kind == SessionKind.SPECIAL), None)
            if special is not None and not self.ends_before(special):
                return {
                    "start_time": _(
                        "A country session must end before the special session, which starts at %(time)s on %(date)s."
                    )
                    % {"time": format_time(special.start_time), "date": format_day(special.date)}
                }
        return {}

    @property
    def segment_plan(self):
        return SEGMENT_PLAN[SessionKind(self.kind)]


_SEGMENT_KIND_LABELS = dict(SegmentKind.choices)


@functools.lru_cache(maxsize=256)
def _segment_kind_label(kind: str, language: str | None) -> str:
    """A kind's label in `language` (the active one): translated once a process rather than once a
    segment of every programme, calendar and feed."""
    return str(_SEGMENT_KIND_LABELS.get(kind, kind))


class Segment(models.Model):
    session = models.ForeignKey(
        WorkingSession, verbose_name=_("working session"), on_delete=models.CASCADE, related_name="segments"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=SegmentKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Leave empty to use the standard title for its kind.")
    )
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "order"],
                name="segment_order_unique_in_session",
                violation_error_message=_("Two segments of a session cannot share a position."),
            ),
            models.UniqueConstraint(
                fields=["session", "kind"],
                name="segment_kind_unique_in_session",
                violation_error_message=_("A session has each kind of segment once."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="segment_ends_after_start",
                violation_error_message=_("A segment must end after it starts."),
            ),
        ]

    def __str__(self):
        return str(self.display_title)

    @property
    def display_title(self):
        # What get_kind_display() answers, without rebuilding the choices on every call (a programme asks per segment).
        return self.title or _segment_kind_label(self.kind, get_language())

    @property
    def accepts_presentations(self):
        return self.kind in PRESENTATION_SEGMENTS

    @property
    def time_range(self):
        return format_time_range(self.start_time, self.end_time)

    @property
    def duration(self) -> datetime.timedelta:
        day = datetime.date.min
        return datetime.datetime.combine(day, self.end_time) - datetime.datetime.combine(day, self.start_time)

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("A segment must end after it starts.")
        try:
            # In the admin's add view this is the form's not yet saved session.
            session = self.session
        except WorkingSession.DoesNotExist:
            session = None
        if session is not None and self.start_time and self.end_time:
            if self.kind and self.kind not in session.segment_plan:
                errors["kind"] = _("A %(kind)s has no segment of this kind.") % {"kind": session.get_kind_display()}
            if self.start_time < session.start_time or self.end_time > session.end_time:
                errors["start_time"] = _("The segment must fall within its session's times, %(range)s.") % {
                    "range": session.time_range
                }
        if errors:
            raise ValidationError(errors)
