"""Reads of delegations, each in a fixed number of queries whatever their number."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from delegations.models import Delegation
from registrations.enums import INSTITUTION_CATEGORIES, STATE_CATEGORIES, RegistrationStatus
from registrations.models import Registration


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
