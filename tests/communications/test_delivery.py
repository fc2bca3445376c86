"""The outbox against a real SMTP server on loopback (aiosmtpd): what arrives, in which language,
and what each row records when the server refuses a recipient, drops the connection or is down."""

import datetime
import re
from collections import Counter

import pytest
from django.utils import timezone

from communications.delivery import outbox_watchdog
from communications.enums import EmailStatus
from communications.models import OutboundEmail
from communications.services import MESSAGE_TEMPLATE, Recipient, email_queue
from registrations.emails import registration_email_send
from registrations.enums import RegistrationNotice
from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory
from tests.smtp import ISOLATES, parts, tr

pytestmark = pytest.mark.django_db


def _queue(captured, addresses, *, workshop=None, key_prefix="test", body="Hello {address}"):
    with captured(execute=True):
        return email_queue(
            template=MESSAGE_TEMPLATE,
            recipients=[
                Recipient(
                    address=address,
                    language="en",
                    context={"body": body.format(address=address)},
                    dedupe_key=f"{key_prefix}:{address}",
                )
                for address in addresses
            ],
            context={"subject": "A note from the organisers"},
            workshop=workshop,
            kind="test.note",
        )


def _statuses() -> Counter:
    return Counter(OutboundEmail.objects.values_list("status", flat=True))


def _later(minutes: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_each_recipient_gets_their_own_language_and_the_row_records_what_was_sent(
    smtp_server, django_capture_on_commit_callbacks
):
    server = smtp_server()
    workshop = WorkshopFactory(title="Workshop on Cooperation", contact_email="organisers@example.org")
    for language in ("en", "fr", "ar", "ru"):
        user = UserFactory(email=f"{language}@example.org", language=language)
        registration = RegistrationFactory(workshop=workshop, user=user, participant_name="Aida Bek")
        with django_capture_on_commit_callbacks(execute=True):
            registration_email_send(registration=registration, notice=RegistrationNotice.APPROVED)
    assert len(server.wait_for(4)) == 4
    for language in ("en", "fr", "ar", "ru"):
        [received] = server.received(f"{language}@example.org")
        message = received.message()
        row = OutboundEmail.objects.get(to_address=f"{language}@example.org")
        assert (row.status, row.attempts, row.language, row.workshop) == (EmailStatus.SENT, 1, language, workshop)
        assert row.sent_at is not None
        assert row.handed_over_at is not None
        assert row.last_error == ""
        # What the row says was sent is what arrived.
        assert message["Message-ID"] == row.message_id == received.message_id
        assert str(message["Subject"]).split() == row.subject.split()
        text, html = parts(message)
        assert text.split() == ISOLATES.sub("", row.text).split()
        assert html.split() == ISOLATES.sub("", row.html).split()
        # Email quality: the portal's name, Reply-To the organisers, automatic, language and direction.
        sender = message["From"].addresses[0]
        assert sender.display_name == tr(language, "Workshop portal")
        assert message["Reply-To"] == "organisers@example.org"
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Content-Language"] == language
        assert f'lang="{language}"' in html
        assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html
        assert tr(language, "Dear %(name)s,", name="Aida Bek") in text
    assert re.search(r"[\u0600-\u06ff]{4}", parts(server.received("ar@example.org")[0].message())[0])
    assert re.search(r"[А-Яа-я]{4}", parts(server.received("ru@example.org")[0].message())[0])


def test_the_reply_to_falls_back_to_the_setting_then_to_none(smtp_server, settings, django_capture_on_commit_callbacks):
    server = smtp_server()
    settings.PORTAL_REPLY_TO = "secretariat@example.org"
    _queue(django_capture_on_commit_callbacks, ["a@example.org"], workshop=WorkshopFactory(contact_email=""))
    settings.PORTAL_REPLY_TO = ""
    _queue(django_capture_on_commit_callbacks, ["b@example.org"], key_prefix="other")
    server.wait_for(2)
    assert server.received("a@example.org")[0].message()["Reply-To"] == "secretariat@example.org"
    assert server.received("b@example.org")[0].message()["Reply-To"] is None


def test_the_same_notice_is_queued_and_sent_once(smtp_server, django_capture_on_commit_callbacks):
    server = smtp_server()
    first = _queue(django_capture_on_commit_callbacks, ["a@example.org", "b@example.org"])
    again = _queue(django_capture_on_commit_callbacks, ["a@example.org", "b@example.org", "c@example.org"])
    assert len(first) == 2
    assert len(again) == 1
    server.wait_for(3)
    assert sorted(r.recipients[0] for r in server.received()) == ["a@example.org", "b@example.org", "c@example.org"]
    # A message delivered again to a worker finds nothing left to send.
    from communications.delivery import send_batch

    assert send_batch(first) == {}
    assert len(server.received()) == 3


def test_a_server_that_refuses_some_recipients_fails_those_and_sends_the_others(
    smtp_server, django_capture_on_commit_callbacks
):
    server = smtp_server(
        refuse={"nobody@example.org": "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown"},
        refuse_once={"busy@example.org": "451 4.7.1 Greylisted, please try again later"},
    )
    addresses = ["a@example.org", "nobody@example.org", "busy@example.org", "b@example.org"]
    _queue(django_capture_on_commit_callbacks, addresses)
    assert sorted(r.recipients[0] for r in server.received()) == ["a@example.org", "b@example.org"]
    refused = OutboundEmail.objects.get(to_address="nobody@example.org")
    assert (refused.status, refused.last_error_code, refused.attempts) == (EmailStatus.FAILED, 550, 1)
    assert refused.handed_over_at is None  # refused at RCPT: the content never left
    assert "User unknown" in refused.last_error
    assert refused.last_error.startswith("550 ")
    busy = OutboundEmail.objects.get(to_address="busy@example.org")
    assert (busy.status, busy.last_error_code) == (EmailStatus.RETRYING, 451)
    assert "Greylisted" in busy.last_error
    assert timezone.now() + datetime.timedelta(seconds=50) < busy.next_attempt_at < _later(1.1)

    # Not due yet: the watchdog leaves it; a minute later it sends it, once.
    assert outbox_watchdog()["dispatched"] == 0
    assert outbox_watchdog(now=_later(2))["dispatched"] == 1
    busy.refresh_from_db()
    assert (busy.status, busy.attempts, busy.last_error) == (EmailStatus.SENT, 2, "")
    assert server.message_ids()[busy.message_id] == 1
    assert _statuses() == {EmailStatus.SENT: 3, EmailStatus.FAILED: 1}


def test_a_connection_dropped_mid_batch_costs_one_attempt_of_one_email_and_no_duplicate(
    smtp_server, django_capture_on_commit_callbacks
):
    server = smtp_server(drop_after=3)
    addresses = [f"d{n}@example.org" for n in range(10)]
    ids = _queue(django_capture_on_commit_callbacks, addresses)
    # Three per connection: the 4th and 8th find the connection gone, the rest go on a new one.
    assert server.dropped == 2
    retrying = OutboundEmail.objects.filter(status=EmailStatus.RETRYING).order_by("pk")
    assert [row.pk for row in retrying] == [ids[3], ids[7]]
    assert all("SMTPServerDisconnected" in row.last_error and row.last_error_code is None for row in retrying)
    assert _statuses()[EmailStatus.SENT] == 8
    outbox_watchdog(now=_later(2))
    assert _statuses() == {EmailStatus.SENT: 10}
    counts = server.message_ids()
    assert len(counts) == 10
    assert max(counts.values()) == 1
    assert set(counts) == set(OutboundEmail.objects.values_list("message_id", flat=True))


def test_a_server_that_is_down_is_retried_with_back_off_then_the_emails_fail(
    smtp_down, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    _queue(django_capture_on_commit_callbacks, ["a@example.org", "b@example.org", "c@example.org"])
    rows = list(OutboundEmail.objects.order_by("pk"))
    assert {(row.status, row.attempts) for row in rows} == {(EmailStatus.RETRYING, 1)}
    assert all("ConnectionRefusedError" in row.last_error for row in rows)
    # 1 minute, then 5: not before.
    assert outbox_watchdog(now=_later(0.5))["dispatched"] == 0
    assert outbox_watchdog(now=_later(1.5))["dispatched"] == 3
    rows = list(OutboundEmail.objects.order_by("pk"))
    assert {(row.status, row.attempts) for row in rows} == {(EmailStatus.RETRYING, 2)}
    assert all(_later(4.5) < row.next_attempt_at < _later(5.5) for row in rows)
    outbox_watchdog(now=_later(6))
    rows = list(OutboundEmail.objects.order_by("pk"))
    assert {(row.status, row.attempts, row.next_attempt_at) for row in rows} == {(EmailStatus.FAILED, 3, None)}
    assert all("ConnectionRefusedError" in row.last_error for row in rows)
    # Failed rows are not sent again by themselves.
    assert outbox_watchdog(now=_later(120))["dispatched"] == 0


def test_a_queued_email_the_broker_never_took_is_sent_by_the_watchdog(smtp_server):
    server = smtp_server()
    # Queued in a transaction that commits, but the hand-over to a worker never happened.
    [pk] = email_queue(
        template=MESSAGE_TEMPLATE,
        recipients=[Recipient(address="late@example.org", language="en", context={"body": "Hi"})],
        context={"subject": "Late"},
    )  # inside the test's transaction: its on-commit never runs
    assert OutboundEmail.objects.get(pk=pk).dispatched_at is None
    assert outbox_watchdog()["dispatched"] == 1
    assert OutboundEmail.objects.get(pk=pk).status == EmailStatus.SENT
    assert len(server.received("late@example.org")) == 1


def test_a_worker_that_vanished_leaves_its_unsent_rows_to_others_and_its_handed_over_row_uncertain(
    smtp_server, settings
):
    server = smtp_server()
    rows = [
        OutboundEmail.objects.get(pk=pk)
        for pk in email_queue(
            template=MESSAGE_TEMPLATE,
            recipients=[
                Recipient(address=f"w{n}@example.org", language="en", context={"body": "Hi"}) for n in range(3)
            ],
            context={"subject": "S"},
        )
    ]
    # As a killed worker leaves them: all three claimed, the first handed to the server.
    claimed = timezone.now() - datetime.timedelta(seconds=settings.OUTBOX_STALE_SECONDS + 5)
    OutboundEmail.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=EmailStatus.SENDING, claim_token="dead", claimed_at=claimed, dispatched_at=claimed
    )
    OutboundEmail.objects.filter(pk=rows[0].pk).update(handed_over_at=claimed, attempts=1)
    figures = outbox_watchdog()
    assert figures == {"requeued": 2, "uncertain": 1, "dispatched": 2}
    first = OutboundEmail.objects.get(pk=rows[0].pk)
    assert first.status == EmailStatus.UNCERTAIN
    assert "may have been delivered" in first.last_error
    assert [r.recipients[0] for r in server.received()] == ["w1@example.org", "w2@example.org"]
    # A fresh claim elsewhere is not stale: the watchdog leaves it alone.
    OutboundEmail.objects.filter(pk=rows[1].pk).update(status=EmailStatus.SENDING, claimed_at=timezone.now())
    assert outbox_watchdog()["requeued"] == 0
