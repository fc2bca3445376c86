"""Reads of delegations, each in a fixed number of queries whatever their number."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from delegations.models import Delegation, FocalPoint
from registrations.enums import INSTITUTION_CATEGORIES, STATE_CATEGORIES, RegistrationStatus
from registrations.models import Registration
from workshop_portal.models import User


def _registrations_of_each(statuses) -> Subquery:
    """How many of the workshop's registrations in `statuses` speak for the outer delegation."""
    counted = (
        Registration.objects.filter(workshop_id=OuterRef("workshop_id"), status__in=list(statuses))
        .filter(
            Q(category__in=list(STATE_CATEGORIES), member_state_id=OuterRef("member_state_id"))
            | Q(category__in=list(INSTITUTION_CATEGORIES), institution_id=OuterRef("institution_id"))
        )
        .order_by()
        .values("workshop_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def delegations_with_counts(queryset: QuerySet[Delegation] | None = None) -> QuerySet[Delegation]:
    """Delegations with `approved_count` (approved delegates) and `registered_count` (registrations
    still in the running: submitted, waitlisted or approved)."""
    queryset = Delegation.objects.all() if queryset is None else queryset
    status = RegistrationStatus
    return queryset.select_related("workshop", "member_state", "institution").annotate(
        approved_count=_registrations_of_each([status.APPROVED]),
        registered_count=_registrations_of_each([status.SUBMITTED, status.WAITLISTED, status.APPROVED]),
    )


def delegation_get_for(*, user: User, pk: int) -> Delegation | None:
    """The delegation, for one of its focal points or an organiser who sees delegations; None
    for anyone else (a focal point of another state learns nothing, not even that it exists)."""
    delegations = Delegation.objects.select_related("workshop", "member_state", "institution")
    if not user.has_perm("delegations.view_delegation"):
        delegations = delegations.filter(focal_points__user=user)
    return delegations.filter(pk=pk).first()


def delegations_of_focal_point(*, user: User) -> list[Delegation]:
    """The delegations this person speaks for, with their counts."""
    return list(
        delegations_with_counts(Delegation.objects.filter(focal_points__user=user).distinct()).order_by(
            "-workshop__start_date", "pk"
        )
    )


@dataclass
class DelegationPage:
    """What a delegation's page shows, read in a fixed number of queries."""

    delegation: Delegation
    approved: int = 0
    registrations: list[Registration] = field(default_factory=list)
    focal_points: list[FocalPoint] = field(default_factory=list)

    @classmethod
    def of(cls, delegation: Delegation) -> "DelegationPage":
        registrations = list(
            Registration.objects.filter(delegation.registrations_filter(), workshop_id=delegation.workshop_id)
            .select_related("institution", "member_state")
            .order_by("participant_name", "pk")
        )
        return cls(
            delegation=delegation,
            approved=sum(1 for r in registrations if r.status == RegistrationStatus.APPROVED),
            registrations=registrations,
            focal_points=list(delegation.focal_points.order_by("email")),
        )

    @property
    def free(self) -> int:
        return max(self.delegation.seats - self.approved, 0)
