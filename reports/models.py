"""Session reports written by rapporteurs, and the compiled proceedings of a workshop."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.enums import PENDING_BUILD_STATUSES, BuildStatus
from sessions.models import WorkingSession
from workshop_portal.models import Workshop
from workshop_portal.storage import private_storage

REPORT_SECTIONS = ("summary", "challenges", "best_practices", "expectations", "recommendations")


class SessionReport(models.Model):
    """The rapporteur's summary of one working session, written in Markdown (headings, lists, emphasis)."""

    session = models.OneToOneField(
        WorkingSession, verbose_name=_("working session"), on_delete=models.CASCADE, related_name="report"
    )
    summary = models.TextField(_("summary"), blank=True)
    challenges = models.TextField(_("challenges identified"), blank=True)
    best_practices = models.TextField(_("best practices"), blank=True)
    expectations = models.TextField(_("expectations for the future"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    # Each section as HTML: the rapporteur writes Markdown, rendered and sanitised on save.
    rendered = models.JSONField(_("rendered sections"), default=dict, editable=False)
    is_final = models.BooleanField(_("final"), default=False)
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last edited by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session report")
        verbose_name_plural = _("session reports")
        ordering = ["session__date", "session__start_time"]
        permissions = [("edit_any_report", _("Can edit the report of any session"))]

    def __str__(self):
        return str(_("Report: %(session)s") % {"session": self.session.display_title})

    def get_absolute_url(self):
        return reverse("reports:report_edit", kwargs={"session_pk": self.session_id})

    @property
    def is_empty(self):
        return not any(getattr(self, name).strip() for name in REPORT_SECTIONS)


class ProceedingsBuild(models.Model):
    """One compiled proceedings PDF of a workshop, as it stood when the build was requested."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    language = models.CharField(_("language"), max_length=8, default="en")
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps"), default=0)
    progress_label = models.CharField(_("current step"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_starts = models.PositiveIntegerField(_("task starts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    inputs_hash = models.CharField(_("inputs hash"), max_length=64, db_index=True)
    manifest = models.JSONField(_("inputs"), default=dict)
    log = models.TextField(_("log"), blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to="proceedings/", blank=True, max_length=300)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # The web edition: the same volume with its pictures at about 150 dpi (reports/proceedings/volume.py).
    web_file = models.FileField(
        _("web edition"), storage=private_storage, upload_to="proceedings/", blank=True, max_length=300
    )
    web_size = models.PositiveBigIntegerField(_("web edition size (bytes)"), null=True, blank=True)
    web_sha256 = models.CharField(_("web edition SHA-256"), max_length=64, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("proceedings build")
        verbose_name_plural = _("proceedings builds")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("build_proceedings", _("Can build the proceedings")),
            ("publish_proceedings", _("Can publish the proceedings")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop"],
                condition=models.Q(status__in=PENDING_BUILD_STATUSES),
                name="proceedings_one_pending_build_per_workshop",
                violation_error_message=_("A build of this workshop's proceedings is already under way."),
            ),
            models.UniqueConstraint(
                fields=["workshop"],
                condition=models.Q(is_published=True),
                name="proceedings_one_published_build_per_workshop",
            ),
        ]

    def __str__(self):
        return str(_("Proceedings of %(workshop)s, build %(number)s") % {"workshop": self.workshop, "number": self.pk})

    @property
    def is_pending(self):
        return self.status in PENDING_BUILD_STATUSES

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def progress_percent(self):
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class ProceedingsPart(models.Model):
    """A rendered piece of proceedings (one session, with its decks), kept by the hash of its inputs.

    A rebuild reuses every part whose inputs did not change; only changed sessions are rendered.
    """

    key = models.CharField(_("inputs hash"), max_length=64, unique=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to="proceedings/parts/", max_length=300)
    page_count = models.PositiveIntegerField(_("pages"))
    outline = models.JSONField(_("bookmarks"), default=list)
    notes = models.JSONField(_("notes"), default=list)
    created_at = models.DateTimeField(_("rendered"), auto_now_add=True)

    class Meta:
        verbose_name = _("proceedings part")
        verbose_name_plural = _("proceedings parts")

    def __str__(self):
        return self.key[:12]


class ReminderSettings(models.Model):
    """When a workshop's scheduled reminders go (reports/reminders.py). A workshop without a row
    has the defaults; 0 days (or no time) turns a reminder off."""

    workshop = models.OneToOneField(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="reminder_settings"
    )
    registration_closing_days = models.PositiveSmallIntegerField(
        _("registration closing: days before"),
        default=3,
        validators=[MaxValueValidator(60)],
        help_text=_("To people with an account who have not registered. 0: no reminder."),
    )
    upload_deadline_days = models.PositiveSmallIntegerField(
        _("upload deadline: days before"),
        default=3,
        validators=[MaxValueValidator(60)],
        help_text=_("To presenters who have not uploaded a file. 0: no reminder."),
    )
    day_before_time = models.TimeField(
        _("day before the workshop: at"),
        null=True,
        blank=True,
        default=datetime.time(9),
        help_text=_(
            "To approved participants, with the programme as a calendar file; in the workshop's time zone. "
            "Empty: no reminder."
        ),
    )
    reports_days_after = models.PositiveSmallIntegerField(
        _("session reports: days after the workshop"),
        default=1,
        validators=[MaxValueValidator(60)],
        help_text=_("To rapporteurs whose report is not final, at 09:00 in the workshop's time zone. 0: no reminder."),
    )

    class Meta:
        verbose_name = _("reminders")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return str(_("Reminders: %(workshop)s") % {"workshop": self.workshop})
