"""The delegations pages in French, Arabic (right to left) and Russian."""

import pytest
from django.urls import reverse

from delegations.models import FocalPoint
from testkit.factories import WorkshopFactory, verified_user
from tests.delegations.support import state_delegation
from tests.i18n_support import (
    COOKIE,
    LANGUAGES,
    assert_language_of_page,
    assert_shows,
    default_language_afterwards,
    tr,
)

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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_nomination_pages_and_email_speak_the_readers_language(
    client, focal, language, mailbox, celery_worker_process
):
    from delegations.services import nomination_create

    delegation, focal_point, user = focal
    focal_point.user = user
    focal_point.save()
    client.cookies[COOKIE] = language
    form = client.get(reverse("delegations:nominate", args=[delegation.pk])).content.decode()
    assert_language_of_page(form, language)
    assert_shows(form, language, "Nominate a delegate")
    nomination = nomination_create(
        delegation=delegation, name="Азамат", email="azamat@example.org", language=language, by=user
    )
    (email,) = mailbox.wait_for(1, to="azamat@example.org")
    assert email.subject == tr(language, "You are nominated: %(title)s", title=delegation.workshop.title)
    client.logout()
    client.cookies[COOKIE] = language
    welcome = client.get(reverse("delegations:nomination", args=[nomination.token])).content.decode()
    assert_language_of_page(welcome, language)
    assert_shows(welcome, language, "Your nomination")
