"""allauth's account emails, as a real SMTP server on loopback receives them: the portal's own
(its name, a text and an HTML part, no "Hello from <host>"), links on PORTAL_BASE_URL whatever host
the request came in by, and the person's language."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from testkit.factories import verified_user
from tests.smtp import BASE_URL, URL, check_portal_email, subject, tr
from workshop_portal.account_adapter import AccountAdapter

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-2012"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE_URL


def _signup(client, email, **headers):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}, **headers
    )


def _only_link(text: str, path: str) -> str:
    [link] = [link for link in URL.findall(text) if path in link]
    assert link.startswith(BASE_URL + path), link
    return link


def test_the_signup_confirmation_is_the_portals_and_its_link_works(smtp):
    client = Client(HTTP_HOST="localhost")  # not the address the links name
    _signup(client, "new.delegate@example.org")
    [message] = smtp.wait_for(1, to="new.delegate@example.org")
    text, _html = check_portal_email(message)
    assert subject(message) == "Confirm your email address"
    assert "new.delegate@example.org" in text
    link = _only_link(text, "/accounts/confirm-email/")
    # The link leads to the confirmation, and the delegate in.
    response = client.post(link.removeprefix(BASE_URL), HTTP_HOST="localhost")
    assert response.status_code == 302
    assert client.get(reverse("registrations:dashboard"), HTTP_HOST="localhost").status_code == 200


def test_someone_signing_up_on_an_arabic_page_gets_arabic_right_to_left(smtp):
    _signup(Client(), "arabic@example.org", HTTP_ACCEPT_LANGUAGE="ar")
    [message] = smtp.wait_for(1, to="arabic@example.org")
    text, html = check_portal_email(message, name=tr("ar", "Workshop portal"))
    assert subject(message) == tr("ar", "Confirm your email address")
    line = "To confirm that it is yours and finish signing up, open this link:"
    assert tr("ar", line) != line
    assert tr("ar", line) in text
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert message["Content-Language"] == "ar"
    _only_link(text, "/accounts/confirm-email/")


def test_a_password_reset_is_in_the_persons_own_language(smtp):
    verified_user("russian@example.org", language="ru")
    Client().post(reverse("account_reset_password"), {"email": "russian@example.org"}, HTTP_ACCEPT_LANGUAGE="en")
    [message] = smtp.wait_for(1, to="russian@example.org")
    text, html = check_portal_email(message, name=tr("ru", "Workshop portal"))
    assert subject(message) == tr("ru", "Choose a new password")
    line = "To choose a new password, open this link:"
    assert tr("ru", line) != line
    assert tr("ru", line) in text
    assert re.search(r"[А-Яа-я]{4}", html)
    assert 'dir="ltr"' in html
    link = _only_link(text, "/accounts/password/reset/key/")
    # The link opens the form to choose the new password.
    response = Client().get(link.removeprefix(BASE_URL), follow=True)
    assert response.status_code == 200
    assert "password1" in response.content.decode()


def test_signing_up_with_a_known_address_says_so_with_a_reset_link(smtp):
    verified_user("known@example.org")
    _signup(Client(HTTP_HOST="localhost"), "known@example.org")
    [message] = smtp.wait_for(1, to="known@example.org")
    text, _html = check_portal_email(message)
    assert subject(message) == "You already have an account"
    _only_link(text, "/accounts/password/reset/")


def test_a_reset_for_an_unknown_address_offers_to_sign_up(smtp):
    Client(HTTP_HOST="localhost").post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    [message] = smtp.wait_for(1, to="nobody@example.org")
    text, _html = check_portal_email(message)
    assert subject(message) == "No account with this address"
    _only_link(text, "/accounts/signup/")


def test_allauths_other_emails_do_not_greet_from_a_host():
    """The notifications the portal does not send today extend the same base: no "Hello from"."""
    message = AccountAdapter().render_mail(
        "account/email/password_changed", "delegate@example.org", {"ip": "192.0.2.1", "user_agent": "Chromium"}
    )
    text = message.body
    html = message.alternatives[0][0]
    assert "Your password has been changed." in text
    for body in (text, html):
        assert "Hello from" not in body
        assert "Thank you for using" not in body
