"""Account emails (allauth) go out at once from the web process and are recorded in the outbox
without their one-time links: the database never holds a way into someone's account."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from communications.enums import EmailStatus
from communications.models import OutboundEmail
from testkit.factories import UserFactory, verified_user
from tests.smtp import parts

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s<>\"']+")


def test_a_password_reset_arrives_with_its_link_and_is_recorded_without_it(smtp_server, settings):
    settings.PORTAL_REPLY_TO = "secretariat@example.org"
    server = smtp_server()
    verified_user("person@example.org")
    Client().post(reverse("account_reset_password"), {"email": "person@example.org"})
    # Sent at once, by the request itself: no worker, no on-commit.
    [received] = server.received("person@example.org")
    text, html = parts(received.message())
    assert received.message()["Auto-Submitted"] == "auto-generated"
    assert received.message()["Reply-To"] == "secretariat@example.org"
    [link] = [url for url in LINK.findall(text) if "/password/reset/key/" in url]
    row = OutboundEmail.objects.get(to_address="person@example.org")
    assert (row.status, row.kind, row.redacted, row.attempts) == (
        EmailStatus.SENT,
        "account/email/password_reset_key",
        True,
        1,
    )
    assert row.message_id == received.message_id
    assert row.user.email == "person@example.org"
    secret = link.rsplit("/key/", 1)[1].strip("/")
    for stored in (row.subject, row.text, row.html, str(row.headers)):
        assert secret not in stored
        assert "/password/reset/key/" + secret not in stored
    assert "[…]" in row.text
    assert "[…]" in row.html
    assert secret in html  # the person got it


def test_a_signup_confirmation_is_recorded_without_its_key(smtp_server):
    server = smtp_server()
    Client().post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "x-Long-pass-1", "password2": "x-Long-pass-1"},
    )
    [received] = server.received("new@example.org")
    text, _html = parts(received.message())
    [link] = [url for url in LINK.findall(text) if "/confirm-email/" in url]
    key = link.rstrip("/").rsplit("/", 1)[1]
    row = OutboundEmail.objects.get(to_address="new@example.org")
    assert row.status == EmailStatus.SENT
    assert row.redacted
    assert key not in row.text
    assert key not in row.html


def test_an_account_email_the_server_refuses_is_recorded_failed_and_not_retried(smtp_server):
    smtp_server(refuse={"gone@example.org": "550 5.1.1 Mailbox unavailable"})
    UserFactory(email="gone@example.org")
    response = Client().post(reverse("account_reset_password"), {"email": "gone@example.org"})
    assert response.status_code == 302  # the person is told to look at their mail, as for any address
    row = OutboundEmail.objects.get(to_address="gone@example.org")
    assert (row.status, row.last_error_code) == (EmailStatus.FAILED, 550)
    assert "Mailbox unavailable" in row.last_error


def test_an_account_email_while_the_server_is_down_fails_at_once_with_the_reason(smtp_down):
    UserFactory(email="someone@example.org")
    Client().post(reverse("account_reset_password"), {"email": "someone@example.org"})
    row = OutboundEmail.objects.get(to_address="someone@example.org")
    # Not left waiting to retry: the stored text has no link to send.
    assert (row.status, row.attempts, row.next_attempt_at) == (EmailStatus.FAILED, 1, None)
    assert "ConnectionRefusedError" in row.last_error
