from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """Every kind of official document the portal issues. What each one says, to whom it goes and in
    which language is registered in documents/kinds.py; a kind without a registration is not issued."""

    INVITATION_LETTER = "invitation_letter", _("Invitation letter")
    VISA_LETTER = "visa_letter", _("Visa support letter")
    CERTIFICATE_ATTENDANCE = "certificate_attendance", _("Certificate of attendance")
    CERTIFICATE_PRESENTER = "certificate_presenter", _("Certificate of presentation")


class Revocation(models.TextChoices):
    """Why a document stopped being valid; the public verification page says which, never the staff's note."""

    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Replaced by a newer document")
    ERASED = "erased", _("Withdrawn at the holder's request")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
