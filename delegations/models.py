"""A workshop's delegations: the seats offered to each member state or institution (its quota)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from delegations.enums import ACTIVE_NOMINATIONS, NominationStatus
from registrations.enums import INSTITUTION_CATEGORIES, STATE_CATEGORIES, DelegationRole, ParticipantCategory
from registrations.models import Registration
from workshop_portal.enums import InstitutionKind
from workshop_portal.models import Workshop, institution_link, language_choices, member_state_link
from workshop_portal.validators import validate_printed_text

QUOTA_CATEGORIES = (*STATE_CATEGORIES, *INSTITUTION_CATEGORIES)
"""The participant categories that come in delegations with a quota (observers and the secretariat do not)."""

INSTITUTION_KINDS = {
    ParticipantCategory.OIC_INSTITUTION: InstitutionKind.OIC,
    ParticipantCategory.INTERNATIONAL_INSTITUTION: InstitutionKind.INTERNATIONAL,
}


class Delegation(models.Model):
    """The delegation of one member state or one institution to a workshop, and its seats."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="delegations"
    )
    category = models.CharField(
        _("participant category"),
        max_length=32,
        choices=[(c.value, c.label) for c in QUOTA_CATEGORIES],
    )
    member_state = member_state_link(related_name="delegations")
    institution = institution_link(related_name="delegations")
    seats = models.PositiveSmallIntegerField(
        _("seats offered"), help_text=_("How many of its delegates may be approved.")
    )
    addressee = models.CharField(
        _("addressee of the invitation"),
        max_length=255,
        blank=True,
        help_text=_(
            "In English, e.g. Ministry of Foreign Affairs of the Republic of Kazakhstan; "
            "empty: the state's Ministry of Foreign Affairs, or the institution itself."
        ),
    )
    addressee_fr = models.CharField(
        _("addressee in French"),
        max_length=255,
        blank=True,
        help_text=_("As the French letter writes it after “au”, e.g. Ministère des Affaires étrangères du Kazakhstan."),
    )
    addressee_ar = models.CharField(_("addressee in Arabic"), max_length=255, blank=True)
    addressee_ru = models.CharField(
        _("addressee in Russian"),
        max_length=255,
        blank=True,
        help_text=_(
            "In the dative, as a Russian note verbale names its addressee, "
            "e.g. Министерству иностранных дел Республики Казахстан."
        ),
    )
    nomination_deadline = models.DateTimeField(
        _("nomination deadline"),
        null=True,
        blank=True,
        help_text=_("Until when its focal points nominate and replace delegates; empty: until registration closes."),
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["workshop", "category", "member_state__code", "institution__name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(category__in=list(STATE_CATEGORIES), member_state__isnull=False, institution__isnull=True)
                    | models.Q(
                        category__in=list(INSTITUTION_CATEGORIES), institution__isnull=False, member_state__isnull=True
                    )
                ),
                name="delegation_state_or_institution",
                violation_error_message=_("A delegation is a member state's or an institution's, not both."),
            ),
            models.UniqueConstraint(
                fields=["workshop", "member_state"],
                condition=models.Q(member_state__isnull=False),
                name="delegation_one_per_state",
                violation_error_message=_("This member state already has a delegation to this workshop."),
            ),
            models.UniqueConstraint(
                fields=["workshop", "institution"],
                condition=models.Q(institution__isnull=False),
                name="delegation_one_per_institution",
                violation_error_message=_("This institution already has a delegation to this workshop."),
            ),
        ]

    def __str__(self):
        return str(self.represented)

    def get_absolute_url(self):
        return reverse("delegations:detail", kwargs={"pk": self.pk})

    @property
    def represented(self):
        """The member state or the institution."""
        return self.member_state if self.member_state_id else self.institution

    @property
    def name(self) -> str:
        if self.member_state_id:
            return str(self.member_state.name)
        return self.institution.short_name

    @property
    def deadline(self):
        """The nomination deadline, or the close of registration when it has none of its own."""
        return self.nomination_deadline or self.workshop.registration_closes_at

    def registrations_filter(self) -> models.Q:
        """Which of the workshop's registrations speak for this delegation (a state's delegates
        through a national institution of theirs included)."""
        if self.member_state_id:
            return models.Q(category__in=list(STATE_CATEGORIES), member_state_id=self.member_state_id)
        return models.Q(category__in=list(INSTITUTION_CATEGORIES), institution_id=self.institution_id)

    def clean(self):
        if self.category in STATE_CATEGORIES and self.member_state_id is None:
            raise ValidationError({"member_state": _("Choose the member state.")})
        if self.category in INSTITUTION_CATEGORIES and self.institution_id is None:
            raise ValidationError({"institution": _("Choose the institution.")})
        if self.category == ParticipantCategory.CENTRAL_ASIAN_STATE and not self.member_state.is_central_asian:
            raise ValidationError({"category": _("This state is not a Central Asian state.")})
        if self.category == ParticipantCategory.OIC_PARTNER_STATE and self.member_state.is_central_asian:
            raise ValidationError({"category": _("This state is a Central Asian state.")})
        if self.category in INSTITUTION_CATEGORIES and self.institution.kind != INSTITUTION_KINDS[self.category]:
            raise ValidationError({"category": _("This category does not match the institution's kind.")})


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class FocalPoint(models.Model):
    """A person who speaks for a delegation: sees its page, nominates its delegates, endorses its
    self-registrations. Designated by the organisers by email; the account joins when the person
    accepts the invitation (at once when an account with that address exists)."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="focal_points"
    )
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=language_choices,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the invitation, when the person has no account yet."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="focal_points",
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("designated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("designated"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        ordering = ["delegation_id", "email"]
        constraints = [
            models.UniqueConstraint(
                "delegation",
                Lower("email"),
                name="focal_point_one_per_email",
                violation_error_message=_("This person is already a focal point of this delegation."),
            ),
        ]

    def __str__(self):
        return self.name or self.email

    def get_absolute_url(self):
        return reverse("delegations:detail", kwargs={"pk": self.delegation_id})

    @property
    def is_accepted(self) -> bool:
        return self.user_id is not None


class Nomination(models.Model):
    """A delegate named by a focal point: invited by email, then registered through the invitation
    with their delegation's state and category. Replaced (until the nomination deadline) by another."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="+")
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="nominations"
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_printed_text])
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role in the delegation"), max_length=16, choices=DelegationRole.choices)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=language_choices,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the invitation, when the person has no account yet."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NominationStatus.choices, default=NominationStatus.INVITED
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
    )
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nomination",
    )
    replaced_by = models.OneToOneField(
        "self", verbose_name=_("replaced by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["delegation_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "workshop",
                Lower("email"),
                condition=models.Q(status__in=[s.value for s in ACTIVE_NOMINATIONS]),
                name="nomination_one_per_email_per_workshop",
                violation_error_message=_("This person is already nominated for this workshop."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_NOMINATIONS


# The letters' models live beside (delegations/letter_models.py); they are this app's models too.
from delegations.letter_models import LetterSettings, LetterText, VisaLetterRequest  # noqa: E402

__all__ = ["Delegation", "FocalPoint", "LetterSettings", "LetterText", "Nomination", "VisaLetterRequest"]
