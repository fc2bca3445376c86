"""What delegations hold on a person: shown, exported, erased, purged with the workshop."""

import pytest

from delegations.models import FocalPoint, Nomination
from delegations.services import nomination_create
from privacy.erasure import erasure_carry_out, erasure_request_create
from privacy.purge import workshop_purge_personal_data
from testkit.factories import WorkshopFactory, staff_user, verified_user
from tests.delegations.support import state_delegation
from tests.privacy.support import move_to_the_past
from workshop_portal import personal_data
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    workshop = WorkshopFactory()
    delegation = state_delegation(workshop, "KZ", seats=3)
    focal = verified_user("focal@example.org", first_name="Saule", last_name="Omarova")
    FocalPoint.objects.create(delegation=delegation, email=focal.email, user=focal)
    nominee = verified_user("nominee@example.org")
    nomination = nomination_create(delegation=delegation, name="Dana Yermekova", email=nominee.email, by=focal)
    return workshop, focal, nominee, nomination


def _source():
    return next(source for source in personal_data.sources() if source.key == "delegations")


def test_a_person_sees_and_exports_their_designations_and_nominations(world):
    _workshop, focal, nominee, _nomination = world
    assert [item.title for item in _source().summary(focal)] == ["Focal point of Kazakhstan"]
    assert [item.title for item in _source().summary(nominee)] == ["Nominated by Kazakhstan"]
    exported = _source().export(nominee).data
    assert exported["nominations"][0]["name"] == "Dana Yermekova"


def test_an_erasure_removes_the_designation_and_anonymises_the_nomination(world, django_capture_on_commit_callbacks):
    _workshop, focal, nominee, nomination = world
    organiser = staff_user("organiser@example.org", ORGANISERS)
    for person in (focal, nominee):
        with django_capture_on_commit_callbacks(execute=True):
            erasure_carry_out(request=erasure_request_create(user=person, reason="Left"), by=organiser)
    assert not FocalPoint.objects.exists()
    nomination.refresh_from_db()
    assert nomination.name == "Erased participant"
    assert nomination.email == f"erased-nominee-{nomination.pk}@erased.invalid"
    assert nomination.user is None


def test_the_purge_of_a_past_workshop_removes_focal_points_and_nominees_addresses(world, settings):
    workshop, _focal, _nominee, nomination = world
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    move_to_the_past(workshop, ended_days_ago=40)
    cleanup = workshop_purge_personal_data(workshop=workshop, by=None)
    assert not FocalPoint.objects.filter(delegation__workshop=workshop).exists()
    nomination.refresh_from_db()
    assert nomination.name == "Dana Yermekova"
    assert nomination.email.endswith("@erased.invalid")
    assert "nominations cleared: 1" in cleanup.describe()
    assert Nomination.objects.filter(workshop=workshop).count() == 1
