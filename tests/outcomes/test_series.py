import datetime
import time

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse

from delegations.letter_models import LetterSettings
from delegations.letter_services import letters_lay_out_defaults
from delegations.models import Delegation
from outcomes.cloning import CLONE_STEPS, add_clone_step
from outcomes.series import series_of, workshop_clone
from registrations.models import Registration
from reports.models import ReminderSettings
from sessions.models import Segment
from testkit.factories import WorkshopFactory, approved_delegate, country_session, member_state, special_session
from tests.outcomes.followup_support import organiser, workshop_with_letter_pictures
from workshop_portal.models import Workshop

pytestmark = pytest.mark.django_db


def test_workshop_clone_copies_definitions_with_dates_shifted_and_no_people():
    # bench/clone.py times the same on the demo's full 2012 workshop.
    source = WorkshopFactory()
    new_start = source.start_date + datetime.timedelta(days=364)
    for code in ("KZ", "TJ"):
        country_session(source, code)
        approved_delegate(source, code)
        Delegation.objects.create(
            workshop=source, category="central_asian_state", member_state=member_state(code), seats=3
        )
    special_session(source)
    ReminderSettings.objects.create(workshop=source, upload_deadline_days=5)
    letters_lay_out_defaults(workshop=source)
    seen = []
    step = lambda s, t, shift: seen.append((s.pk, t.pk, shift))  # noqa: E731
    add_clone_step(step)
    try:
        started = time.perf_counter()
        target = workshop_clone(source=source, title="Next", slug="next-one", start_date=new_start, by=organiser())
        seconds = time.perf_counter() - started
    finally:
        CLONE_STEPS.remove(step)
    assert seconds < 10
    shift = new_start - source.start_date
    assert seen == [(source.pk, target.pk, shift)]
    assert target.end_date == source.end_date + shift
    assert not target.is_published
    assert sorted(s.date for s in target.working_sessions.all()) == sorted(
        s.date + shift for s in source.working_sessions.all()
    )
    assert all(s.rapporteur_id is None for s in target.working_sessions.all())
    assert (
        Segment.objects.filter(session__workshop=target).count()
        == Segment.objects.filter(session__workshop=source).count()
    )
    assert {(d.member_state_id, d.institution_id, d.seats) for d in Delegation.objects.filter(workshop=target)} == {
        (d.member_state_id, d.institution_id, d.seats) for d in Delegation.objects.filter(workshop=source)
    }
    assert LetterSettings.objects.get(workshop=target).texts.count() == source.letter_settings.texts.count()
    assert (
        ReminderSettings.objects.filter(workshop=target).count()
        == ReminderSettings.objects.filter(workshop=source).count()
    )
    assert not Registration.objects.filter(workshop=target).exists()
    assert series_of(target) == series_of(source) is not None
    local = target.registration_opens_at.astimezone(target.tzinfo)
    assert local.time() == source.registration_opens_at.astimezone(source.tzinfo).time()


def test_a_clone_into_dates_overlapping_the_source_is_refused_and_changes_nothing(client):
    source = WorkshopFactory(start_date=datetime.date(2030, 5, 1), end_date=datetime.date(2030, 5, 3))
    before = Workshop.objects.count()
    with pytest.raises(ValidationError, match="would overlap"):
        workshop_clone(source=source, title="X", slug="x", start_date=datetime.date(2030, 5, 2), by=organiser())
    client.force_login(organiser("second@example.org"))
    response = client.post(
        reverse("admin:workshop_portal_workshop_changelist"),
        {
            "action": "prepare_next_workshop",
            ACTION_CHECKBOX_NAME: [source.pk],
            "apply": "1",
            "title": "Next",
            "slug": "next",
            "start_date": "2030-04-30",
        },
    )
    assert response.status_code == 200
    assert "would overlap" in response.content.decode()
    assert Workshop.objects.count() == before
    response = client.post(
        reverse("admin:workshop_portal_workshop_changelist"),
        {
            "action": "prepare_next_workshop",
            ACTION_CHECKBOX_NAME: [source.pk],
            "apply": "1",
            "title": "Next",
            "slug": "next",
            "start_date": "2031-05-01",
        },
    )
    assert response.status_code == 302
    assert Workshop.objects.get(slug="next").end_date == datetime.date(2031, 5, 3)


def test_a_clone_that_fails_after_copying_the_letter_pictures_leaves_no_copy_in_storage():
    source, letters = workshop_with_letter_pictures()
    storage = letters.letterhead.storage
    before = set(storage.listdir("letters/")[1])

    def failing_step(source, target, shift):
        raise RuntimeError("a clone step failed")

    add_clone_step(failing_step)
    try:
        with pytest.raises(RuntimeError, match="a clone step failed"):
            workshop_clone(
                source=source,
                title="Next",
                slug="next-one",
                start_date=source.start_date + datetime.timedelta(days=364),
                by=organiser(),
            )
    finally:
        CLONE_STEPS.remove(failing_step)
    assert set(storage.listdir("letters/")[1]) == before
    assert not Workshop.objects.filter(slug="next-one").exists()
    assert storage.exists(letters.letterhead.name)  # the source's own pictures stay
    assert storage.exists(letters.signature.name)
