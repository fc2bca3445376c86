"""The delegations pages in French, Arabic (right to left) and Russian."""

import pytest
from django.urls import reverse

from delegations.models import FocalPoint
from testkit.factories import WorkshopFactory, verified_user
from tests.delegations.support import state_delegation
from tests.i18n_support import COOKIE, LANGUAGES, assert_language_of_page, assert_shows, default_language_afterwards

pytestmark = pytest.mark.django_db

__all__ = ["default_language_afterwards"]


@pytest.fixture
def focal(client):
    workshop = WorkshopFactory()
    delegation = state_delegation(workshop, "KG", seats=3)
    user = verified_user("kg.focal@example.org")
    focal_point = FocalPoint.objects.create(delegation=delegation, email=user.email)
    client.force_login(user)
    return delegation, focal_point, user


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_delegation_pages_speak_the_readers_language(client, focal, language):
    delegation, focal_point, _user = focal
    client.cookies[COOKIE] = language
    invitation = client.get(reverse("delegations:invitation", args=[focal_point.token])).content.decode()
    assert_language_of_page(invitation, language)
    assert_shows(invitation, language, "Accept the invitation")
    client.post(reverse("delegations:invitation", args=[focal_point.token]))

    page = client.get(reverse("delegations:detail", args=[delegation.pk])).content.decode()
    assert_language_of_page(page, language)
    assert_shows(page, language, "Quota and deadlines")
    assert_shows(page, language, "Nomination deadline")
    index = client.get(reverse("delegations:index")).content.decode()
    assert_language_of_page(index, language)
    assert_shows(index, language, "My delegations")
