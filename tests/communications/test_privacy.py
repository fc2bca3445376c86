"""What the outbox holds on a person: listed in their data, erased with them, its bodies purged with
a past workshop, old rows deleted."""

import datetime

import pytest
from django.utils import timezone

from communications.delivery import outbox_purge_old
from communications.enums import EmailStatus
from communications.models import OutboundEmail
from communications.services import MESSAGE_TEMPLATE, Recipient, email_queue
from privacy.erasure import erasure_carry_out, erasure_request_create
from privacy.purge import workshop_purge_personal_data
from testkit.factories import WorkshopFactory, staff_user, verified_user
from tests.privacy.support import move_to_the_past
from workshop_portal import personal_data
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db


def _source():
    return next(source for source in personal_data.sources() if source.key == "communications")


@pytest.fixture
def sent(mailbox, django_capture_on_commit_callbacks):
    """Two emails to a delegate (one by address only), one to somebody else, all sent."""
    workshop = WorkshopFactory()
    person = verified_user("person@example.org")
    other = verified_user("other@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            template=MESSAGE_TEMPLATE,
            recipients=[
                Recipient(address=person.email, language="en", user=person),
                Recipient(address="PERSON@example.org", language="en"),
                Recipient(address=other.email, language="en", user=other),
            ],
            context={"subject": "Welcome", "body": "Practical information"},
            workshop=workshop,
        )
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    return workshop, person, other


def test_a_person_sees_and_exports_the_emails_sent_to_them(sent):
    _workshop, person, _other = sent
    [item] = _source().summary(person)
    assert dict(item.details)["Emails"] == 2
    exported = _source().export(person).data
    assert [(row["to"], row["subject"], row["status"]) for row in exported] == [
        ("person@example.org", "Welcome", "sent"),
        ("PERSON@example.org", "Welcome", "sent"),
    ]


def test_an_erasure_removes_their_emails_and_no_one_elses(sent, django_capture_on_commit_callbacks):
    _workshop, person, other = sent
    organiser = staff_user("organiser@example.org", ORGANISERS)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_carry_out(request=erasure_request_create(user=person, reason="Left"), by=organiser)
    assert not OutboundEmail.objects.filter(to_address__iexact="person@example.org").exists()
    assert OutboundEmail.objects.filter(to_address=other.email).count() == 1


def test_the_purge_of_a_past_workshop_removes_the_bodies_and_keeps_the_record(sent, settings):
    workshop, _person, _other = sent
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    move_to_the_past(workshop, ended_days_ago=40)
    cleanup = workshop_purge_personal_data(workshop=workshop, by=None)
    assert "email bodies removed from the outbox: 3" in cleanup.describe()
    rows = OutboundEmail.objects.filter(workshop=workshop)
    assert {(row.text, row.html, row.subject, row.status) for row in rows} == {("", "", "Welcome", EmailStatus.SENT)}
    assert all(row.body_removed_at for row in rows)


def test_rows_past_the_outbox_retention_are_deleted(sent, settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    old = OutboundEmail.objects.order_by("pk").first()
    OutboundEmail.objects.filter(pk=old.pk).update(queued_at=timezone.now() - datetime.timedelta(days=31))
    assert outbox_purge_old() == 1
    assert not OutboundEmail.objects.filter(pk=old.pk).exists()
    assert OutboundEmail.objects.count() == 2
