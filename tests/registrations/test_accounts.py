"""Sign-up, email verification, login and its rate limit, through allauth's real pages."""

import re

import pytest
from django.urls import reverse

from testkit.factories import verified_user
from workshop_portal.models import User

pytestmark = pytest.mark.django_db


def _signup(client, email="new.delegate@example.org", password="a-long-passphrase-2012"):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def test_signup_sends_a_verification_link_and_login_waits_for_it(client, mailoutbox):
    response = _signup(client)
    assert response.status_code == 302
    assert User.objects.filter(email="new.delegate@example.org").exists()
    assert len(mailoutbox) == 1
    assert "confirm" in mailoutbox[0].body.lower()
    # Not verified yet: logging in leads back to "verify your email", not to the dashboard.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.delegate@example.org", "password": "a-long-passphrase-2012"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("registrations:dashboard")).status_code == 302


def test_following_the_verification_link_logs_the_delegate_in(client, mailoutbox):
    _signup(client)
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 302
    assert client.get(reverse("registrations:dashboard")).status_code == 200


def test_login_by_email_reaches_the_dashboard(client):
    verified_user("delegate@example.org")
    response = client.post(
        reverse("account_login"), {"login": "delegate@example.org", "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("registrations:dashboard")


def test_the_session_key_changes_at_login(client):
    verified_user("delegate@example.org")
    client.get(reverse("account_login"))
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": "delegate@example.org", "password": "correct-horse-battery"})
    assert client.session.session_key != before


def test_repeated_failed_logins_are_rate_limited(client):
    verified_user("delegate@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "delegate@example.org", "password": "wrong"})
    # Even the right password is refused while the limit lasts.
    response = client.post(
        reverse("account_login"), {"login": "delegate@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_goes_through_the_rate_limited_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response["Location"]


def test_a_delegate_cannot_enter_the_admin(client):
    client.force_login(verified_user("delegate@example.org"))
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/login/").status_code == 403


def test_password_reset_sends_an_email(client, mailoutbox):
    verified_user("delegate@example.org")
    client.post(reverse("account_reset_password"), {"email": "delegate@example.org"})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_logout_ends_the_session(client):
    client.force_login(verified_user("delegate@example.org"))
    client.post(reverse("account_logout"))
    assert client.get(reverse("registrations:dashboard")).status_code == 302


def test_the_session_dies_at_logout(client):
    from django.contrib.sessions.models import Session

    verified_user("delegate@example.org")
    client.post(reverse("account_login"), {"login": "delegate@example.org", "password": "correct-horse-battery"})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie gets nobody in.
    client.cookies["sessionid"] = key
    assert client.get(reverse("registrations:dashboard")).status_code == 302
