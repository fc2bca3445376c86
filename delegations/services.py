"""Every write about delegations, and the quota rule every approval obeys.

The quota is counted under the workshop's row lock that registrations.services takes for every
change of status (and the delegation's own row lock), so parallel approvals never exceed it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from delegations.models import INSTITUTION_KINDS, Delegation
from registrations.enums import INSTITUTION_CATEGORIES, STATE_CATEGORIES, ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from workshop_portal.models import Institution, MemberState, Workshop

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
