from django.db import models
from django.utils.translation import gettext_lazy as _


class PresentationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A presentation in one of these counts: it holds its state's best-practice slot, it can take files.
ACTIVE_STATUSES = (PresentationStatus.DRAFT, PresentationStatus.SUBMITTED, PresentationStatus.ACCEPTED)


class FileKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    PPTX = "pptx", _("PowerPoint (PPTX)")
    DOCX = "docx", _("Word (DOCX)")


class ConversionStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed (PDF)")
    PENDING = "pending", _("Waiting for conversion")
    CONVERTING = "converting", _("Converting")
    CONVERTED = "converted", _("Converted to PDF")
    FAILED = "failed", _("Conversion failed")
    UNAVAILABLE = "unavailable", _("Conversion unavailable")
