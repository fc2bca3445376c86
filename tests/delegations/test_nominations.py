"""Nominations by focal points, the nominee's registration, replacements and endorsements."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delegations.enums import NominationStatus
from delegations.models import FocalPoint, Nomination
from delegations.services import (
    nomination_create,
    nomination_register,
    nomination_replace,
    registration_endorse_by,
)
from registrations.enums import DelegationRole, ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from registrations.services import registration_approve, registration_submit, registration_update
from testkit.factories import RegistrationFactory, WorkshopFactory, member_state, staff_user, verified_user
from tests.delegations.support import state_delegation
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Workshop on Trade")


@pytest.fixture
def kazakh(workshop):
    return state_delegation(workshop, "KZ", seats=2)


@pytest.fixture
def focal(kazakh):
    user = verified_user("kz.focal@example.org", first_name="Aliya", last_name="Nurlanova")
    FocalPoint.objects.create(delegation=kazakh, email=user.email, user=user)
    return user


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _registration_fields(**overrides):
    return {
        "honorific": "Mr",
        "participant_name": "Daniyar Seitkali",
        "position": "Director",
        "category": ParticipantCategory.OIC_PARTNER_STATE,  # disabled: ignored
        "member_state": member_state("TR").pk,  # disabled: ignored
        "delegation_role": DelegationRole.MEMBER,  # disabled: ignored
        "email": "daniyar@example.org",
        "consent_to_list": "on",
        **overrides,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_nominee_is_invited_in_their_language_and_registers_with_the_delegations_state(
    client, kazakh, focal, mailbox, celery_worker_process
):
    client.force_login(focal)
    response = client.post(
        reverse("delegations:nominate", args=[kazakh.pk]),
        {"name": "Daniyar Seitkali", "email": "Daniyar@example.org", "role": "head", "language": "ru"},
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.email, nomination.role, nomination.nominated_by) == ("daniyar@example.org", "head", focal)
    (invitation,) = mailbox.wait_for(1, to="daniyar@example.org")
    assert invitation.subject == "Вы выдвинуты: Workshop on Trade"
    link = re.search(r"https?://\S+/delegations/nominations/invitation/\S+/", invitation.body).group(0)

    client.logout()
    welcome = client.get(_path(link))
    assert welcome.status_code == 200
    signup = client.post(
        welcome.context["signup_url"],
        {"email": "daniyar@example.org", "password1": "a-long-passphrase-2012", "password2": "a-long-passphrase-2012"},
    )
    assert signup.status_code == 302
    confirmation = mailbox.wait_for(2, to="daniyar@example.org")[-1]
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    confirmed = client.post(_path(confirm))
    assert confirmed["Location"] == _path(link)

    form_page = client.get(_path(link))
    form = form_page.context["form"]
    assert form.fields["category"].disabled
    assert form.fields["member_state"].disabled
    assert form["member_state"].value() == member_state("KZ").pk
    submitted = client.post(_path(link), _registration_fields())
    assert submitted.status_code == 302, submitted.context["form"].errors
    registration = Registration.objects.get(email="daniyar@example.org")
    assert (registration.category, registration.member_state.code, registration.delegation_role) == (
        ParticipantCategory.CENTRAL_ASIAN_STATE,
        "KZ",
        DelegationRole.HEAD,
    )
    assert registration.status == S.SUBMITTED  # a nominee needs no endorsement
    nomination.refresh_from_db()
    assert (nomination.status, nomination.registration) == (NominationStatus.REGISTERED, registration)


def test_the_organisers_see_who_nominated_whom(client, kazakh, focal):
    nomination_create(delegation=kazakh, name="Daniyar Seitkali", email="d@example.org", by=focal)
    client.force_login(staff_user("organiser@example.org", ORGANISERS))
    response = client.get(reverse("admin:delegations_nomination_changelist"))
    html = response.content.decode()
    assert "Daniyar Seitkali" in html
    assert "Aliya Nurlanova" in html
    counts = client.get(reverse("admin:delegations_delegation_changelist"))
    (row,) = [d for d in counts.context["cl"].result_list if d.pk == kazakh.pk]
    assert (row.seats, row.nominated_count, row.approved_count) == (2, 1, 0)


def _refused(call, message):
    before = (Nomination.objects.count(), list(Nomination.objects.values_list("status", flat=True)))
    with pytest.raises(ValidationError) as refused:
        call()
    assert message in " ".join(refused.value.messages)
    assert (Nomination.objects.count(), list(Nomination.objects.values_list("status", flat=True))) == before


def test_bad_nominations_are_refused_with_a_clear_message_and_change_nothing(workshop, kazakh, focal):
    nomination_create(delegation=kazakh, name="First", email="first@example.org", by=focal)
    _refused(
        lambda: nomination_create(delegation=kazakh, name="Again", email="FIRST@example.org", by=focal),
        "first@example.org is already nominated for this workshop.",
    )
    RegistrationFactory(workshop=workshop, user=verified_user("elsewhere@example.org"), member_state=member_state("UZ"))
    _refused(
        lambda: nomination_create(delegation=kazakh, name="Elsewhere", email="elsewhere@example.org", by=focal),
        "elsewhere@example.org is already registered for this workshop.",
    )
    nomination_create(delegation=kazakh, name="Second", email="second@example.org", by=focal)
    _refused(
        lambda: nomination_create(delegation=kazakh, name="Third", email="third@example.org", by=focal),
        "All 2 seats of Kazakhstan are taken: replace a nominee instead.",
    )
    turkish = state_delegation(workshop, "TR", seats=2)
    _refused(
        lambda: nomination_create(delegation=turkish, name="Intruder", email="intruder@example.org", by=focal),
        "You are not a focal point of Türkiye.",
    )
    uzbek = state_delegation(
        workshop, "UZ", seats=3, nomination_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    FocalPoint.objects.create(delegation=uzbek, email=focal.email, user=focal)
    _refused(
        lambda: nomination_create(delegation=uzbek, name="Late", email="late@example.org", by=focal),
        "The nomination deadline of Uzbekistan has passed",
    )


def test_a_focal_point_of_another_state_reaches_no_nomination_page(client, workshop, kazakh, focal):
    turkish = state_delegation(workshop, "TR", seats=2)
    nomination = nomination_create(delegation=kazakh, name="First", email="first@example.org", by=focal)
    other = verified_user("tr.focal@example.org")
    FocalPoint.objects.create(delegation=turkish, email=other.email, user=other)
    client.force_login(other)
    assert client.get(reverse("delegations:nominate", args=[kazakh.pk])).status_code == 404
    assert client.post(reverse("delegations:replace", args=[nomination.pk]), {"name": "X"}).status_code == 404
    assert client.get(reverse("delegations:detail", args=[kazakh.pk])).status_code == 404


def test_the_nominate_page_shows_the_services_refusal(client, kazakh, focal):
    nomination_create(delegation=kazakh, name="First", email="first@example.org", by=focal)
    client.force_login(focal)
    response = client.post(
        reverse("delegations:nominate", args=[kazakh.pk]),
        {"name": "Again", "email": "first@example.org", "role": "member", "language": "en"},
    )
    assert response.status_code == 200
    assert "first@example.org is already nominated for this workshop." in response.content.decode()
    assert Nomination.objects.count() == 1


def test_a_nominee_is_replaced_until_the_deadline_and_their_seat_passes_on(workshop, kazakh, focal):
    first = nomination_create(delegation=kazakh, name="First", email="first@example.org", by=focal)
    registration = RegistrationFactory.build(workshop=workshop, user=verified_user("first@example.org"))
    registration = nomination_register(nomination=first, registration=registration, by=registration.user)
    registration_approve(registration=registration, by=focal, notify=False)

    second = nomination_replace(nomination=first, name="Second", email="second@example.org", by=focal)

    first.refresh_from_db()
    registration.refresh_from_db()
    assert (first.status, first.replaced_by) == (NominationStatus.REPLACED, second)
    assert registration.status == S.CANCELLED
    assert second.status == NominationStatus.INVITED
    _refused(
        lambda: nomination_replace(nomination=first, name="Third", email="third@example.org", by=focal),
        "First has already been replaced.",
    )
    kazakh.nomination_deadline = timezone.now() - datetime.timedelta(seconds=1)
    kazakh.save()
    _refused(
        lambda: nomination_replace(nomination=second, name="Late", email="late@example.org", by=focal),
        "The nomination deadline of Kazakhstan has passed",
    )


def test_a_self_registration_waits_for_the_focal_points_endorsement(client, workshop, kazakh, focal):
    person = verified_user("self@example.org")
    pending = registration_submit(registration=RegistrationFactory.build(workshop=workshop, user=person), by=person)
    assert pending.status == S.PENDING
    organiser = staff_user("organiser@example.org", ORGANISERS)
    client.force_login(organiser)
    listed = client.get(reverse("admin:registrations_registration_changelist")).context["cl"].result_list
    assert pending not in list(listed)
    with pytest.raises(ValidationError, match="awaits its focal point's endorsement"):
        registration_approve(registration=pending, by=organiser)
    # Another state's focal point cannot endorse it.
    turkish = state_delegation(workshop, "TR", seats=2)
    other = verified_user("tr.focal@example.org")
    FocalPoint.objects.create(delegation=turkish, email=other.email, user=other)
    with pytest.raises(ValidationError, match=r"You are not a focal point of Kazakhstan\."):
        registration_endorse_by(registration=pending, by=other, endorse=True)

    client.force_login(focal)
    page = client.get(reverse("delegations:detail", args=[kazakh.pk])).content.decode()
    assert f'data-pending="{pending.pk}"' in page
    client.post(reverse("delegations:endorse", args=[pending.pk]), {"decision": "endorse"})
    pending.refresh_from_db()
    assert pending.status == S.SUBMITTED
    client.force_login(organiser)
    listed = client.get(reverse("admin:registrations_registration_changelist")).context["cl"].result_list
    assert pending in list(listed)


def test_a_focal_point_may_decline_a_self_registration_and_states_without_one_go_straight_through(
    client, workshop, kazakh, focal
):
    person = verified_user("self@example.org")
    pending = registration_submit(registration=RegistrationFactory.build(workshop=workshop, user=person), by=person)
    client.force_login(focal)
    client.post(reverse("delegations:endorse", args=[pending.pk]), {"decision": "refuse"})
    pending.refresh_from_db()
    assert pending.status == S.DECLINED
    turk = verified_user("turk@example.org")
    direct = registration_submit(
        registration=RegistrationFactory.build(
            workshop=workshop,
            user=turk,
            category=ParticipantCategory.OIC_PARTNER_STATE,
            member_state=member_state("TR"),
        ),
        by=turk,
    )
    assert direct.status == S.SUBMITTED


def test_the_delegation_page_costs_the_same_queries_with_more_nominees(
    client, workshop, kazakh, focal, django_assert_num_queries
):
    kazakh.seats = 10
    kazakh.save()
    nomination_create(delegation=kazakh, name="First", email="first@example.org", by=focal)
    client.force_login(focal)
    url = reverse("delegations:detail", args=[kazakh.pk])
    with django_assert_num_queries(9) as baseline:  # + the delegation's letters
        client.get(url)
    for n in range(4):
        nomination_create(delegation=kazakh, name=f"Nominee {n}", email=f"n{n}@example.org", by=focal)
    person = verified_user("self@example.org")
    registration_submit(registration=RegistrationFactory.build(workshop=workshop, user=person), by=person)
    RegistrationFactory.create_batch(3, workshop=workshop, status=S.APPROVED)
    with django_assert_num_queries(len(baseline.captured_queries)):
        client.get(url)


def test_a_nominee_cannot_change_their_state_or_category_afterwards(client, workshop, kazakh, focal):
    nomination = nomination_create(delegation=kazakh, name="Daniyar", email="daniyar@example.org", by=focal)
    nominee = verified_user("daniyar@example.org")
    registration = nomination_register(
        nomination=nomination, registration=RegistrationFactory.build(workshop=workshop, user=nominee), by=nominee
    )
    client.force_login(nominee)
    url = reverse("registrations:edit", args=[registration.pk])
    form = client.get(url).context["form"]
    assert form.fields["member_state"].disabled
    assert form.fields["category"].disabled
    registration.member_state = member_state("UZ")
    with pytest.raises(ValidationError, match="Your focal point set this"):
        registration_update(registration=registration, by=nominee)
    registration.refresh_from_db()
    assert registration.member_state.code == "KZ"
