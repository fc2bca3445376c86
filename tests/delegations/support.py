"""Shared by the delegations tests: delegations with their seats, and parallel runs."""

import threading

from django.db import connection

from delegations.models import Delegation
from registrations.enums import ParticipantCategory
from testkit.factories import member_state
from workshop_portal.models import Institution, Workshop


def state_delegation(workshop: Workshop, code: str, seats: int, **fields) -> Delegation:
    state = member_state(code)
    category = (
        ParticipantCategory.CENTRAL_ASIAN_STATE if state.is_central_asian else ParticipantCategory.OIC_PARTNER_STATE
    )
    return Delegation.objects.create(workshop=workshop, category=category, member_state=state, seats=seats, **fields)


def institution_delegation(workshop: Workshop, acronym: str, seats: int) -> Delegation:
    institution = Institution.objects.get(acronym=acronym)
    return Delegation.objects.create(
        workshop=workshop, category=ParticipantCategory.OIC_INSTITUTION, institution=institution, seats=seats
    )


def in_threads(count, work):
    """Run work(index) in `count` threads started together, a connection each; return what each
    returned or raised (mirrors tests/registrations/test_notifications_and_concurrency.py)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
