"""Quotas under parallel approvals, against the real database (on PostgreSQL: the workshop's and
the delegation's row locks; on SQLite: its write lock). Mirrors the capacity race tests of
tests/registrations/test_notifications_and_concurrency.py."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from delegations.models import FocalPoint, Nomination
from delegations.services import nomination_create
from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from registrations.services import registration_approve
from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_state, verified_user
from tests.delegations.support import in_threads, state_delegation

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

S = RegistrationStatus
CENTRAL_ASIAN = ("KZ", "KG", "TJ", "TM", "UZ")
PARTNERS = ("TR", "EG", "MY")


@pytest.fixture
def organiser():
    return UserFactory(email="organiser@example.org", is_staff=True)


def _delegate(workshop, code):
    category = (
        ParticipantCategory.CENTRAL_ASIAN_STATE if code in CENTRAL_ASIAN else ParticipantCategory.OIC_PARTNER_STATE
    )
    return RegistrationFactory(workshop=workshop, category=category, member_state=member_state(code))


def test_parallel_approvals_for_a_states_last_seats_approve_exactly_the_quota(organiser):
    workshop = WorkshopFactory(capacity=100)
    state_delegation(workshop, "TR", seats=2)
    contenders = [_delegate(workshop, "TR") for _ in range(12)]

    results = in_threads(
        len(contenders), lambda i: registration_approve(registration=contenders[i], by=organiser, notify=False)
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 10, results
    assert {r.code for r in refused} == {"quota"}
    statuses = Counter(Registration.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert statuses == {S.APPROVED: 2, S.SUBMITTED: 10}


def test_two_hundred_parallel_approvals_keep_every_quota_and_the_capacity(organiser):
    """200 registrations of eight states approved at once by 40 threads: 15 seats in all, 3 for
    each Central Asian state and 2 for each partner state (21 offered, more than the capacity)."""
    workshop = WorkshopFactory(capacity=15)
    quotas = dict.fromkeys(CENTRAL_ASIAN, 3) | dict.fromkeys(PARTNERS, 2)
    for code, seats in quotas.items():
        state_delegation(workshop, code, seats=seats)
    codes = list(quotas)
    contenders = [_delegate(workshop, codes[i % len(codes)]) for i in range(200)]
    barrier = threading.Barrier(40)
    refusals = Counter()

    def approve_share(worker: int):
        try:
            barrier.wait()
            for registration in contenders[worker::40]:
                try:
                    registration_approve(registration=registration, by=organiser, notify=False)
                except ValidationError as error:
                    refusals[error.code] += 1
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=40) as pool:
        list(pool.map(approve_share, range(40)))

    rows = Registration.objects.filter(workshop=workshop).select_related("member_state")
    approved = Counter(r.member_state.code for r in rows if r.status == S.APPROVED)
    assert sum(approved.values()) == 15
    assert all(approved[code] <= seats for code, seats in quotas.items()), approved
    waitlisted = sum(1 for r in rows if r.status == S.WAITLISTED)
    assert waitlisted + refusals["quota"] + 15 == 200


def test_parallel_nominations_for_a_delegations_last_seats_nominate_exactly_the_quota():
    workshop = WorkshopFactory()
    delegation = state_delegation(workshop, "KZ", seats=3)
    focal = verified_user("kz.focal@example.org")
    FocalPoint.objects.create(delegation=delegation, email=focal.email, user=focal)

    results = in_threads(
        12,
        lambda i: nomination_create(
            delegation=delegation, name=f"Nominee {i}", email=f"nominee{i}@example.org", by=focal, notify=False
        ),
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 9, results
    assert {r.code for r in refused} == {"quota"}
    assert Nomination.objects.filter(delegation=delegation).count() == 3
