"""A workshop: where and when it happens, who may register and until when."""

import datetime
import zoneinfo
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workshop_portal.dates import format_day
from workshop_portal.models.members import Institution


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class WorkshopQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Workshop(models.Model):
    """One workshop: where and when it happens, who may register and until when."""

    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in addresses, e.g. oic-central-asia-2012."))
    title = models.CharField(_("title"), max_length=255)
    host_institution = models.ForeignKey(
        Institution, verbose_name=_("host institution"), on_delete=models.PROTECT, related_name="hosted_workshops"
    )
    venue = models.CharField(_("venue"), max_length=255, help_text=_("Building or conference centre."))
    city = models.CharField(_("city"), max_length=128)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="UTC",
        help_text=_("The venue's time zone. Session times and deadlines are in this zone."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    upload_deadline = models.DateTimeField(_("presentation upload deadline"))
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Number of participants that can be approved."))
    description = models.TextField(_("description"), blank=True)
    share_presentations = models.BooleanField(
        _("share presentations with participants"),
        default=True,
        help_text=_("Approved participants may download accepted presentations."),
    )
    contact_email = models.EmailField(
        _("organisers' contact address"),
        blank=True,
        help_text=_("Answers to the portal's emails about this workshop go here (Reply-To)."),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published workshops appear on the public site.")
    )
    personal_data_purged_at = models.DateTimeField(
        _("personal data purged"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the delegates' contact, travel and badge data was purged after the retention period."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-start_date", "title"]
        permissions = [("purge_personal_data", _("Can purge a past workshop's personal data"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="workshop_ends_after_start",
                violation_error_message=_("The workshop cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="workshop_registration_window_ordered",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1),
                name="workshop_capacity_positive",
                violation_error_message=_("The capacity must be at least one participant."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("worksessions:programme", kwargs={"slug": self.slug})

    @cached_property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_datetime(self, day: datetime.date, time: datetime.time) -> datetime.datetime:
        """An aware datetime for a wall-clock time at the venue."""
        return datetime.datetime.combine(day, time, tzinfo=self.tzinfo)

    @property
    def days(self):
        if not (self.start_date and self.end_date):
            return []
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=n) for n in range(count)]

    @property
    def ends_at(self):
        return self.local_datetime(self.end_date, datetime.time.max)

    def is_registration_open(self, now=None):
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_closes_at

    @property
    def registration_phase(self) -> str:
        """ "upcoming", "open" or "closed", for pages that explain where registration stands."""
        now = timezone.now()
        if now < self.registration_opens_at:
            return "upcoming"
        return "open" if now < self.registration_closes_at else "closed"

    def clean(self):
        errors = {}
        if self.time_zone:
            try:
                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                errors["time_zone"] = _("Unknown time zone.")
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("The workshop cannot end before it starts.")
            elif "time_zone" not in errors:
                if self.registration_closes_at and self.registration_closes_at > self.ends_at:
                    errors["registration_closes_at"] = _("Registration must close before the workshop ends.")
                if self.upload_deadline and self.upload_deadline > self.ends_at:
                    errors["upload_deadline"] = _("The upload deadline must fall before the workshop ends.")
            if self.pk and "end_date" not in errors:
                outside = self.working_sessions.exclude(date__range=(self.start_date, self.end_date)).first()
                if outside is not None:
                    errors["start_date"] = _(
                        "The session “%(session)s” on %(date)s would fall outside the new dates; move it first."
                    ) % {"session": outside.display_title, "date": format_day(outside.date)}
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)
