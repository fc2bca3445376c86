from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


PENDING_BUILD_STATUSES = (BuildStatus.QUEUED, BuildStatus.RUNNING)
