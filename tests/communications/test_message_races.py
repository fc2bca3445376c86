"""Two organisers (or one double click) sending the same message at the same moment, against the
real database (PostgreSQL in CI's second pass): one send wins, the other is told it was already
sent, and every recipient gets one email."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from communications.enums import MessageStatus
from communications.models import Message, MessageText, OutboundEmail
from registrations.message_sending import message_deliver, message_send
from testkit.factories import UserFactory, WorkshopFactory, approved_delegate
from tests.conftest import outbox_sends_inline
from tests.delegations.support import in_threads

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_parallel_sends_of_one_message_queue_each_email_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    workshop = WorkshopFactory()
    for index in range(20):
        approved_delegate(workshop, "KZ", user=UserFactory(email=f"d{index}@example.org"))
    organisers = [UserFactory(email=f"organiser{i}@example.org", is_staff=True) for i in range(6)]
    message = Message.objects.create(workshop=workshop, title="Hello", audience={"statuses": ["approved"]})
    MessageText.objects.create(message=message, language="en", subject="Hello", body="Dear {first_name}")
    with outbox_sends_inline():
        results = in_threads(6, lambda i: message_send(Message.objects.get(pk=message.pk), by=organisers[i]))
        # The task delivered twice (a worker lost after its work): nothing more is queued.
        message_deliver(message.pk)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 5, results
    assert {error.code for error in refused} == {"already_sent"}
    message.refresh_from_db()
    assert (message.status, message.recipient_count) == (MessageStatus.SENT, 20)
    addresses = Counter(OutboundEmail.objects.filter(kind="message").values_list("to_address", flat=True))
    assert len(addresses) == 20
    assert set(addresses.values()) == {1}
