from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantCategory(models.TextChoices):
    CENTRAL_ASIAN_STATE = "central_asian_state", _("Central Asian state")
    OIC_PARTNER_STATE = "oic_partner_state", _("OIC partner member state")
    OIC_INSTITUTION = "oic_institution", _("OIC institution")
    INTERNATIONAL_INSTITUTION = "international_institution", _("Other international institution")
    OBSERVER = "observer", _("Observer")
    SECRETARIAT = "secretariat", _("Secretariat")


# Tuples, not sets: their order is stable, so the constraints built from them do not churn migrations.
STATE_CATEGORIES = (ParticipantCategory.CENTRAL_ASIAN_STATE, ParticipantCategory.OIC_PARTNER_STATE)
"""Categories that represent a member state: the state is required."""

INSTITUTION_CATEGORIES = (ParticipantCategory.OIC_INSTITUTION, ParticipantCategory.INTERNATIONAL_INSTITUTION)
"""Categories that represent an OIC or international institution: the institution is required."""


class RegistrationStatus(models.TextChoices):
    # A self-registration for a delegation with a focal point, before the focal point endorses it
    # (delegations/): the organisers do not see it yet.
    PENDING = "pending", _("Awaiting endorsement")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("Waiting list")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class DelegationRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    MEMBER = "member", _("Member of delegation")
    EXPERT = "expert", _("Expert")


class RegistrationNotice(models.TextChoices):
    """The emails a delegate receives as their registration moves through its statuses."""

    RECEIVED = "received", _("Registration received")
    PENDING = "pending", _("Registration awaiting endorsement")
    APPROVED = "approved", _("Registration approved")
    WAITLISTED = "waitlisted", _("Placed on the waiting list")
    DECLINED = "declined", _("Registration declined")
    PROMOTED = "promoted", _("A seat became free: registration approved")
    CANCELLED = "cancelled", _("Registration cancelled")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
