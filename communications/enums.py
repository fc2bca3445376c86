from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Claimed by a worker; `handed_over_at` says whether the mail server may already have it.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # A temporary failure (4xx, connection lost or refused): sent again at `next_attempt_at`.
    RETRYING = "retrying", _("Waiting to retry")
    FAILED = "failed", _("Failed")
    # The worker stopped while the mail server was receiving it: it may have been delivered.
    # Never sent again by itself (no duplicate); an organiser can send it again.
    UNCERTAIN = "uncertain", _("Outcome unknown")


# Rows a worker may take.
SENDABLE = (EmailStatus.QUEUED, EmailStatus.RETRYING)
# Rows that will not change by themselves.
FINAL = (EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.UNCERTAIN)


class MessageStatus(models.TextChoices):
    """A message to an audience: written and previewed as a draft, then sent once."""

    DRAFT = "draft", _("Draft")
    # Taken from draft by one send (a conditional UPDATE): a second click finds it no longer a draft.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
