"""The emails of delegations (workshop_portal/emails.py): in the recipient's language, links on
the portal's public address."""

from django.urls import reverse
from django.utils import translation

from communications.services import email_queue_to
from delegations.models import FocalPoint, Nomination
from workshop_portal.emails import portal_url


def focal_point_email_send(*, focal_point: FocalPoint, dedupe_key: str | None = None) -> None:
    """To a new focal point: their delegation page (they have an account) or their invitation."""
    delegation = focal_point.delegation
    language = focal_point.user.email_language if focal_point.user_id else focal_point.language
    with translation.override(language):
        delegation_name = delegation.name  # a state's name and an institution's in that language
    email_queue_to(
        to=focal_point.email,
        language=language,
        user=focal_point.user,
        workshop=delegation.workshop,
        dedupe_key=dedupe_key,
        template="delegations/email/focal_point",
        context={
            "focal_point": focal_point,
            "delegation": delegation,
            "delegation_name": delegation_name,
            "workshop": delegation.workshop,
            "deadline": delegation.deadline,
            "delegation_url": portal_url(reverse("delegations:detail", kwargs={"pk": delegation.pk})),
            "invitation_url": portal_url(reverse("delegations:invitation", kwargs={"token": focal_point.token})),
        },
    )


def nomination_email_send(*, nomination: Nomination, dedupe_key: str | None = None) -> None:
    """To a nominee, in their language: who nominated them, for which delegation, and the link
    that leads to their registration (through sign-up or sign-in)."""
    delegation = nomination.delegation
    with translation.override(nomination.language):
        delegation_name = delegation.name
        role = nomination.get_role_display()
    email_queue_to(
        to=nomination.email,
        language=nomination.language,
        workshop=delegation.workshop,
        dedupe_key=dedupe_key,
        template="delegations/email/nomination",
        context={
            "nomination": nomination,
            "delegation": delegation,
            "delegation_name": delegation_name,
            "role": role,
            "workshop": delegation.workshop,
            "nomination_url": portal_url(reverse("delegations:nomination", kwargs={"token": nomination.token})),
        },
    )
