"""Quotas: the seats of each delegation, laid out with a new workshop, kept by every approval."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from delegations.models import Delegation
from delegations.services import delegation_save, delegations_lay_out_defaults
from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.services import registration_approve, registration_cancel, registration_decline
from testkit.factories import RegistrationFactory, WorkshopFactory, institution_delegate, member_state, staff_user
from tests.delegations.support import institution_delegation, state_delegation
from workshop_portal.models import Institution, MemberState
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def organiser():
    return staff_user("organiser@example.org", ORGANISERS)


def _partner(workshop, code="TR", **fields):
    return RegistrationFactory(
        workshop=workshop, category=ParticipantCategory.OIC_PARTNER_STATE, member_state=member_state(code), **fields
    )


def test_defaults_give_each_state_and_institution_its_seats():
    workshop = WorkshopFactory()
    added = delegations_lay_out_defaults(workshop=workshop)
    states = MemberState.objects.count()
    institutions = Institution.objects.filter(kind__in=["oic", "international"]).count()
    assert added == states + institutions
    seats = {d.member_state.code: d.seats for d in workshop.delegations.filter(member_state__isnull=False)}
    assert seats["KZ"] == seats["UZ"] == 3
    assert seats["TR"] == seats["EG"] == 2
    assert set(workshop.delegations.filter(institution__isnull=False).values_list("seats", flat=True)) == {1}
    # Laid out again: nothing doubles, an edited quota stays.
    workshop.delegations.filter(member_state__code="KZ").update(seats=5)
    assert delegations_lay_out_defaults(workshop=workshop) == 0
    assert workshop.delegations.get(member_state__code="KZ").seats == 5


def test_a_workshop_created_in_the_admin_comes_with_its_delegations(client, organiser):
    client.force_login(organiser)
    host = Institution.objects.get(acronym="CCO")
    response = client.post(
        reverse("admin:workshop_portal_workshop_add"),
        {
            "title": "Quota Workshop",
            "slug": "quota-workshop",
            "host_institution": host.pk,
            "venue": "Centre",
            "city": "Tashkent",
            "start_date": "2030-05-10",
            "end_date": "2030-05-11",
            "time_zone": "Asia/Tashkent",
            "registration_opens_at_0": "2030-01-01",
            "registration_opens_at_1": "09:00",
            "registration_closes_at_0": "2030-05-01",
            "registration_closes_at_1": "09:00",
            "upload_deadline_0": "2030-05-05",
            "upload_deadline_1": "09:00",
            "capacity": 60,
            "share_presentations": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    delegations = Delegation.objects.filter(workshop__slug="quota-workshop")
    assert delegations.get(member_state__code="TJ").seats == 3
    assert delegations.count() == MemberState.objects.count() + Institution.objects.exclude(kind="national").count()


def test_an_approval_past_the_quota_is_refused_with_the_reason_and_changes_nothing(organiser):
    workshop = WorkshopFactory(capacity=50)
    state_delegation(workshop, "TR", seats=2)
    first, second, third = (_partner(workshop) for _ in range(3))
    registration_approve(registration=first, by=organiser, notify=False)
    registration_approve(registration=second, by=organiser, notify=False)

    with pytest.raises(ValidationError) as refused:
        registration_approve(registration=third, by=organiser, notify=False)

    assert refused.value.messages == ["The quota of Türkiye is used up: 2 approved of 2 seats."]
    third.refresh_from_db()
    assert third.status == S.SUBMITTED
    # Other delegations and states without a delegation are not held back.
    registration_approve(registration=_partner(workshop, "EG"), by=organiser, notify=False)
    assert workshop.registrations.approved().count() == 3


def test_a_national_institution_counts_in_its_state_and_an_oic_institution_on_its_own(organiser):
    workshop = WorkshopFactory()
    state_delegation(workshop, "KZ", seats=1)
    institution_delegation(workshop, "IsDB", seats=1)
    national = Institution.objects.filter(member_state__code="KZ").first()
    registration_approve(registration=RegistrationFactory(workshop=workshop, institution=national), by=organiser)
    with pytest.raises(ValidationError):
        registration_approve(registration=RegistrationFactory(workshop=workshop), by=organiser)
    approved_isdb = institution_delegate(workshop, "IsDB")  # approved already: the quota is full
    other = institution_delegate(workshop, "IsDB")
    other.status = S.SUBMITTED
    other.save()
    with pytest.raises(ValidationError, match=r"Islamic Development Bank|IsDB"):
        registration_approve(registration=other, by=organiser)
    assert approved_isdb.status == S.APPROVED


def test_a_freed_seat_goes_to_the_first_waiting_delegate_whose_quota_allows(organiser):
    workshop = WorkshopFactory(capacity=2)
    state_delegation(workshop, "TR", seats=1)
    turk = _partner(workshop)
    egyptian = _partner(workshop, "EG")
    registration_approve(registration=turk, by=organiser, notify=False)
    registration_approve(registration=egyptian, by=organiser, notify=False)
    second_turk = _partner(workshop)
    third_party = _partner(workshop, "MY")
    second_turk.status = third_party.status = S.WAITLISTED
    second_turk.save()
    third_party.save()
    # Waiting in this order: the second Turkish delegate first, but Türkiye's seat is taken.
    registration_decline(registration=egyptian, by=organiser, notify=False)
    second_turk.refresh_from_db()
    third_party.refresh_from_db()
    assert (second_turk.status, third_party.status) == (S.WAITLISTED, S.APPROVED)
    # The Turkish seat frees: the Turkish delegate waiting takes it.
    registration_cancel(registration=turk, by=turk.user, notify=False)
    second_turk.refresh_from_db()
    assert second_turk.status == S.APPROVED


def test_seats_never_fall_below_the_approved_delegates(organiser):
    workshop = WorkshopFactory()
    delegation = state_delegation(workshop, "TR", seats=3)
    for _ in range(2):
        registration_approve(registration=_partner(workshop), by=organiser, notify=False)
    delegation.seats = 1
    with pytest.raises(ValidationError) as refused:
        delegation_save(delegation=delegation)
    assert refused.value.message_dict == {"seats": ["2 delegates are already approved: offer at least as many seats."]}
    delegation.refresh_from_db()
    assert delegation.seats == 3


def test_the_admin_shows_seats_registered_and_approved_per_delegation(client, organiser):
    workshop = WorkshopFactory(title="Counted")
    state_delegation(workshop, "TR", seats=2)
    state_delegation(workshop, "KZ", seats=3)
    registration_approve(registration=_partner(workshop), by=organiser, notify=False)
    _partner(workshop)
    client.force_login(organiser)
    response = client.get(reverse("admin:delegations_delegation_changelist"), {"workshop__id__exact": workshop.pk})
    rows = {str(d): (d.seats, d.registered_count, d.approved_count) for d in response.context["cl"].result_list}
    assert rows == {"Türkiye": (2, 2, 1), "Kazakhstan": (3, 0, 0)}


def test_an_organiser_lowering_seats_below_the_approved_is_told_why(client, organiser):
    workshop = WorkshopFactory()
    delegation = state_delegation(workshop, "TR", seats=2)
    registration_approve(registration=_partner(workshop), by=organiser, notify=False)
    registration_approve(registration=_partner(workshop), by=organiser, notify=False)
    client.force_login(organiser)
    url = reverse("admin:delegations_delegation_change", args=[delegation.pk])
    response = client.post(
        url,
        {
            "workshop": workshop.pk,
            "category": delegation.category,
            "member_state": delegation.member_state_id,
            "seats": 1,
        },
    )
    assert response.status_code == 200
    assert "2 delegates are already approved: offer at least as many seats." in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.seats == 2


def test_the_admin_list_costs_the_same_queries_for_more_delegations(client, organiser, django_assert_num_queries):
    workshop = WorkshopFactory()
    state_delegation(workshop, "TR", seats=2)
    client.force_login(organiser)
    url = reverse("admin:delegations_delegation_changelist")
    with django_assert_num_queries(8) as baseline:
        client.get(url)
    delegations_lay_out_defaults(workshop=workshop)
    for code in ("EG", "MY", "KZ"):
        _partner(workshop, code) if code != "KZ" else RegistrationFactory(workshop=workshop)
    with django_assert_num_queries(len(baseline.captured_queries)):
        client.get(url)


def test_a_workshop_from_before_quotas_gets_its_delegations_from_the_command():
    from io import StringIO

    from django.core.management import call_command

    workshop = WorkshopFactory(slug="older", title="Older Workshop")
    out = StringIO()
    call_command("lay_out_delegations", "older", stdout=out)
    total = workshop.delegations.count()
    assert total == MemberState.objects.count() + Institution.objects.exclude(kind="national").count()
    assert out.getvalue().strip().splitlines() == [
        f"Older Workshop: {total} delegation(s) added, {total} in all.",
        "Older Workshop: 8 letter text(s) added.",
    ]
    assert workshop.letter_settings.texts.count() == 8
