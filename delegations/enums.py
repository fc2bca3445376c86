from django.db import models
from django.utils.translation import gettext_lazy as _


class NominationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    REPLACED = "replaced", _("Replaced")


ACTIVE_NOMINATIONS = (NominationStatus.INVITED, NominationStatus.REGISTERED)
"""The nominations that hold a seat of their delegation's quota."""
