from django.db import models
from django.utils.translation import gettext_lazy as _


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
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    WITHDRAWN = "withdrawn", _("Withdrawn")


VISA_LETTER_DUE = (VisaRequestStatus.REQUESTED, VisaRequestStatus.ISSUED)
"""The visa requests a letter is (or was) made for: not those the delegate withdrew."""
