"""permissions_held answers as user.has_perm does, in one query."""

import pytest
from django.contrib.auth.models import Group, Permission

from testkit.factories import UserFactory, staff_user
from workshop_portal.models import User
from workshop_portal.roles import ORGANISERS, SECRETARIAT, permissions_held

pytestmark = pytest.mark.django_db

ASKED = (
    "registrations.view_participant_list",
    "registrations.download_participant_list",
    "registrations.add_badgebatch",
    "reports.edit_any_report",
)


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # no permission cache of has_perm's


def _expected(user) -> frozenset[str]:
    return frozenset(perm for perm in ASKED if _fresh(user).has_perm(perm))


def test_it_agrees_with_has_perm_for_each_kind_of_account(django_assert_num_queries):
    delegate = UserFactory(email="delegate@example.org")
    secretariat = staff_user("secretariat@example.org", SECRETARIAT)
    organiser = staff_user("organiser@example.org", ORGANISERS)
    granted = UserFactory(email="granted@example.org")
    granted.user_permissions.add(Permission.objects.get(codename="download_participant_list"))
    both = staff_user("both@example.org", SECRETARIAT)
    both.user_permissions.add(Permission.objects.get(codename="add_badgebatch"))
    inactive = staff_user("inactive@example.org", ORGANISERS)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    superuser = UserFactory(email="root@example.org", is_superuser=True)
    # An extra group with a permission nobody asked about changes nothing.
    Group.objects.create(name="Other").permissions.add(Permission.objects.get(codename="view_workshop"))

    assert _expected(delegate) == frozenset()
    assert _expected(granted) == {"registrations.download_participant_list"}
    assert _expected(superuser) == frozenset(ASKED)
    assert _expected(inactive) == frozenset()
    assert _expected(secretariat)  # the secretariat reads and downloads the list
    for user in (delegate, secretariat, organiser, granted, both, inactive, superuser):
        user = _fresh(user)
        queries = 0 if not user.is_active or user.is_superuser else 1
        with django_assert_num_queries(queries):
            held = permissions_held(user, ASKED)
        assert held == _expected(user), user.email


def test_it_reads_nothing_once_has_perm_has_read_the_permissions(django_assert_num_queries):
    secretariat = _fresh(staff_user("secretariat@example.org", SECRETARIAT))
    secretariat.has_perm("registrations.view_participant_list")
    expected = _expected(secretariat)
    with django_assert_num_queries(0):
        held = permissions_held(secretariat, ASKED)
    assert held == expected
