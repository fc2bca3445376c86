import datetime
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sessions.enums import SegmentKind, SessionKind
from sessions.models import Segment, WorkingSession
from sessions.services import segment_times_split, working_session_create, working_session_update
from testkit.factories import WorkshopFactory, country_session, member_state, special_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return WorkshopFactory()


def test_country_session_gets_the_four_segments_of_the_note_in_order(workshop):
    session = country_session(workshop, "KZ", start=(9, 30), end=(11, 0))
    segments = list(session.segments.order_by("order"))
    assert [s.kind for s in segments] == [
        SegmentKind.HOST_STATE,
        SegmentKind.PARTNER_BEST_PRACTICES,
        SegmentKind.INTERNATIONAL_INSTITUTIONS,
        SegmentKind.GENERAL_DISCUSSION,
    ]
    assert [s.order for s in segments] == [1, 2, 3, 4]
    assert segments[0].start_time == datetime.time(9, 30)
    assert segments[-1].end_time == datetime.time(11, 0)
    for previous, current in pairwise(segments):
        assert previous.end_time == current.start_time
    assert [s.accepts_presentations for s in segments] == [True, True, True, False]


def test_special_session_gets_its_own_three_segments(workshop):
    country_session(workshop, "KZ")
    session = special_session(workshop)
    assert list(session.segments.values_list("kind", flat=True)) == [
        SegmentKind.EVALUATION,
        SegmentKind.EFFICIENCY,
        SegmentKind.PARTNERSHIP_MODELS,
    ]
    assert not any(s.accepts_presentations for s in session.segments.all())


def test_second_session_for_the_same_state_is_refused_and_nothing_saved(workshop):
    country_session(workshop, "KZ")
    with pytest.raises(ValidationError) as excinfo:
        country_session(workshop, "KZ", start=(11, 0), end=(12, 0))
    assert "already has a country working session for this state" in str(excinfo.value)
    assert WorkingSession.objects.filter(workshop=workshop).count() == 1
    assert Segment.objects.filter(session__workshop=workshop).count() == 4


def test_the_database_itself_refuses_a_second_session_for_a_state(workshop):
    session = country_session(workshop, "KZ")
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingSession.objects.create(
            workshop=workshop,
            kind=SessionKind.COUNTRY,
            country=session.country,
            date=session.date,
            start_time=datetime.time(15, 0),
            end_time=datetime.time(16, 0),
        )


def test_country_session_for_a_state_outside_central_asia_is_refused(workshop):
    with pytest.raises(ValidationError) as excinfo:
        country_session(workshop, "TR")
    assert (
        "Only a Central Asian state can own a country working session; Türkiye is not one."
        in (excinfo.value.message_dict["country"])
    )
    assert not WorkingSession.objects.filter(workshop=workshop).exists()


def test_country_session_without_a_state_is_refused(workshop):
    session = WorkingSession(
        workshop=workshop,
        kind=SessionKind.COUNTRY,
        date=workshop.start_date,
        start_time=datetime.time(9),
        end_time=datetime.time(10),
    )
    with pytest.raises(ValidationError) as excinfo:
        working_session_create(session=session)
    assert "country" in excinfo.value.message_dict


def test_the_same_state_may_have_a_session_in_another_workshop(workshop):
    country_session(workshop, "UZ")
    other = WorkshopFactory()
    assert country_session(other, "UZ").pk


def test_second_special_session_is_refused(workshop):
    special_session(workshop)
    with pytest.raises(ValidationError) as excinfo:
        special_session(workshop, start=(16, 0), end=(17, 0))
    assert "already has a special session" in str(excinfo.value)
    assert WorkingSession.objects.filter(workshop=workshop, kind=SessionKind.SPECIAL).count() == 1


def test_special_session_before_a_country_session_is_refused(workshop):
    country_session(workshop, "TJ", day=1, start=(9, 0), end=(10, 30))
    with pytest.raises(ValidationError) as excinfo:
        special_session(workshop, day=0)
    assert "must come after every country session" in str(excinfo.value.message_dict["start_time"])
    assert not WorkingSession.objects.filter(kind=SessionKind.SPECIAL).exists()


def test_country_session_after_the_special_session_is_refused(workshop):
    special_session(workshop, day=0, start=(14, 0), end=(16, 0))
    with pytest.raises(ValidationError) as excinfo:
        country_session(workshop, "TM", day=1)
    assert "must end before the special session" in str(excinfo.value.message_dict["start_time"])


def test_session_outside_the_workshop_dates_is_refused(workshop):
    with pytest.raises(ValidationError) as excinfo:
        country_session(workshop, "KG", day=5)
    assert "must take place during the workshop" in str(excinfo.value.message_dict["date"])
    assert not WorkingSession.objects.exists()


def test_session_ending_before_it_starts_is_refused(workshop):
    with pytest.raises(ValidationError) as excinfo:
        country_session(workshop, "KG", start=(11, 0), end=(10, 0))
    assert "end after it starts" in str(excinfo.value.message_dict["end_time"])


def test_session_too_short_for_its_segments_is_refused(workshop):
    with pytest.raises(ValidationError):
        country_session(workshop, "KG", start=(9, 0), end=(9, 3))
    assert not WorkingSession.objects.exists()


def test_segment_moved_outside_its_session_is_refused_and_nothing_changes(workshop):
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    segments = list(session.segments.all())
    segments[-1].end_time = datetime.time(10, 30)
    with pytest.raises(ValidationError) as excinfo:
        working_session_update(session=session, segments=segments)
    assert "within its session's times, 09:00–10:00" in str(excinfo.value)
    assert session.segments.get(order=4).end_time == datetime.time(10, 0)


def test_overlapping_segments_are_refused(workshop):
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    segments = list(session.segments.all())
    segments[1].start_time = datetime.time(9, 5)
    with pytest.raises(ValidationError) as excinfo:
        working_session_update(session=session, segments=segments)
    assert "before" in str(excinfo.value)


def test_moving_a_session_with_its_segments_in_one_update(workshop):
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    session.start_time, session.end_time = datetime.time(13, 0), datetime.time(14, 0)
    segments = list(session.segments.all())
    for segment, (start, end) in zip(
        segments, segment_times_split(session.start_time, session.end_time, 4), strict=True
    ):
        segment.start_time, segment.end_time = start, end
    working_session_update(session=session, segments=segments)
    session.refresh_from_db()
    assert session.start_time == datetime.time(13, 0)
    assert session.segments.get(order=1).start_time == datetime.time(13, 0)


def test_shrinking_a_session_past_its_segments_is_refused(workshop):
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    session.end_time = datetime.time(9, 30)
    with pytest.raises(ValidationError):
        working_session_update(session=session)
    session.refresh_from_db()
    assert session.end_time == datetime.time(10, 0)


@pytest.mark.parametrize(
    ("start", "end", "parts", "expected"),
    [
        ((9, 0), (10, 0), 4, [(9, 0), (9, 15), (9, 30), (9, 45), (10, 0)]),
        ((9, 30), (11, 0), 4, [(9, 30), (9, 50), (10, 15), (10, 40), (11, 0)]),
        ((14, 0), (16, 0), 3, [(14, 0), (14, 40), (15, 20), (16, 0)]),
        ((9, 0), (9, 10), 4, [(9, 0), (9, 2), (9, 5), (9, 8), (9, 10)]),
    ],
)
def test_segment_times_split_is_back_to_back_on_a_grid(start, end, parts, expected):
    slots = segment_times_split(datetime.time(*start), datetime.time(*end), parts)
    bounds = [slots[0][0]] + [slot_end for _, slot_end in slots]
    assert bounds == [datetime.time(*b) for b in expected]


def test_display_titles_use_the_state_name_and_the_segment_kind(workshop):
    session = country_session(workshop, "KG")
    assert session.display_title == "Country working session: Kyrgyz Republic"
    assert session.segments.get(order=2).display_title == "Best practices of OIC partner member states"
    session.title = "Kyrgyz Republic: ten years of partnership"
    assert str(session) == "Kyrgyz Republic: ten years of partnership"
    assert member_state("KG").working_sessions.count() == 1
