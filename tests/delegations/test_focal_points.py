"""Focal points: designated by the organisers, invited by email, and their delegation's page."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from delegations.models import FocalPoint
from delegations.services import focal_point_accept, focal_point_designate
from registrations.enums import ParticipantCategory, RegistrationStatus
from testkit.factories import RegistrationFactory, WorkshopFactory, member_state, staff_user, verified_user
from tests.delegations.support import state_delegation
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return staff_user("organiser@example.org", ORGANISERS)


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Workshop on Water")


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_person_with_an_account_becomes_focal_point_at_once_and_is_told_in_their_language(
    workshop, organiser, mailbox, celery_worker_process
):
    person = verified_user("focal@example.org", language="ru")
    delegation = state_delegation(workshop, "KZ", seats=3)

    focal_point = focal_point_designate(delegation=delegation, email="Focal@Example.org ", by=organiser)

    assert (focal_point.user, focal_point.email, focal_point.designated_by) == (person, "focal@example.org", organiser)
    (message,) = mailbox.wait_for(1, to="focal@example.org")
    assert message.subject == "Координатор делегации (Казахстан): Workshop on Water"
    assert f"/delegations/{delegation.pk}/" in message.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_invitation_survives_sign_up_and_email_confirmation(
    client, workshop, organiser, mailbox, celery_worker_process
):
    delegation = state_delegation(workshop, "TJ", seats=3)
    focal_point_designate(delegation=delegation, email="new.focal@example.org", language="fr", by=organiser)
    (invitation,) = mailbox.wait_for(1, to="new.focal@example.org")
    assert invitation.subject == "Correspondant de délégation (Tadjikistan)\u00a0: Workshop on Water"
    link = re.search(r"https?://\S+/delegations/invitations/\S+/", invitation.body).group(0)

    page = client.get(_path(link))
    assert page.status_code == 200
    signup = page.context["signup_url"]
    response = client.post(
        signup,
        {
            "email": "new.focal@example.org",
            "password1": "a-long-passphrase-2012",
            "password2": "a-long-passphrase-2012",
        },
    )
    assert response.status_code == 302
    confirmation = mailbox.wait_for(2, to="new.focal@example.org")[-1]
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    client.post(_path(confirm))

    focal_point = FocalPoint.objects.get(delegation=delegation)
    assert focal_point.user.email == "new.focal@example.org"
    assert client.get(reverse("delegations:detail", args=[delegation.pk])).status_code == 200


def test_a_signed_in_person_accepts_an_invitation_once(client, workshop, organiser):
    delegation = state_delegation(workshop, "TJ", seats=3)
    focal_point = focal_point_designate(delegation=delegation, email="later@example.org", by=organiser)
    person = verified_user("someone@example.org")
    client.force_login(person)
    url = reverse("delegations:invitation", args=[focal_point.token])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == reverse("delegations:detail", args=[delegation.pk])
    with pytest.raises(ValidationError, match="already been accepted with another account"):
        focal_point_accept(token=focal_point.token, user=verified_user("thief@example.org"))
    focal_point.refresh_from_db()
    assert focal_point.user == person


def test_the_same_person_cannot_be_designated_twice_for_a_delegation(workshop, organiser):
    delegation = state_delegation(workshop, "KZ", seats=3)
    focal_point_designate(delegation=delegation, email="twice@example.org", by=organiser)
    with pytest.raises(ValidationError) as refused:
        focal_point_designate(delegation=delegation, email="TWICE@example.org", by=organiser)
    assert refused.value.message_dict == {"email": ["twice@example.org is already a focal point of Kazakhstan."]}
    assert FocalPoint.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_organisers_designate_focal_points_in_the_admin(client, workshop, organiser, mailbox, celery_worker_process):
    delegation = state_delegation(workshop, "UZ", seats=3)
    client.force_login(organiser)
    add = reverse("admin:delegations_focalpoint_add")
    fields = {"delegation": delegation.pk, "email": "uz@example.org", "name": "Dilnoza", "language": "en"}
    assert client.post(add, fields).status_code == 302
    assert FocalPoint.objects.get().designated_by == organiser
    assert len(mailbox.wait_for(1, to="uz@example.org")) == 1
    again = client.post(add, fields)
    assert again.status_code == 200
    assert "uz@example.org is already a focal point of Uzbekistan." in again.content.decode()


def test_a_focal_point_sees_its_delegation_and_never_another_states(client, workshop, organiser):
    kazakh = state_delegation(workshop, "KZ", seats=3)
    turkish = state_delegation(workshop, "TR", seats=2)
    focal = verified_user("kz.focal@example.org")
    focal_point_designate(delegation=kazakh, email=focal.email, by=organiser)
    RegistrationFactory(workshop=workshop, participant_name="Aigerim Sadykova", status=RegistrationStatus.APPROVED)
    RegistrationFactory(
        workshop=workshop,
        participant_name="Mehmet Yilmaz",
        category=ParticipantCategory.OIC_PARTNER_STATE,
        member_state=member_state("TR"),
    )
    client.force_login(focal)

    page = client.get(reverse("delegations:detail", args=[kazakh.pk]))
    html = page.content.decode()
    assert "Aigerim Sadykova" in html
    assert "Mehmet Yilmaz" not in html
    assert 'data-seats="3"' in html
    assert 'data-approved="1"' in html
    assert client.get(reverse("delegations:detail", args=[turkish.pk])).status_code == 404
    index = client.get(reverse("delegations:index")).content.decode()
    assert "Kazakhstan" in index
    assert "Türkiye" not in index
    # The organisers see every delegation.
    client.force_login(organiser)
    assert client.get(reverse("delegations:detail", args=[turkish.pk])).status_code == 200


def test_the_delegation_page_costs_the_same_queries_with_more_delegates(
    client, workshop, organiser, django_assert_num_queries
):
    delegation = state_delegation(workshop, "KZ", seats=3)
    focal = verified_user("kz.focal@example.org")
    focal_point_designate(delegation=delegation, email=focal.email, by=organiser)
    RegistrationFactory(workshop=workshop)
    client.force_login(focal)
    url = reverse("delegations:detail", args=[delegation.pk])
    with django_assert_num_queries(9) as baseline:  # + the delegation's letters
        client.get(url)
    RegistrationFactory.create_batch(4, workshop=workshop, status=RegistrationStatus.APPROVED)
    focal_point_designate(delegation=delegation, email="second@example.org", by=organiser)
    with django_assert_num_queries(len(baseline.captured_queries)):
        client.get(url)


def test_the_list_of_a_focal_points_delegations_costs_the_same_queries_for_more(
    client, workshop, organiser, django_assert_num_queries
):
    focal = verified_user("focal@example.org")
    FocalPoint.objects.create(delegation=state_delegation(workshop, "KZ", seats=3), email=focal.email, user=focal)
    client.force_login(focal)
    url = reverse("delegations:index")
    with django_assert_num_queries(3) as baseline:
        client.get(url)
    for code in ("TJ", "UZ"):
        other = WorkshopFactory()
        FocalPoint.objects.create(delegation=state_delegation(other, code, seats=3), email=focal.email, user=focal)
        RegistrationFactory(workshop=other, member_state=member_state(code))
    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="card mb-3"') == 3
