"""Emails after commit and capacity under concurrent decisions, against the real database.

These tests commit (transaction=True): emails leave only after a commit, and with REDIS_URL set
they are sent by a real worker process, which sees only committed rows. On PostgreSQL the
concurrent approvals race on the workshop's row lock; on SQLite on its write lock.
"""

import threading

import pytest
from django.db import connection, transaction

from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.services import (
    RegistrationExistsError,
    registration_approve,
    registration_cancel,
    registration_decline,
    registration_submit,
    registration_waitlist,
)
from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]

S = RegistrationStatus


@pytest.fixture
def organiser():
    return UserFactory(email="organiser@example.org", is_staff=True)


def test_every_status_change_sends_its_email_to_the_delegate(celery_worker_process, mailbox, organiser):
    workshop = WorkshopFactory(capacity=1, title="Workshop on Cooperation")
    first = RegistrationFactory.build(workshop=workshop, user=UserFactory(email="first@example.org"))
    registration_submit(registration=first, by=first.user)
    second = RegistrationFactory(workshop=workshop, user=UserFactory(email="second@example.org"))
    third = RegistrationFactory(workshop=workshop, user=UserFactory(email="third@example.org"))

    registration_approve(registration=first, by=organiser)
    registration_approve(registration=second, by=organiser)  # full: waitlisted
    registration_decline(registration=third, by=organiser)
    registration_cancel(registration=first, by=first.user)  # second is promoted

    # Two worker processes may send one person's emails in either order: compare them sorted.
    subjects = {
        email: sorted(m.subject for m in mailbox.wait_for(count, to=email))
        for email, count in (("first@example.org", 3), ("second@example.org", 2), ("third@example.org", 1))
    }
    assert subjects["first@example.org"] == sorted(
        [
            "Registration received: Workshop on Cooperation",
            "Registration approved: Workshop on Cooperation",
            "Registration cancelled: Workshop on Cooperation",
        ]
    )
    assert subjects["second@example.org"] == sorted(
        [
            "Placed on the waiting list: Workshop on Cooperation",
            "A seat became free: registration approved: Workshop on Cooperation",
        ]
    )
    assert subjects["third@example.org"] == ["Registration declined: Workshop on Cooperation"]
    promoted = next(m for m in mailbox.messages(to="second@example.org") if m.subject.startswith("A seat"))
    assert f"/registrations/{second.pk}/" in promoted.body
    assert "first on the waiting list" in promoted.body


def test_no_email_leaves_when_the_transaction_rolls_back(celery_worker_process, mailbox, organiser):
    workshop = WorkshopFactory()
    registration = RegistrationFactory(workshop=workshop, user=UserFactory(email="rolled@example.org"))

    def approve_then_fail():
        with transaction.atomic():
            registration_approve(registration=registration, by=organiser)
            raise RuntimeError("something later in the request failed")

    with pytest.raises(RuntimeError):
        approve_then_fail()
    registration.refresh_from_db()
    assert registration.status == S.SUBMITTED
    # A later email proves the pipeline ran; the rolled-back one never arrives before it.
    registration_waitlist(registration=registration, by=organiser)
    messages = mailbox.wait_for(1, to="rolled@example.org")
    assert [m.subject.split(":")[0] for m in messages] == ["Placed on the waiting list"]


def _in_threads(count, work):
    """Run work(index) in `count` threads started together; return what each returned or raised."""
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


def test_parallel_approvals_for_the_last_seat_approve_exactly_one(organiser):
    workshop = WorkshopFactory(capacity=3)
    for registration in RegistrationFactory.create_batch(2, workshop=workshop):
        registration_approve(registration=registration, by=organiser, notify=False)
    contenders = RegistrationFactory.create_batch(8, workshop=workshop)

    results = _in_threads(
        len(contenders), lambda i: registration_approve(registration=contenders[i], by=organiser, notify=False)
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = [Registration.objects.get(pk=r.pk).status for r in contenders]
    assert statuses.count(S.APPROVED) == 1
    assert statuses.count(S.WAITLISTED) == 7
    assert workshop.registrations.approved().count() == 3


def test_a_double_clicked_approve_changes_the_status_once(organiser, mailbox, celery_worker_process):
    workshop = WorkshopFactory(capacity=5)
    registration = RegistrationFactory(workshop=workshop, user=UserFactory(email="twice@example.org"))

    results = _in_threads(2, lambda i: registration_approve(registration=registration, by=organiser))

    assert all(r.status == S.APPROVED for r in results)
    assert len(mailbox.wait_for(1, to="twice@example.org")) == 1
    # Give a second email the time to show up if one had been sent.
    assert len(mailbox.wait_for(2, to="twice@example.org", timeout=2)) == 1


def test_parallel_identical_submissions_make_one_registration():
    workshop = WorkshopFactory()
    user = UserFactory()

    def submit(index):
        return registration_submit(
            registration=RegistrationFactory.build(workshop=workshop, user=user), by=user, notify=False
        )

    results = _in_threads(6, submit)

    assert Registration.objects.filter(workshop=workshop, user=user).count() == 1
    saved = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, RegistrationExistsError)]
    assert len(saved) == 1
    assert len(refused) == 5, results


def test_two_hundred_parallel_approvals_never_exceed_capacity(organiser):
    """200 registrations approved at once by 40 threads (a connection each) for 25 seats."""
    from concurrent.futures import ThreadPoolExecutor

    workshop = WorkshopFactory(capacity=25)
    contenders = RegistrationFactory.create_batch(200, workshop=workshop)
    barrier = threading.Barrier(40)

    def approve_share(worker: int):
        try:
            barrier.wait()
            for registration in contenders[worker::40]:
                registration_approve(registration=registration, by=organiser, notify=False)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=40) as pool:
        list(pool.map(approve_share, range(40)))

    statuses = list(Registration.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert statuses.count(S.APPROVED) == 25
    assert statuses.count(S.WAITLISTED) == 175
