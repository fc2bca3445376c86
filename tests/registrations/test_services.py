import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from registrations.services import (
    RegistrationExistsError,
    registration_approve,
    registration_cancel,
    registration_check_in,
    registration_decline,
    registration_submit,
    registration_update,
    registration_waitlist,
    workshop_fill_free_seats,
)
from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_state
from workshop_portal.models import Institution

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def organiser():
    return UserFactory(email="organiser@example.org", is_staff=True)


@pytest.fixture
def workshop():
    return WorkshopFactory(capacity=2)


def _new(workshop, **fields) -> Registration:
    """An unsaved registration, as the form would hand it to the service."""
    return RegistrationFactory.build(workshop=workshop, user=UserFactory(), **fields)


def test_submit_saves_a_submitted_registration(workshop):
    registration = _new(workshop)
    registration_submit(registration=registration, by=registration.user)
    assert Registration.objects.get(pk=registration.pk).status == S.SUBMITTED


def test_submit_twice_is_refused_and_keeps_one_row(workshop):
    first = _new(workshop)
    registration_submit(registration=first, by=first.user)
    second = RegistrationFactory.build(workshop=workshop, user=first.user)
    with pytest.raises(RegistrationExistsError) as excinfo:
        registration_submit(registration=second, by=first.user)
    assert excinfo.value.registration == first
    assert Registration.objects.filter(user=first.user).count() == 1


def test_submit_after_registration_closed_is_refused(workshop):
    workshop.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    workshop.save()
    registration = _new(workshop)
    with pytest.raises(ValidationError, match=r"Registration for this workshop is closed\."):
        registration_submit(registration=registration, by=registration.user)
    assert not Registration.objects.exists()


def test_submit_before_registration_opens_is_refused(workshop):
    workshop.registration_opens_at = timezone.now() + datetime.timedelta(days=1)
    workshop.save()
    registration = _new(workshop)
    with pytest.raises(ValidationError, match="has not opened yet"):
        registration_submit(registration=registration, by=registration.user)
    assert not Registration.objects.exists()


def test_an_organiser_may_register_someone_after_the_closing_date(workshop, organiser):
    workshop.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    workshop.save()
    registration = _new(workshop)
    registration_submit(registration=registration, by=organiser)
    assert registration.pk


def _institution(acronym):
    return Institution.objects.get(acronym=acronym)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"category": "central_asian_state", "member_state": "TR"}, "member_state", "is not a Central Asian state"),
        ({"category": "oic_partner_state", "member_state": "KZ"}, "member_state", "is a Central Asian state"),
        ({"category": "oic_partner_state", "member_state": None}, "member_state", "Choose the member state"),
        ({"category": "oic_institution", "member_state": None, "institution": "UNDP"}, "institution", "is not an oic"),
        (
            {"category": "international_institution", "member_state": None, "institution": "IsDB"},
            "institution",
            "is not an other international",
        ),
        ({"category": "oic_institution", "member_state": None}, "institution", "Choose the institution"),
        ({"category": "oic_institution", "member_state": "TR", "institution": "SESRIC"}, "member_state", "Leave"),
        (
            {"category": "oic_partner_state", "member_state": "SA", "institution": "TİKA"},
            "institution",
            "Choose an institution of Saudi Arabia",
        ),
    ],
)
def test_category_must_match_the_state_or_institution(workshop, fields, field, message):
    if fields.get("member_state"):
        fields["member_state"] = member_state(fields["member_state"])
    if fields.get("institution"):
        fields["institution"] = _institution(fields["institution"])
    registration = _new(workshop, **fields)
    with pytest.raises(ValidationError) as excinfo:
        registration_submit(registration=registration, by=registration.user)
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not Registration.objects.exists()


def test_matching_categories_are_accepted(workshop):
    cases = [
        {"category": "central_asian_state", "member_state": member_state("UZ")},
        {"category": "oic_partner_state", "member_state": member_state("TR"), "institution": _institution("TİKA")},
        {"category": "oic_institution", "member_state": None, "institution": _institution("IsDB")},
        {"category": "international_institution", "member_state": None, "institution": _institution("UNDP")},
        {"category": "observer", "member_state": None},
        {"category": "secretariat", "member_state": None, "institution": _institution("CCO")},
    ]
    for fields in cases:
        registration = _new(workshop, **fields)
        registration_submit(registration=registration, by=registration.user)
    assert Registration.objects.count() == len(cases)
    assert set(Registration.objects.values_list("category", flat=True)) == set(ParticipantCategory.values)


def test_departure_before_arrival_is_refused(workshop):
    registration = _new(
        workshop, arrival_date=workshop.start_date, departure_date=workshop.start_date - datetime.timedelta(days=2)
    )
    with pytest.raises(ValidationError) as excinfo:
        registration_submit(registration=registration, by=registration.user)
    assert "departure_date" in excinfo.value.message_dict


def test_approve_approves_while_seats_remain(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop)
    result = registration_approve(registration=registration, by=organiser)
    assert result.status == S.APPROVED
    assert result.status_changed_by == organiser
    assert result.status_changed_at is not None


def test_approve_when_full_waitlists_instead(workshop, organiser):
    first, second, third = RegistrationFactory.create_batch(3, workshop=workshop)
    for registration in (first, second, third):
        registration_approve(registration=registration, by=organiser)
    third.refresh_from_db()
    assert third.status == S.WAITLISTED
    assert third.waitlisted_at is not None
    assert workshop.registrations.approved().count() == 2


def test_approve_twice_changes_nothing_the_second_time(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop)
    first = registration_approve(registration=registration, by=organiser)
    changed_at = first.status_changed_at
    second = registration_approve(registration=registration, by=organiser)
    assert second.status == S.APPROVED
    assert second.status_changed_at == changed_at


def test_a_cancelled_registration_cannot_be_approved_or_declined(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop, status=S.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled registration cannot be approved"):
        registration_approve(registration=registration, by=organiser)
    with pytest.raises(ValidationError, match="cancelled registration cannot be declined"):
        registration_decline(registration=registration, by=organiser)
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_declining_an_approved_delegate_promotes_the_first_waitlisted(workshop, organiser):
    approved = RegistrationFactory.create_batch(2, workshop=workshop)
    for registration in approved:
        registration_approve(registration=registration, by=organiser)
    earlier, later = RegistrationFactory.create_batch(2, workshop=workshop)
    registration_waitlist(registration=earlier, by=organiser)
    registration_waitlist(registration=later, by=organiser)
    registration_decline(registration=approved[0], by=organiser)
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert earlier.status == S.APPROVED
    assert later.status == S.WAITLISTED
    assert workshop.registrations.approved().count() == 2


def test_cancelling_an_approved_registration_promotes_the_first_waitlisted(workshop, organiser):
    approved = RegistrationFactory.create_batch(2, workshop=workshop)
    for registration in approved:
        registration_approve(registration=registration, by=organiser)
    waiting = RegistrationFactory(workshop=workshop)
    registration_approve(registration=waiting, by=organiser)  # full: waitlisted
    registration_cancel(registration=approved[1], by=approved[1].user)
    waiting.refresh_from_db()
    assert waiting.status == S.APPROVED


def test_cancelling_a_waitlisted_registration_promotes_nobody(workshop, organiser):
    approved = RegistrationFactory.create_batch(2, workshop=workshop)
    for registration in approved:
        registration_approve(registration=registration, by=organiser)
    first, second = RegistrationFactory.create_batch(2, workshop=workshop)
    registration_waitlist(registration=first, by=organiser)
    registration_waitlist(registration=second, by=organiser)
    registration_cancel(registration=first, by=first.user)
    second.refresh_from_db()
    assert second.status == S.WAITLISTED
    assert workshop.registrations.approved().count() == 2


def test_declining_a_submitted_registration(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop)
    assert registration_decline(registration=registration, by=organiser).status == S.DECLINED


def test_a_declined_registration_can_be_reconsidered(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop, status=S.DECLINED)
    assert registration_approve(registration=registration, by=organiser).status == S.APPROVED


def test_an_approved_registration_cannot_be_put_on_the_waiting_list(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop, status=S.APPROVED)
    with pytest.raises(ValidationError, match="Only a submitted or declined"):
        registration_waitlist(registration=registration, by=organiser)


def test_cancelling_twice_changes_nothing(workshop):
    registration = RegistrationFactory(workshop=workshop)
    registration_cancel(registration=registration, by=registration.user)
    assert registration_cancel(registration=registration, by=registration.user).status == S.CANCELLED


def test_a_declined_registration_cannot_be_cancelled_by_the_delegate(workshop):
    registration = RegistrationFactory(workshop=workshop, status=S.DECLINED)
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        registration_cancel(registration=registration, by=registration.user)


def test_delegate_edits_while_submitted(workshop):
    registration = RegistrationFactory(workshop=workshop)
    registration.position = "Director"
    registration_update(registration=registration, by=registration.user)
    registration.refresh_from_db()
    assert registration.position == "Director"


@pytest.mark.parametrize("status", [S.APPROVED, S.WAITLISTED, S.DECLINED, S.CANCELLED])
def test_delegate_cannot_edit_after_submission_is_decided(workshop, status):
    registration = RegistrationFactory(workshop=workshop, status=status, position="Adviser")
    registration.position = "Minister"
    with pytest.raises(ValidationError, match="can no longer be edited"):
        registration_update(registration=registration, by=registration.user)
    registration.refresh_from_db()
    assert registration.position == "Adviser"


def test_an_edit_cannot_change_the_status(workshop):
    registration = RegistrationFactory(workshop=workshop)
    registration.status = S.APPROVED
    registration_update(registration=registration, by=registration.user)
    registration.refresh_from_db()
    assert registration.status == S.SUBMITTED


def test_organiser_edits_an_approved_registration(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop, status=S.APPROVED)
    registration.dietary_needs = "Vegetarian"
    registration_update(registration=registration, by=organiser)
    registration.refresh_from_db()
    assert registration.dietary_needs == "Vegetarian"
    assert registration.status == S.APPROVED


def test_check_in_marks_arrival_once(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop, status=S.APPROVED)
    checked, already = registration_check_in(registration=registration, by=organiser)
    assert not already
    arrived = checked.checked_in_at
    assert arrived is not None
    checked, already = registration_check_in(registration=registration, by=organiser)
    assert already
    assert checked.checked_in_at == arrived


def test_check_in_refuses_a_registration_that_is_not_approved(workshop, organiser):
    registration = RegistrationFactory(workshop=workshop, status=S.WAITLISTED)
    with pytest.raises(ValidationError, match="only approved delegates"):
        registration_check_in(registration=registration, by=organiser)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_growing_the_capacity_fills_the_new_seats_from_the_waiting_list(workshop, organiser):
    registrations = RegistrationFactory.create_batch(4, workshop=workshop)
    for registration in registrations:
        registration_approve(registration=registration, by=organiser)
    assert workshop.registrations.approved().count() == 2
    workshop.capacity = 3
    workshop.save()
    promoted = workshop_fill_free_seats(workshop=workshop, by=organiser)
    assert [r.pk for r in promoted] == [registrations[2].pk]
    assert workshop.registrations.approved().count() == 3
