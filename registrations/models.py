"""A person's registration for a workshop, on behalf of a member state or an institution."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registrations.enums import (
    INSTITUTION_CATEGORIES,
    STATE_CATEGORIES,
    DelegationRole,
    JobStatus,
    ParticipantCategory,
    RegistrationStatus,
)
from workshop_portal.bidi import join_text
from workshop_portal.dates import format_datetime_with_zone
from workshop_portal.enums import InstitutionKind
from workshop_portal.models import Workshop, institution_link, member_state_link
from workshop_portal.storage import private_storage
from workshop_portal.validators import validate_printed_text


def new_badge_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=RegistrationStatus.APPROVED)

    def waitlisted_in_order(self):
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlisted_at", "pk")

    def listed(self):
        """Approved participants who agreed to appear in the published list of participants."""
        return self.approved().filter(consent_to_list=True)


class Registration(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.SUBMITTED
    )

    honorific = models.CharField(
        pgettext_lazy("honorific", "title"),
        max_length=32,
        blank=True,
        help_text=_("For example H.E., Dr, Ms, Mr."),
        validators=[validate_printed_text],
    )
    participant_name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Your name as it should appear in the list of participants."),
        validators=[validate_printed_text],
    )
    position = models.CharField(
        _("position"),
        max_length=255,
        help_text=_("Your position in your organisation."),
        validators=[validate_printed_text],
    )
    category = models.CharField(_("participant category"), max_length=32, choices=ParticipantCategory.choices)
    member_state = member_state_link(related_name="registrations")
    institution = institution_link(related_name="registrations")
    delegation_role = models.CharField(
        _("role in the delegation"), max_length=16, choices=DelegationRole.choices, default=DelegationRole.MEMBER
    )
    email = models.EmailField(_("contact email"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=500, blank=True)
    access_needs = models.CharField(_("access needs"), max_length=500, blank=True)
    consent_to_list = models.BooleanField(
        _("appear in the list of participants"),
        default=False,
        help_text=_("Your name, position and delegation appear in the published list of participants."),
    )

    badge_token = models.CharField(_("badge code"), max_length=64, unique=True, default=new_badge_token, editable=False)
    checked_in_at = models.DateTimeField(_("arrived"), null=True, blank=True, editable=False)
    waitlisted_at = models.DateTimeField(_("waitlisted"), null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["workshop", "participant_name"]
        permissions = [
            ("view_participant_list", _("Can view the list of participants of any workshop")),
            ("download_participant_list", _("Can download the list of participants as PDF")),
            ("export_registration", _("Can export registrations")),
            ("check_in_registration", _("Can check delegates in on arrival")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                name="registration_one_per_person_per_workshop",
                violation_error_message=_("You have already registered for this workshop."),
            ),
            models.CheckConstraint(
                condition=~models.Q(category__in=list(STATE_CATEGORIES)) | models.Q(member_state__isnull=False),
                name="registration_state_category_has_state",
                violation_error_message=_("A delegate of a member state names that state."),
            ),
            models.CheckConstraint(
                condition=~models.Q(category__in=list(INSTITUTION_CATEGORIES))
                | models.Q(institution__isnull=False, member_state__isnull=True),
                name="registration_institution_category_has_institution",
                violation_error_message=_("A delegate of an institution names the institution, not a state."),
            ),
            models.CheckConstraint(
                condition=models.Q(departure_date__isnull=True)
                | models.Q(arrival_date__isnull=True)
                | models.Q(departure_date__gte=models.F("arrival_date")),
                name="registration_departure_after_arrival",
                violation_error_message=_("The departure date cannot precede the arrival date."),
            ),
        ]
        indexes = [models.Index(fields=["workshop", "status"], name="registration_workshop_status")]

    def __str__(self):
        return f"{self.participant_name} ({self.workshop})"

    def get_absolute_url(self):
        return reverse("registrations:detail", kwargs={"pk": self.pk})

    @property
    def display_name(self):
        return f"{self.honorific} {self.participant_name}".strip()

    @property
    def represented_state(self):
        """The member state this delegate speaks for, directly or through a national institution."""
        if self.member_state_id:
            return self.member_state
        if self.institution_id and self.institution.member_state_id:
            return self.institution.member_state
        return None

    @property
    def delegation_parts(self) -> list[str]:
        """What the badge and the list show under the name: the institution, the state, or both."""
        parts = [str(self.member_state)] if self.member_state_id else []
        if self.institution_id:
            parts.insert(0, self.institution.short_name)
        return parts

    @property
    def delegation(self):
        """`delegation_parts` as one line of text, joined and isolated for the reader's language
        (in HTML, `{% joined registration.delegation_parts %}` puts each part in a <bdi>)."""
        return join_text(self.delegation_parts)

    @property
    def is_editable_by_delegate(self):
        return self.status in (RegistrationStatus.PENDING, RegistrationStatus.SUBMITTED)

    @property
    def is_cancellable_by_delegate(self):
        return self.status in (
            RegistrationStatus.PENDING,
            RegistrationStatus.SUBMITTED,
            RegistrationStatus.WAITLISTED,
            RegistrationStatus.APPROVED,
        )

    def clean(self):
        errors = {}
        state = self.member_state if self.member_state_id else None
        institution = self.institution if self.institution_id else None
        category = self.category
        if category in STATE_CATEGORIES:
            if state is None:
                errors["member_state"] = _("Choose the member state you represent.")
            elif category == ParticipantCategory.CENTRAL_ASIAN_STATE and not state.is_central_asian:
                errors["member_state"] = _(
                    "%(state)s is not a Central Asian state: choose “OIC partner member state” as your category."
                ) % {"state": state.name}
            elif category == ParticipantCategory.OIC_PARTNER_STATE and state.is_central_asian:
                errors["member_state"] = _(
                    "%(state)s is a Central Asian state: choose “Central Asian state” as your category."
                ) % {"state": state.name}
            if institution is not None and state is not None and institution.member_state_id != state.pk:
                errors["institution"] = _("Choose an institution of %(state)s, or leave the institution empty.") % {
                    "state": state.name
                }
        elif category in INSTITUTION_CATEGORIES:
            kind = (
                InstitutionKind.OIC
                if category == ParticipantCategory.OIC_INSTITUTION
                else InstitutionKind.INTERNATIONAL
            )
            if institution is None:
                errors["institution"] = _("Choose the institution you represent.")
            elif institution.kind != kind:
                errors["institution"] = _("%(institution)s is not an %(kind)s.") % {
                    "institution": institution.short_name,
                    "kind": InstitutionKind(kind).label.lower(),
                }
            if state is not None:
                errors["member_state"] = _("Leave the member state empty: you represent an institution.")
        elif category == ParticipantCategory.SECRETARIAT and state is not None:
            errors["member_state"] = _("Leave the member state empty for the secretariat.")
        if self.arrival_date and self.departure_date and self.departure_date < self.arrival_date:
            errors["departure_date"] = _("The departure date cannot precede the arrival date.")
        if errors:
            raise ValidationError(errors)


class BadgeBatch(models.Model):
    """One PDF of badges for a workshop's approved delegates, rendered by a worker."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    badge_count = models.PositiveIntegerField(_("badges"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to="badges/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The job's lifecycle (jobs/): which task holds it, how often it started, its last sign of life.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge batch")
        verbose_name_plural = _("badge batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Badges for %(workshop)s, %(date)s") % {
            "workshop": self.workshop,
            "date": format_datetime_with_zone(self.created_at, self.workshop.time_zone),
        }

    @property
    def is_pending(self):
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)
