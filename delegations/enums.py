from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NominationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    REPLACED = "replaced", _("Replaced")


ACTIVE_NOMINATIONS = (NominationStatus.INVITED, NominationStatus.REGISTERED)
"""The nominations that hold a seat of their delegation's quota."""


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation letter")
    VISA = "visa", _("Visa support letter")


class VisaRequestStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("visa letter request", "Requested")
    ISSUED = "issued", pgettext_lazy("visa letter request", "Issued")
    WITHDRAWN = "withdrawn", pgettext_lazy("visa letter request", "Withdrawn")
    REVOKED = "revoked", pgettext_lazy("visa letter request", "Revoked by the organisers")


VISA_REQUEST_CLOSED = (VisaRequestStatus.WITHDRAWN, VisaRequestStatus.REVOKED)
"""Requests without a letter, until the delegate saves them again."""

VISA_LETTER_DUE = (VisaRequestStatus.REQUESTED, VisaRequestStatus.ISSUED)
"""The visa requests a letter is (or was) made for: not those the delegate withdrew, nor those whose
letter the organisers revoked (until the delegate asks again)."""
