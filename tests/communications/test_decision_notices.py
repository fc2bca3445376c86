"""A decision and its notice commit together: the notice is an outbox row written in the decision's
own transaction, so a decision rolled back sends nothing and a broker that is down when the
decision is made only delays the email (the outbox's watchdog hands it to a worker later)."""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communications.delivery import outbox_watchdog
from communications.enums import EmailStatus
from communications.models import OutboundEmail
from registrations.enums import RegistrationStatus as S
from registrations.services import registration_approve, registration_decline
from testkit.factories import RegistrationFactory, WorkshopFactory, staff_user
from testkit.workers import RedisServer, broker_switched
from workshop_portal.roles import ORGANISERS


def _notices(registration) -> list[str]:
    return list(OutboundEmail.objects.filter(to_address=registration.email).values_list("kind", flat=True))


@pytest.mark.django_db
def test_the_notice_is_in_the_outbox_before_the_decision_commits_and_leaves_with_it():
    organiser = staff_user("organiser@example.org", ORGANISERS)
    registration = RegistrationFactory(workshop=WorkshopFactory(capacity=5))
    with transaction.atomic():
        registration_approve(registration=registration, by=organiser)
        assert _notices(registration) == ["registrations/email/approved"]
    assert _notices(registration) == ["registrations/email/approved"]

    other = RegistrationFactory(workshop=registration.workshop)

    def decline_then_fail():
        with transaction.atomic():
            registration_decline(registration=other, by=organiser)
            raise RuntimeError("the organiser's request failed after the decision")

    with pytest.raises(RuntimeError):
        decline_then_fail()
    other.refresh_from_db()
    assert other.status == S.SUBMITTED
    assert _notices(other) == []  # no email for a decision that never happened


@pytest.mark.requires_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_decision_made_while_the_broker_is_down_is_emailed_once_it_is_back(tmp_path):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    registration = RegistrationFactory(workshop=WorkshopFactory(capacity=5))
    server = RedisServer(tmp_path).start()
    try:
        with broker_switched(server.url):
            server.stop()
            registration_approve(registration=registration, by=organiser)  # the broker refuses the hand-over
            registration.refresh_from_db()
            assert registration.status == S.APPROVED
            row = OutboundEmail.objects.get(to_address=registration.email)
            assert (row.status, row.dispatched_at) == (EmailStatus.QUEUED, None)

            server.start()  # same port
            later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_SECONDS + 1)
            assert outbox_watchdog(now=later)["dispatched"] == 1
            row.refresh_from_db()
            assert row.dispatched_at is not None
            assert outbox_watchdog()["dispatched"] == 0  # handed over once
            from celery import current_app

            with current_app.connection_for_write() as connection:
                assert connection.default_channel.client.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 1
    finally:
        server.stop()
