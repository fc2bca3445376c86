"""Reads of delegations, each in a fixed number of queries whatever their number."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from delegations.enums import ACTIVE_NOMINATIONS
from delegations.models import Delegation, FocalPoint, Nomination
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
    """Delegations with `nominated_count` (active nominations), `approved_count` (approved
    delegates) and `registered_count` (registrations still in the running: submitted, waitlisted
    or approved)."""
    queryset = Delegation.objects.all() if queryset is None else queryset
    status = RegistrationStatus
    nominated = (
        Nomination.objects.filter(delegation_id=OuterRef("pk"), status__in=list(ACTIVE_NOMINATIONS))
        .order_by()
        .values("delegation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("workshop", "member_state", "institution").annotate(
        nominated_count=Coalesce(Subquery(nominated, output_field=IntegerField()), Value(0)),
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


def delegation_of_focal_point(*, user: User, pk: int) -> Delegation | None:
    """The delegation, only for one of its own focal points (who act for it)."""
    return (
        Delegation.objects.select_related("workshop", "member_state", "institution")
        .filter(pk=pk, focal_points__user=user)
        .first()
    )


def delegations_of_focal_point(*, user: User) -> list[Delegation]:
    """The delegations this person speaks for, with their counts."""
    return list(
        delegations_with_counts(Delegation.objects.filter(focal_points__user=user).distinct()).order_by(
            "-workshop__start_date", "pk"
        )
    )


_delegation_documents: list[Callable[[Delegation], list]] = []


def add_delegation_documents(documents: Callable[[Delegation], list]) -> None:
    """An app above this one adds the documents a delegation's page lists (the documents app: its
    invitation letter): `documents(delegation)` returns objects with `get_kind_display`, `issued_at`
    and `download_url`, in a fixed number of queries."""
    if documents not in _delegation_documents:
        _delegation_documents.append(documents)


@dataclass
class DelegationPage:
    """What a delegation's page shows, read in a fixed number of queries."""

    delegation: Delegation
    approved: int = 0
    registrations: list[Registration] = field(default_factory=list)
    focal_points: list[FocalPoint] = field(default_factory=list)
    nominations: list[Nomination] = field(default_factory=list)
    is_focal_point: bool = False
    documents: list = field(default_factory=list)

    @classmethod
    def of(cls, delegation: Delegation, *, user: User) -> "DelegationPage":
        registrations = list(
            Registration.objects.filter(delegation.registrations_filter(), workshop_id=delegation.workshop_id)
            .select_related("institution", "member_state", "nomination")
            .order_by("participant_name", "pk")
        )
        focal_points = list(delegation.focal_points.order_by("email"))
        nominations = list(
            delegation.nominations.select_related("registration", "nominated_by", "replaced_by").order_by(
                "created_at", "pk"
            )
        )
        return cls(
            delegation=delegation,
            approved=sum(1 for r in registrations if r.status == RegistrationStatus.APPROVED),
            registrations=registrations,
            focal_points=focal_points,
            nominations=nominations,
            is_focal_point=any(f.user_id == user.pk for f in focal_points),
            documents=[document for documents in _delegation_documents for document in documents(delegation)],
        )

    @property
    def active_nominations(self) -> list[Nomination]:
        return [n for n in self.nominations if n.is_active]

    @property
    def pending(self) -> list[Registration]:
        return [r for r in self.registrations if r.status == RegistrationStatus.PENDING]

    @property
    def nominations_open(self) -> bool:
        return timezone.now() < self.delegation.deadline

    @property
    def seats_taken(self) -> int:
        """Active nominations and approved delegates without one (delegations.services.seats_taken)."""
        approved_alone = sum(
            1 for r in self.registrations if r.status == RegistrationStatus.APPROVED and not hasattr_nomination(r)
        )
        return len(self.active_nominations) + approved_alone

    @property
    def free(self) -> int:
        return max(self.delegation.seats - self.approved, 0)


def hasattr_nomination(registration: Registration) -> bool:
    """Whether the registration came through a nomination (its reverse one-to-one, read already)."""
    try:
        return registration.nomination is not None
    except Nomination.DoesNotExist:
        return False
