"""The shared domain: people, member states, institutions and workshops.

Every app points at these models: a delegation, a session's country and a presentation's
presenting state are all a `MemberState`.
"""

import datetime
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from workshop_portal.dates import format_day
from workshop_portal.enums import ErasureStatus, InstitutionKind


class UserManager(BaseUserManager):
    """Users are identified by their email address; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


def language_choices():
    return [(code, name) for code, name in settings.LANGUAGES]


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=language_choices,
        blank=True,
        help_text=_("The language of the portal's pages and emails for this person; empty: the browser's."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def email_language(self) -> str:
        """The language of the emails this person receives: their own choice, else the portal's default."""
        return self.language or settings.LANGUAGE_CODE


class MemberStateQuerySet(models.QuerySet):
    def central_asian(self):
        return self.filter(is_central_asian=True)


class MemberState(models.Model):
    """An OIC member state. Names come from django-countries, translated into the active language."""

    code = CountryField(_("ISO 3166 code"), unique=True)
    is_central_asian = models.BooleanField(
        _("Central Asian state"),
        default=False,
        help_text=_("One of the five Central Asian states, each of which owns a country working session."),
    )

    objects = MemberStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        ordering = ["code"]

    def __str__(self):
        return str(self.name)

    @property
    def name(self):
        return self.code.name


# The languages besides English in which an institution may have an official name and acronym.
TRANSLATED_NAME_LANGUAGES = ("fr", "ar", "ru")


class Institution(models.Model):
    """A public institution of a member state, an OIC institution or another international one."""

    name = models.CharField(pgettext_lazy("institution", "name"), max_length=255, help_text=_("The name in English."))
    acronym = models.CharField(_("acronym"), max_length=32, blank=True, help_text=_("The acronym in English."))
    # The official forms in the other languages of the portal, where the institution has them;
    # an empty one falls back to the English name or acronym.
    name_fr = models.CharField(_("name in French"), max_length=255, blank=True)
    acronym_fr = models.CharField(_("acronym in French"), max_length=32, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=255, blank=True)
    acronym_ar = models.CharField(_("acronym in Arabic"), max_length=32, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    acronym_ru = models.CharField(_("acronym in Russian"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InstitutionKind.choices)
    member_state = models.ForeignKey(
        MemberState,
        verbose_name=_("member state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        help_text=_("Required for a national public institution; empty for OIC and international ones."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="institution_name_unique_ci",
                violation_error_message=_("An institution with this name already exists."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=InstitutionKind.NATIONAL, member_state__isnull=False)
                    | (~models.Q(kind=InstitutionKind.NATIONAL) & models.Q(member_state__isnull=True))
                ),
                name="institution_national_has_member_state",
                violation_error_message=_(
                    "A national public institution belongs to a member state; "
                    "OIC and international institutions do not."
                ),
            ),
        ]

    def __str__(self):
        name, acronym = self._localized()
        if acronym:
            return f"{name} ({acronym})"
        return name

    def _localized(self) -> tuple[str, str]:
        """(name, acronym) in the active language.

        A language in which the institution has an official name uses that name with its own
        acronym, or none (the World Bank is "Banque mondiale", with no acronym, in French; Arabic
        rarely abbreviates). Otherwise the English name and acronym stand in every language.
        """
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language in TRANSLATED_NAME_LANGUAGES:
            name, acronym = getattr(self, f"name_{language}"), getattr(self, f"acronym_{language}")
            if name:
                return name, acronym
            return self.name, acronym or self.acronym
        return self.name, self.acronym

    @property
    def localized_name(self) -> str:
        """The name in the active language where the institution has an official form there, else in English."""
        return self._localized()[0]

    @property
    def localized_acronym(self) -> str:
        """The acronym that goes with `localized_name` (possibly empty)."""
        return self._localized()[1]

    @property
    def short_name(self):
        return self.localized_acronym or self.localized_name

    def clean(self):
        # Field-level messages for the admin form; the check constraint guards the database.
        if self.kind == InstitutionKind.NATIONAL and self.member_state_id is None:
            raise ValidationError({"member_state": _("Choose the member state this national institution belongs to.")})
        if self.kind and self.kind != InstitutionKind.NATIONAL and self.member_state_id is not None:
            raise ValidationError(
                {"member_state": _("Leave the member state empty for an OIC or international institution.")}
            )


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


class ErasureRequest(models.Model):
    """A person's request that the portal erase their account and personal data.

    The organisers carry it out (or refuse it) in the admin; `workshop_portal.privacy` does the
    erasure. Once carried out, the row keeps only the dates and who decided: the proof it was done.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    email = models.EmailField(_("email address"), help_text=_("The account's address when the request was made."))
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("For the organisers, and shown to the person: why it was refused, say.")
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status=ErasureStatus.REQUESTED),
                name="erasure_request_one_open_per_user",
                violation_error_message=_("You have already asked for your data to be erased."),
            ),
        ]

    def __str__(self):
        return str(_("Erasure request %(number)s") % {"number": self.pk})

    @property
    def is_open(self):
        return self.status == ErasureStatus.REQUESTED
