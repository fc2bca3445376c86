"""Every write about delegations, and the quota rule every approval obeys.

The quota is counted under the workshop's row lock that registrations.services takes for every
change of status (and the delegation's own row lock), so parallel approvals never exceed it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from delegations.models import INSTITUTION_KINDS, Delegation, FocalPoint
from registrations.enums import INSTITUTION_CATEGORIES, STATE_CATEGORIES, ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from workshop_portal.models import Institution, MemberState, User, Workshop
from workshop_portal.queueing import send

C = ParticipantCategory

DEFAULT_SEATS = {
    C.CENTRAL_ASIAN_STATE: 3,
    C.OIC_PARTNER_STATE: 2,
    C.OIC_INSTITUTION: 1,
    C.INTERNATIONAL_INSTITUTION: 1,
}
"""Seats each delegation of a category is offered when a workshop is created (DELEGATION_DEFAULT_SEATS overrides)."""


def default_seats() -> dict[str, int]:
    return {**DEFAULT_SEATS, **getattr(settings, "DELEGATION_DEFAULT_SEATS", {})}


def delegations_lay_out_defaults(*, workshop: Workshop) -> int:
    """Give every member state and every OIC or international institution its delegation with the
    default seats; those it already has stay as they are. Returns how many were added."""
    seats = default_seats()
    rows = [
        Delegation(
            workshop=workshop,
            category=C.CENTRAL_ASIAN_STATE if state.is_central_asian else C.OIC_PARTNER_STATE,
            member_state=state,
            seats=seats[C.CENTRAL_ASIAN_STATE if state.is_central_asian else C.OIC_PARTNER_STATE],
        )
        for state in MemberState.objects.all()
    ]
    kinds = {kind: category for category, kind in INSTITUTION_KINDS.items()}
    rows += [
        Delegation(workshop=workshop, category=kinds[i.kind], institution=i, seats=seats[kinds[i.kind]])
        for i in Institution.objects.filter(kind__in=list(kinds))
    ]
    before = Delegation.objects.filter(workshop=workshop).count()
    Delegation.objects.bulk_create(rows, ignore_conflicts=True)
    return Delegation.objects.filter(workshop=workshop).count() - before


def delegation_of(registration: Registration) -> Delegation | None:
    """The delegation a registration speaks for, if its workshop has one for it."""
    lookup = Delegation.objects.filter(workshop_id=registration.workshop_id)
    if registration.category in STATE_CATEGORIES and registration.member_state_id:
        return lookup.filter(member_state_id=registration.member_state_id).first()
    if registration.category in INSTITUTION_CATEGORIES and registration.institution_id:
        return lookup.filter(institution_id=registration.institution_id).first()
    return None


def approved_count(delegation: Delegation, *, exclude: int | None = None) -> int:
    approved = Registration.objects.filter(
        delegation.registrations_filter(), workshop_id=delegation.workshop_id, status=RegistrationStatus.APPROVED
    )
    return approved.exclude(pk=exclude).count() if exclude else approved.count()


def quota_refusal(delegation: Delegation, approved: int) -> str:
    seats = ngettext("%(seats)d seat", "%(seats)d seats", delegation.seats) % {"seats": delegation.seats}
    return _("The quota of %(delegation)s is used up: %(approved)d approved of %(seats)s.") % {
        "delegation": delegation.name,
        "approved": approved,
        "seats": seats,
    }


def quota_seat_rule(registration: Registration) -> str | None:
    """registrations' seat rule: may this registration take a seat of its delegation? Called under
    the workshop's row lock; the delegation's row is locked too (a change of its seats waits)."""
    delegation = delegation_of(registration)
    if delegation is None:
        return None
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("member_state", "institution")
        .get(pk=delegation.pk)
    )
    approved = approved_count(delegation, exclude=registration.pk)
    if approved >= delegation.seats:
        return quota_refusal(delegation, approved)
    return None


@transaction.atomic
def delegation_save(*, delegation: Delegation) -> Delegation:
    """Create or change a delegation; its seats never fall below the delegates already approved."""
    if delegation.pk:
        Workshop.objects.select_for_update().filter(pk=delegation.workshop_id).first()
        Delegation.objects.select_for_update(of=("self",)).filter(pk=delegation.pk).first()
    delegation.full_clean()
    delegation_check_seats(delegation=delegation, seats=delegation.seats)
    delegation.save()
    return delegation


def delegation_check_seats(*, delegation: Delegation, seats: int) -> None:
    """A delegation's seats never fall below its delegates already approved."""
    if not delegation.pk:
        return
    approved = approved_count(delegation)
    if seats < approved:
        raise ValidationError(
            {
                "seats": ngettext(
                    "%(count)d delegate is already approved: offer at least as many seats.",
                    "%(count)d delegates are already approved: offer at least as many seats.",
                    approved,
                )
                % {"count": approved}
            },
            code="below_approved",
        )


# Focal points


def _send_on_commit(task_name: str, **kwargs) -> None:
    """The email leaves once the transaction commits (a broker outage costs the email, logged)."""
    transaction.on_commit(lambda: send(task_name, **kwargs))


def _normalised_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}, code="invalid") from None
    return email


def focal_point_check_new(*, delegation: Delegation, email: str) -> str:
    """A valid address, not yet a focal point of the delegation; returns it normalised."""
    email = _normalised_email(email)
    if delegation.focal_points.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a focal point of %(delegation)s.")
                % {"email": email, "delegation": delegation.name}
            },
            code="exists",
        )
    return email


@transaction.atomic
def focal_point_designate(
    *, delegation: Delegation, email: str, by: User | None, name: str = "", language: str = ""
) -> FocalPoint:
    """Make the person with this address a focal point of the delegation: at once when they have
    an account, else by an invitation they accept after signing up or in. They are told by email."""
    Delegation.objects.select_for_update(of=("self",)).filter(pk=delegation.pk).first()
    email = focal_point_check_new(delegation=delegation, email=email)
    user = User.objects.filter(email__iexact=email).first()
    focal_point = FocalPoint(
        delegation=delegation,
        email=email,
        name=name.strip(),
        language=language or (user.email_language if user else settings.LANGUAGE_CODE),
        user=user,
        designated_by=by,
        accepted_at=timezone.now() if user else None,
    )
    focal_point.full_clean(validate_constraints=False)
    focal_point.save()
    _send_on_commit("delegations.send_focal_point_email", focal_point_id=focal_point.pk)
    return focal_point


@transaction.atomic
def focal_point_accept(*, token: str, user: User) -> FocalPoint:
    """The invited person, signed in, takes up their invitation: their account becomes the focal point."""
    focal_point = FocalPoint.objects.select_for_update(of=("self",)).filter(token=token).first()
    if focal_point is None:
        raise ValidationError(_("This invitation is not valid."), code="invalid")
    if focal_point.user_id == user.pk:
        return focal_point
    if focal_point.user_id is not None:
        raise ValidationError(_("This invitation has already been accepted with another account."), code="taken")
    focal_point.user = user
    focal_point.accepted_at = timezone.now()
    focal_point.save(update_fields=["user", "accepted_at"])
    return focal_point


def focal_point_check(*, delegation: Delegation, user: User) -> None:
    """A focal point acts only for their own delegation."""
    if not FocalPoint.objects.filter(delegation=delegation, user=user).exists():
        raise ValidationError(
            _("You are not a focal point of %(delegation)s.") % {"delegation": delegation.name}, code="not_focal_point"
        )
