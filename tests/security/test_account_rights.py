"""Who changes whose account in the admin: each staff actor, each kind of account, each page and action.

Real admin views through the test client on the real database. What each actor may do comes from
the reviewed table ACCESS below, never from workshop_portal/account_rights.py; every refused
request is checked to have left the account as it was (password hash, address, flags, roles,
permissions, allauth's addresses), and every allowed one to have changed only what it may.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from testkit.factories import UserFactory, staff_user, verified_user
from workshop_portal.models import User
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

ACTORS = ("organiser", "second_organiser", "secretariat", "superuser")
TARGETS = ("delegate", "another_organiser", "secretariat", "superuser", "themself")

# helper: a delegate's name, language and activity, the reset and verification emails;
# own: their own name and language; read_only: sees, changes nothing; none: not even the list;
# all: a superuser's, everything.
# fmt: off
ACCESS = {
    #                    delegate  another organiser  secretariat  superuser    themself
    "organiser":        ("helper", "read_only",       "read_only", "read_only", "own"),
    "second_organiser": ("helper", "read_only",       "read_only", "read_only", "own"),
    "secretariat":      ("none",   "none",            "none",      "none",      "none"),
    "superuser":        ("all",    "all",             "all",       "all",       "all"),
}
ACTIONS = ("send_password_reset", "send_verification", "make_organiser", "make_secretariat", "revoke_roles")
# sent: the email leaves, to the account's own address; skipped: reported, nothing sent; hidden: the
# action is not offered (a forged one changes nothing); applied: the roles change; 403: refused.
ACTION_OUTCOME = {
    #             reset      verification             organiser  secretariat  revoke
    "helper":    ("sent",    "sent",                  "hidden",  "hidden",    "hidden"),
    "own":       ("skipped", "skipped",               "hidden",  "hidden",    "hidden"),
    "read_only": ("skipped", "skipped",               "hidden",  "hidden",    "hidden"),
    "none":      ("403",     "403",                   "403",     "403",       "403"),
    "all":       ("sent",    "sent if not verified",  "applied", "applied",   "applied"),
}
# fmt: on
HELPER_FIELDS = {"first_name", "last_name", "language", "is_active"}
OWN_FIELDS = {"first_name", "last_name", "language"}
ALL_FIELDS = HELPER_FIELDS | {
    "email",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
    "last_login",
    "date_joined",
}
EDITABLE = {"helper": HELPER_FIELDS, "own": OWN_FIELDS, "read_only": set(), "all": ALL_FIELDS}
CASES = [(actor, target) for actor in ACTORS for target in TARGETS]
ATTACKER_PASSWORD = "attacker-pass-2024!"


def superuser_account(email: str) -> User:
    return verified_user(email, is_staff=True, is_superuser=True)


@pytest.fixture
def people():
    delegate = UserFactory(email="delegate@example.org")
    # Signed up, address not confirmed yet: the verification link can be sent again.
    EmailAddress.objects.create(user=delegate, email=delegate.email, verified=False, primary=True)
    return {
        "delegate": delegate,
        "organiser": staff_user("organiser@example.org", ORGANISERS),
        "second_organiser": staff_user("second.organiser@example.org", ORGANISERS),
        "secretariat": staff_user("secretariat@example.org", SECRETARIAT),
        "superuser": superuser_account("root@example.org"),
        "other_superuser": superuser_account("root2@example.org"),
    }


def target_of(people, actor: str, target: str) -> User:
    if target == "themself":
        return people[actor]
    if target == "another_organiser":
        return people["second_organiser" if actor == "organiser" else "organiser"]
    if target == "superuser" and actor == "superuser":
        return people["other_superuser"]
    return people[target]


def access(actor: str, target: str) -> str:
    return ACCESS[actor][TARGETS.index(target)]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def snapshot(user: User) -> dict:
    user = User.objects.filter(pk=user.pk).first()
    if user is None:
        return {"deleted": True}
    return {
        "password": user.password,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": set(user.groups.values_list("name", flat=True)),
        "user_permissions": set(user.user_permissions.values_list("codename", flat=True)),
        "addresses": set(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")),
    }


def changes(before: dict, after: dict) -> set[str]:
    return {key for key in before if before[key] != after.get(key)}


def change_url(user: User) -> str:
    return reverse("admin:workshop_portal_user_change", args=[user.pk])


def crafted_post() -> dict:
    """Everything an attacker could add to the change form, a new password and address included."""
    return {
        "email": "attacker@evil.example",
        "first_name": "Changed",
        "last_name": "By-someone",
        "language": "fr",
        # "is_active" left out: an unticked box, which deactivates where it is allowed.
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name=ORGANISERS).pk, Group.objects.get(name=SECRETARIAT).pk],
        "user_permissions": [Permission.objects.get(codename="delete_user").pk],
        "password": "md5$forged$0123456789abcdef",
        "password1": ATTACKER_PASSWORD,
        "password2": ATTACKER_PASSWORD,
        "usable_password": "true",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "10:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }


def signs_in(email: str, password: str) -> bool:
    """A real sign-in through allauth's page, as the attacker would try it."""
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": password})
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(("actor", "target"), CASES)
def test_the_change_page_offers_only_what_the_actor_may_change(people, actor, target):
    account = target_of(people, actor, target)
    response = client_for(people[actor]).get(change_url(account))
    kind = access(actor, target)
    if kind == "none":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    form = response.context["adminform"].form
    editable = {name for name, field in form.fields.items() if not field.disabled}
    assert editable == EDITABLE[kind]
    page = response.content.decode()
    # The password button and its page exist only for a superuser.
    assert (f"{account.pk}/password/" in page or 'href="../password/"' in page) == (kind == "all")


@pytest.mark.parametrize(("actor", "target"), CASES)
def test_a_crafted_change_post_changes_only_what_the_actor_may_change(
    people, actor, target, mailoutbox, django_capture_on_commit_callbacks
):
    account = target_of(people, actor, target)
    before = snapshot(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people[actor]).post(change_url(account), crafted_post())
    after = snapshot(account)
    kind = access(actor, target)
    if kind in ("none", "read_only"):
        assert response.status_code == 403
        assert after == before
        assert not mailoutbox
        return
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    if kind == "helper":
        assert changes(before, after) == HELPER_FIELDS
    elif kind == "own":
        assert changes(before, after) == OWN_FIELDS
    else:
        assert after["email"] == "attacker@evil.example"
        assert (after["is_staff"], after["is_superuser"], after["is_active"]) == (True, True, False)
        assert after["groups"] == {ORGANISERS, SECRETARIAT}
        assert after["user_permissions"] == {"delete_user"}
        # allauth's addresses follow: only the new one, to be confirmed; the link went there.
        assert after["addresses"] == {("attacker@evil.example", False, True)}
        assert [message.to for message in mailoutbox] == [["attacker@evil.example"]]
    # The change form never sets a password, not even a superuser's.
    assert after["password"] == before["password"]
    assert (after["first_name"], after["last_name"], after["language"]) == ("Changed", "By-someone", "fr")


@pytest.mark.parametrize(("actor", "target"), CASES)
def test_only_a_superuser_sets_a_password(people, actor, target):
    account = target_of(people, actor, target)
    client = client_for(people[actor])
    url = reverse("admin:auth_user_password_change", args=[account.pk])
    before = snapshot(account)
    get = client.get(url)
    post = client.post(url, {"password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD, "usable_password": "true"})
    after = snapshot(account)
    if access(actor, target) == "all":
        assert (get.status_code, post.status_code) == (200, 302)
        assert changes(before, after) == {"password"}
        assert signs_in(account.email, ATTACKER_PASSWORD) == account.is_staff  # staff addresses are verified
    else:
        assert (get.status_code, post.status_code) == (403, 403)
        assert after == before
        assert not signs_in(account.email, ATTACKER_PASSWORD)


@pytest.mark.parametrize(("actor", "target"), CASES)
def test_the_history_is_open_to_those_who_see_the_account(people, actor, target):
    account = target_of(people, actor, target)
    response = client_for(people[actor]).get(reverse("admin:workshop_portal_user_history", args=[account.pk]))
    assert response.status_code == (403 if access(actor, target) == "none" else 200)


@pytest.mark.parametrize(("actor", "target"), CASES)
def test_only_a_superuser_deletes_an_account(people, actor, target):
    account = target_of(people, actor, target)
    client = client_for(people[actor])
    url = reverse("admin:workshop_portal_user_delete", args=[account.pk])
    before = snapshot(account)
    get = client.get(url)
    post = client.post(url, {"post": "yes"})
    if access(actor, target) == "all":
        assert (get.status_code, post.status_code) == (200, 302)
        assert snapshot(account) == {"deleted": True}
    else:
        assert (get.status_code, post.status_code) == (403, 403)
        assert snapshot(account) == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("actor", "target"), CASES)
def test_each_bulk_action_respects_the_rights_of_each_account(people, actor, target, action, mailoutbox):
    account = target_of(people, actor, target)
    before = snapshot(account)
    logged_before = LogEntry.objects.filter(object_id=str(account.pk)).count()
    response = client_for(people[actor]).post(
        reverse("admin:workshop_portal_user_changelist"),
        # A forged address in the request is never where an email goes.
        {"action": action, "_selected_action": [account.pk], "email": "attacker@evil.example"},
    )
    after = snapshot(account)
    logged = LogEntry.objects.filter(object_id=str(account.pk)).count() - logged_before
    outcome = ACTION_OUTCOME[access(actor, target)][ACTIONS.index(action)]
    if outcome == "sent if not verified":
        outcome = "sent" if target == "delegate" else "skipped"
    if outcome == "403":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
    if outcome == "applied":
        assert logged == (1 if changes(before, after) else 0)
        if action == "revoke_roles":
            assert not after["groups"] & {ORGANISERS, SECRETARIAT}
            assert after["is_staff"] == after["is_superuser"]  # a superuser keeps the admin
        else:
            role = ORGANISERS if action == "make_organiser" else SECRETARIAT
            assert role in after["groups"]
            assert after["is_staff"]
            assert changes(before, after) <= {"groups", "is_staff"}
        return
    assert after == before
    assert all("attacker@evil.example" not in message.to for message in mailoutbox)
    if outcome == "sent":
        assert [message.to for message in mailoutbox] == [[account.email]]
        assert logged == 1
        messages = [str(message) for message in response.wsgi_request._messages]
        assert any(text.startswith("Sent ") and "1 person" in text for text in messages), messages
    else:
        assert not mailoutbox
        assert logged == 0
    if outcome == "skipped":
        messages = [str(message) for message in response.wsgi_request._messages]
        assert any("1 person skipped: " in text and account.email in text for text in messages), messages


@pytest.mark.parametrize("actor", ACTORS)
def test_the_user_list_offers_each_actor_only_their_actions(people, actor):
    response = client_for(people[actor]).get(reverse("admin:workshop_portal_user_changelist"))
    if actor == "secretariat":
        assert response.status_code == 403
        return
    offered = {name for name, _label in response.context["action_form"].fields["action"].choices if name}
    if actor == "superuser":
        assert offered == {"delete_selected", *ACTIONS}
    else:
        assert offered == {"send_password_reset", "send_verification"}


def test_the_attack_of_the_finding_fails_end_to_end(people, mailoutbox):
    """An organiser sets the superuser's password, then changes the superuser's address: both refused."""
    organiser, superuser = people["organiser"], people["superuser"]
    before = snapshot(superuser)
    attacker = Client()
    attacker.post(reverse("account_login"), {"login": organiser.email, "password": "correct-horse-battery"})
    assert "_auth_user_id" in attacker.session  # a real sign-in, as in the finding
    url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert attacker.get(url).status_code == 403
    response = attacker.post(
        url, {"password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 403
    assert snapshot(superuser)["password"] == before["password"]
    assert not signs_in(superuser.email, ATTACKER_PASSWORD)
    # The second half: the address, then a password reset to it.
    page = attacker.get(change_url(superuser))
    assert page.status_code == 200
    assert not {name for name, field in page.context["adminform"].form.fields.items() if not field.disabled}
    assert attacker.post(change_url(superuser), crafted_post()).status_code == 403
    assert snapshot(superuser) == before
    Client().post(reverse("account_reset_password"), {"email": "attacker@evil.example"})
    assert not any("/accounts/password/reset/key/" in message.body for message in mailoutbox)
    # The superuser still signs in with their own password.
    assert signs_in(superuser.email, "correct-horse-battery")
