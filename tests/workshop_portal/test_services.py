import datetime

import pytest
from django.core.exceptions import ValidationError

from testkit.factories import WorkshopFactory, country_session
from workshop_portal.models import Workshop
from workshop_portal.services import workshop_save, workshop_set_published

pytestmark = pytest.mark.django_db


def _unsaved_workshop(**overrides) -> Workshop:
    return WorkshopFactory.build(**overrides)


def test_workshop_save_creates_a_valid_workshop():
    workshop = workshop_save(workshop=_unsaved_workshop(slug="next-workshop"))
    assert Workshop.objects.filter(slug="next-workshop").exists()
    assert workshop.pk


def test_workshop_ending_before_it_starts_is_refused_and_nothing_saved():
    workshop = _unsaved_workshop(slug="backwards")
    workshop.end_date = workshop.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        workshop_save(workshop=workshop)
    assert "cannot end before it starts" in str(excinfo.value.message_dict["end_date"])
    assert not Workshop.objects.filter(slug="backwards").exists()


def test_registration_closing_before_it_opens_is_refused():
    workshop = _unsaved_workshop(slug="closed-early")
    workshop.registration_closes_at = workshop.registration_opens_at - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        workshop_save(workshop=workshop)
    assert "close after it opens" in str(excinfo.value.message_dict["registration_closes_at"])
    assert not Workshop.objects.filter(slug="closed-early").exists()


def test_upload_deadline_after_the_workshop_is_refused():
    workshop = _unsaved_workshop(slug="late-uploads")
    workshop.upload_deadline = workshop.local_datetime(workshop.end_date, datetime.time(23, 0)) + datetime.timedelta(
        days=2
    )
    with pytest.raises(ValidationError) as excinfo:
        workshop_save(workshop=workshop)
    assert "upload_deadline" in excinfo.value.message_dict


def test_unknown_time_zone_is_refused():
    workshop = _unsaved_workshop(slug="nowhere", time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as excinfo:
        workshop_save(workshop=workshop)
    assert "time_zone" in excinfo.value.message_dict


def test_moving_the_dates_away_from_existing_sessions_is_refused():
    workshop = WorkshopFactory()
    country_session(workshop, "KZ", day=1)
    original_start = workshop.start_date
    workshop.start_date += datetime.timedelta(days=10)
    workshop.end_date += datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as excinfo:
        workshop_save(workshop=workshop)
    assert "Kazakhstan" in str(excinfo.value.message_dict["start_date"])
    workshop.refresh_from_db()
    assert workshop.start_date == original_start


def test_set_published_reports_whether_anything_changed():
    workshop = WorkshopFactory(is_published=False)
    assert workshop_set_published(workshop=workshop, published=True) is True
    assert workshop_set_published(workshop=workshop, published=True) is False
    workshop.refresh_from_db()
    assert workshop.is_published
