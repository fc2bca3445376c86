"""The admin of accounts: its history, allauth's addresses, the service's own check, and the other
admin paths to someone else's account (erasure requests, groups, allauth's addresses).

The actor-by-account matrix of every page and action is tests/security/test_account_rights.py.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from testkit.factories import UserFactory, staff_user, verified_user
from workshop_portal.account_services import account_update
from workshop_portal.enums import ErasureStatus
from workshop_portal.models import ErasureRequest, User
from workshop_portal.roles import ORGANISERS, ROLE_PERMISSIONS, SECRETARIAT

pytestmark = pytest.mark.django_db

USERS = "admin:workshop_portal_user_changelist"


@pytest.fixture
def organiser():
    return staff_user("organiser@example.org", ORGANISERS)


@pytest.fixture
def superuser():
    return verified_user("root@example.org", is_staff=True, is_superuser=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def history_of(client, user) -> str:
    response = client.get(reverse("admin:workshop_portal_user_history", args=[user.pk]))
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _form(user, **changes):
    data = {"email": user.email, "first_name": user.first_name, "last_name": user.last_name, "language": ""}
    data.update({"is_active": "on", "date_joined_0": "2024-01-01", "date_joined_1": "09:00:00"})
    data.update(changes)
    return data


# --- The history: who changed what, and when ---------------------------------------------------


def test_the_history_shows_who_changed_which_fields(organiser, superuser):
    delegate = verified_user("delegate@example.org", first_name="Aigerim")
    client = signed_in(organiser)
    response = client.post(
        reverse("admin:workshop_portal_user_change", args=[delegate.pk]),
        {"first_name": "Aigerim", "last_name": "Nurlanovna", "language": "ru"},  # and unticks "active"
    )
    assert response.status_code == 302
    delegate.refresh_from_db()
    assert (delegate.last_name, delegate.language, delegate.is_active) == ("Nurlanovna", "ru", False)
    page = history_of(signed_in(superuser), delegate)
    assert "organiser@example.org" in page
    assert "Changed Last name, Language and Active." in page


def test_a_password_set_by_a_superuser_is_in_the_history(superuser):
    delegate = verified_user("delegate@example.org")
    client = signed_in(superuser)
    new = "a-fresh-passphrase-77"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[delegate.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    delegate.refresh_from_db()
    assert delegate.check_password(new)
    page = history_of(client, delegate)
    assert "root@example.org" in page
    assert "Changed password." in page


def test_role_changes_are_in_the_history(superuser):
    person = UserFactory(email="colleague@example.org")
    client = signed_in(superuser)
    client.post(reverse(USERS), {"action": "make_organiser", "_selected_action": [person.pk]})
    client.post(reverse(USERS), {"action": "revoke_roles", "_selected_action": [person.pk]})
    person.refresh_from_db()
    assert not person.is_staff
    entries = list(
        LogEntry.objects.filter(object_id=str(person.pk)).order_by("pk").values_list("user__email", "change_message")
    )
    assert entries == [
        ("root@example.org", "Gave the role Organisers."),
        ("root@example.org", "Took away the roles: Organisers. Took away staff status (entry to the admin)."),
    ]
    assert "Gave the role Organisers." in history_of(client, person)


def test_emails_sent_for_a_person_are_in_their_history(organiser, mailoutbox):
    delegate = UserFactory(email="delegate@example.org")
    EmailAddress.objects.create(user=delegate, email=delegate.email, verified=False, primary=True)
    client = signed_in(organiser)
    for action in ("send_password_reset", "send_verification"):
        client.post(reverse(USERS), {"action": action, "_selected_action": [delegate.pk]})
    assert [message.to for message in mailoutbox] == [["delegate@example.org"], ["delegate@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert "/accounts/confirm-email/" in mailoutbox[1].body
    page = history_of(client, delegate)
    assert "Sent a password-reset email to delegate@example.org." in page
    assert "Sent the email verification link to delegate@example.org." in page
    assert page.count("organiser@example.org") >= 2


# --- What the actions say ------------------------------------------------------------------------


def test_the_reset_action_says_who_got_the_email_and_who_was_skipped_and_why(organiser, mailoutbox):
    delegates = [verified_user(f"delegate{n}@example.org") for n in range(3)]
    gone = verified_user("gone@example.org", is_active=False)
    colleague = staff_user("colleague@example.org", SECRETARIAT)
    selected = [*delegates, gone, colleague]
    response = signed_in(organiser).post(
        reverse(USERS), {"action": "send_password_reset", "_selected_action": [p.pk for p in selected]}
    )
    assert messages_of(response) == [
        "Sent a password-reset email to 3 people.",
        "1 person skipped: only a superuser manages staff accounts (colleague@example.org).",
        "1 person skipped: the account is deactivated or closed (gone@example.org).",
    ]
    assert sorted(message.to[0] for message in mailoutbox) == [p.email for p in delegates]


def test_the_reset_email_is_in_the_persons_language(organiser, mailoutbox):
    english = verified_user("en@example.org")
    french = verified_user("fr@example.org", language="fr")
    signed_in(organiser).post(
        reverse(USERS), {"action": "send_password_reset", "_selected_action": [english.pk, french.pk]}
    )
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    for email, language in (("en@example.org", "en"), ("fr@example.org", "fr")):
        with translation.override(language):
            expected = render_to_string("account/email/password_reset_key_subject.txt").strip()
        assert subjects[email] == expected


def test_the_verification_link_is_not_sent_for_a_confirmed_address(superuser, mailoutbox):
    confirmed = verified_user("confirmed@example.org")
    response = signed_in(superuser).post(
        reverse(USERS), {"action": "send_verification", "_selected_action": [confirmed.pk]}
    )
    assert "1 person skipped: the address is already verified (confirmed@example.org)." in messages_of(response)
    assert not mailoutbox


# --- allauth's addresses follow User.email -----------------------------------------------------


def test_a_new_address_replaces_the_old_one_and_waits_for_confirmation(
    superuser, mailoutbox, django_capture_on_commit_callbacks
):
    delegate = verified_user("old@example.org")
    client = signed_in(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:workshop_portal_user_change", args=[delegate.pk]), _form(delegate, email="New@Example.org")
        )
    assert response.status_code == 302
    delegate.refresh_from_db()
    assert delegate.email == "new@example.org"
    assert set(EmailAddress.objects.filter(user=delegate).values_list("email", "verified", "primary")) == {
        ("new@example.org", False, True)
    }
    assert [message.to for message in mailoutbox] == [["new@example.org"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    # The old address reaches the account no more: a reset asked for it sends no link.
    mailoutbox.clear()
    Client().post(reverse("account_reset_password"), {"email": "old@example.org"})
    assert not any("/accounts/password/reset/key/" in message.body for message in mailoutbox)
    # Until the new address is confirmed, signing in leads to "verify your email".
    login = Client().post(reverse("account_login"), {"login": "new@example.org", "password": "correct-horse-battery"})
    assert login["Location"] == reverse("account_email_verification_sent")
    page = history_of(client, delegate)
    assert "Changed Email address" in page


def test_an_address_another_account_holds_in_allauth_is_refused(superuser):
    delegate = verified_user("delegate@example.org")
    other = UserFactory(email="other@example.org")
    EmailAddress.objects.create(user=other, email="second@example.org", verified=True, primary=False)
    response = signed_in(superuser).post(
        reverse("admin:workshop_portal_user_change", args=[delegate.pk]), _form(delegate, email="second@example.org")
    )
    assert response.status_code == 200
    assert "This address belongs to another account." in response.content.decode()
    delegate.refresh_from_db()
    assert delegate.email == "delegate@example.org"


# --- The service checks for itself ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("is_superuser", True), ("is_staff", True), ("email", "attacker@evil.example"), ("password", "md5$x$forged")],
)
def test_the_service_refuses_a_change_outside_the_actors_rights_whatever_the_form(organiser, field, value):
    delegate = verified_user("delegate@example.org")
    before = User.objects.filter(pk=delegate.pk).values().get()
    setattr(delegate, field, value)
    delegate.first_name = "Allowed"
    with pytest.raises(PermissionDenied):
        account_update(actor=organiser, account=delegate, changed_fields=["first_name"])
    assert User.objects.filter(pk=delegate.pk).values().get() == before
    with pytest.raises(PermissionDenied):
        account_update(actor=organiser, account=delegate, changed_fields=["first_name", "groups"])


def test_the_service_saves_a_change_within_the_actors_rights(organiser):
    delegate = verified_user("delegate@example.org")
    delegate.first_name = "Corrected"
    account_update(actor=organiser, account=delegate, changed_fields=["first_name"])
    assert User.objects.get(pk=delegate.pk).first_name == "Corrected"


# --- Erasure requests ----------------------------------------------------------------------------


def _carry_out(client, *people):
    requests = [ErasureRequest.objects.create(user=person, email=person.email, reason="") for person in people]
    response = client.post(
        reverse("admin:workshop_portal_erasurerequest_changelist"),
        {"action": "carry_out", "_selected_action": [r.pk for r in requests]},
    )
    return response, requests


def test_an_organiser_cannot_erase_a_staff_account(organiser, django_capture_on_commit_callbacks):
    colleague = staff_user("colleague@example.org", ORGANISERS)
    secretary = staff_user("secretary@example.org", SECRETARIAT)
    with django_capture_on_commit_callbacks(execute=True):
        response, requests = _carry_out(signed_in(organiser), colleague, secretary)
    refusal = "holds staff rights: only a superuser carries out the erasure of a staff account."
    for email in ("colleague@example.org", "secretary@example.org"):
        assert f"{email}: {email} {refusal}" in messages_of(response)
    for person, request in zip((colleague, secretary), requests, strict=True):
        request.refresh_from_db()
        assert request.status == ErasureStatus.REQUESTED
        person.refresh_from_db()
        assert person.is_active
        assert person.is_staff
        assert person.groups.exists()


def test_a_superuser_erases_a_staff_account_and_an_organiser_a_delegate_both_recorded(
    organiser, superuser, django_capture_on_commit_callbacks
):
    secretary = staff_user("secretary@example.org", SECRETARIAT)
    delegate = verified_user("delegate@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _carry_out(signed_in(superuser), secretary)
        _carry_out(signed_in(organiser), delegate)
    for person, by in ((secretary, "root@example.org"), (delegate, "organiser@example.org")):
        person.refresh_from_db()
        assert not person.is_active
        assert not person.groups.exists()
        entry = LogEntry.objects.get(object_id=str(person.pk))
        assert entry.user.email == by
        assert entry.change_message == "Closed and anonymised the account: erasure request carried out."
        assert entry.object_repr == person.email  # the anonymised address, not the old one


# --- The other admin paths to rights: groups and allauth's addresses ------------------------------


def test_organisers_only_view_groups_and_cannot_add_permissions_to_them(organiser):
    assert [name for name in ROLE_PERMISSIONS[ORGANISERS] if name.startswith("auth.")] == ["auth.view_group"]
    group = Group.objects.get(name=ORGANISERS)
    before = set(group.permissions.values_list("pk", flat=True))
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    client = signed_in(organiser)
    change = reverse("admin:auth_group_change", args=[group.pk])
    assert client.get(change).status_code == 200  # read-only
    assert client.post(change, {"name": ORGANISERS, "permissions": every_permission}).status_code == 403
    response = client.post(reverse("admin:auth_group_add"), {"name": "Root", "permissions": every_permission})
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Root").exists()
    assert not organiser.has_perm("auth.change_group")


def test_organisers_cannot_touch_allauths_addresses(organiser, superuser):
    address = EmailAddress.objects.get(user=superuser)
    client = signed_in(organiser)
    change = reverse("admin:account_emailaddress_change", args=[address.pk])
    assert client.get(change).status_code == 403
    forged = {"user": organiser.pk, "email": "attacker@evil.example", "verified": "on", "primary": "on"}
    assert client.post(change, forged).status_code == 403
    assert client.post(reverse("admin:account_emailaddress_add"), forged).status_code == 403
    response = client.post(
        reverse("admin:account_emailaddress_changelist"), {"action": "make_verified", "_selected_action": [address.pk]}
    )
    assert response.status_code == 403
    assert set(EmailAddress.objects.values_list("user", "email", "verified")) == {
        (organiser.pk, "organiser@example.org", True),
        (superuser.pk, "root@example.org", True),
    }
