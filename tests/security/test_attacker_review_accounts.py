"""An attacker's second look at account rights: an organiser (or a delegate) going round the user
admin, through other admin pages, forged POSTs on their own page, and allauth's address page.

Each attempt is refused and the accounts, groups and allauth's addresses are left as they were.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from testkit.factories import UserFactory, staff_user, verified_user
from workshop_portal.models import User
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    user = staff_user("organiser2@example.org", ORGANISERS)
    client.force_login(user)
    return user


def _snapshot(user: User) -> tuple:
    user.refresh_from_db()
    return (
        user.password, user.email, user.is_staff, user.is_superuser, user.is_active,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
        sorted(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")),
    )  # fmt: skip


def test_an_organiser_cannot_add_permissions_to_their_group_through_the_group_admin(client, organiser):
    group = Group.objects.get(name=ORGANISERS)
    before = sorted(group.permissions.values_list("pk", flat=True))
    everything = Permission.objects.values_list("pk", flat=True)
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]), {"name": ORGANISERS, "permissions": list(everything)}
    )
    assert response.status_code == 403
    assert sorted(group.permissions.values_list("pk", flat=True)) == before
    assert client.post(reverse("admin:auth_group_add"), {"name": "Mine"}).status_code == 403
    assert not Group.objects.filter(name="Mine").exists()


def test_a_forged_post_on_their_own_page_grants_nothing(client, organiser):
    before = _snapshot(organiser)
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:workshop_portal_user_change", args=[organiser.pk]),
        {
            "email": "organiser2@example.org", "first_name": "Olga", "last_name": "O", "language": "en",
            "is_active": "on", "is_staff": "on", "is_superuser": "on",
            "groups": list(Group.objects.values_list("pk", flat=True)), "user_permissions": everything,
            "password": "pbkdf2_sha256$1$x$y", "date_joined_0": "2020-01-01", "date_joined_1": "00:00:00",
        },
    )  # fmt: skip
    assert response.status_code == 302
    after = _snapshot(organiser)
    assert after == before
    assert organiser.first_name == "Olga"  # what they may change did change: the POST was not ignored wholesale


def test_an_organiser_cannot_set_their_own_password_in_the_admin(client, organiser):
    url = reverse("admin:auth_user_password_change", args=[organiser.pk])
    before = _snapshot(organiser)
    assert client.post(url, {"password1": "An0ther-long-pass!", "password2": "An0ther-long-pass!"}).status_code == 403
    assert _snapshot(organiser) == before


def test_save_as_new_on_a_delegate_creates_no_account(client, organiser):
    delegate = UserFactory(email="delegate@example.org")
    response = client.post(
        reverse("admin:workshop_portal_user_change", args=[delegate.pk]),
        {"_saveasnew": "1", "email": "new-admin@example.org", "first_name": "N", "last_name": "A", "language": "en",
         "is_active": "on", "is_staff": "on", "is_superuser": "on"},
    )  # fmt: skip
    assert response.status_code == 403
    assert not User.objects.filter(email="new-admin@example.org").exists()


def test_an_organiser_cannot_give_themself_a_superusers_address_through_allauths_admin(client, organiser):
    boss = verified_user("boss@example.org", is_staff=True, is_superuser=True)
    before = _snapshot(boss), _snapshot(organiser)
    add = client.post(
        reverse("admin:account_emailaddress_add"),
        {"user": organiser.pk, "email": "boss2@example.org", "verified": "on", "primary": "on"},
    )
    address = EmailAddress.objects.get(user=boss)
    change = client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        {"user": organiser.pk, "email": "boss@example.org", "verified": "on", "primary": "on"},
    )
    assert (add.status_code, change.status_code) == (403, 403)
    assert (_snapshot(boss), _snapshot(organiser)) == before


def test_a_delegate_cannot_claim_a_superusers_address_that_allauth_never_recorded(client):
    boss = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)  # as createsuperuser makes it
    assert not EmailAddress.objects.filter(user=boss).exists()
    delegate = verified_user("delegate@example.org")
    client.force_login(delegate)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ROOT@example.org"})
    assert "A user is already registered with this email address." in response.content.decode()
    assert not EmailAddress.objects.filter(email__iexact="root@example.org").exists()


def test_an_address_added_before_the_refusal_cannot_be_confirmed_away_from_its_account(client):
    from allauth.account.models import EmailConfirmationHMAC

    boss = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    delegate = verified_user("delegate@example.org")
    claimed = EmailAddress.objects.create(user=delegate, email="root@example.org", verified=False, primary=False)
    key = EmailConfirmationHMAC(claimed).key
    client.post(reverse("account_confirm_email", args=[key]))
    claimed.refresh_from_db()
    assert not claimed.verified
    boss.refresh_from_db()
    assert boss.email == "root@example.org"
