from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


PENDING_BUILD_STATUSES = (BuildStatus.QUEUED, BuildStatus.RUNNING)


class ReminderKind(models.TextChoices):
    """The scheduled reminders (reports/reminders.py), in the order they fall."""

    REGISTRATION_CLOSING = "registration_closing", _("Registration closing")
    UPLOAD_DEADLINE = "upload_deadline", _("Upload deadline approaching")
    DAY_BEFORE = "day_before", _("The day before the workshop")
    REPORTS_NOT_FINAL = "reports_not_final", _("Session reports not final")
