"""Choices of the recommendations' follow-up and of the cooperation board."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AddresseeKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("A member state")
    INSTITUTION = "institution", _("An institution")
    OIC_BODIES = "oic_bodies", _("The OIC bodies")
    ALL = "all", _("All participants")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class FollowUpStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# The colours of the portal's status badge (templates/includes) per follow-up status.
STATUS_BADGE = {
    FollowUpStatus.AGREED: "pending",
    FollowUpStatus.IN_PROGRESS: "draft",
    FollowUpStatus.DONE: "ready",
    FollowUpStatus.DROPPED: "failed",
}


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture and food security")
    WATER = "water", _("Water and environment")
    ENERGY = "energy", _("Energy")
    TRANSPORT = "transport", _("Transport and logistics")
    TRADE = "trade", _("Trade and investment")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education and vocational training")
    FINANCE = "finance", _("Finance and banking")
    TOURISM = "tourism", _("Tourism")
    GOVERNANCE = "governance", _("Public administration")


class OfferModality(models.TextChoices):
    TRAINING = "training", _("Training")
    EXPERT_VISIT = "expert_visit", _("Expert visit")
    STUDY_TOUR = "study_tour", _("Study tour")
    FUNDING = "funding", _("Funding")
