from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    NATIONAL = "national", _("National public institution")
    OIC = "oic", _("OIC institution")
    INTERNATIONAL = "international", _("Other international institution")


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CARRIED_OUT = "carried_out", _("Carried out")
    REFUSED = "refused", _("Refused")
