import datetime
import zoneinfo

import pytest
from django.contrib import admin
from django.urls import reverse

from sessions.models import Segment, WorkingSession
from testkit.factories import WorkshopFactory, country_session, member_state, special_session
from workshop_portal.models import Institution, MemberState, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return WorkshopFactory()


def _admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_admin_changelist_and_form_renders(admin_client, workshop):
    session = country_session(workshop, "KZ")
    objects = {WorkingSession: session, Workshop: workshop, MemberState: member_state("KZ")}
    for model, model_admin in admin.site._registry.items():
        response = admin_client.get(_admin_url(model, "changelist"))
        assert response.status_code == 200, model
        response = admin_client.get(_admin_url(model, "changelist"), {"q": "a"})
        assert response.status_code == 200, model
        if model_admin.has_add_permission(response.wsgi_request):
            assert admin_client.get(_admin_url(model, "add")).status_code == 200, model
        obj = objects.get(model) or model.objects.first()
        if obj is not None:
            assert admin_client.get(_admin_url(model, "change", obj.pk)).status_code == 200, model


def test_member_state_search_matches_names_in_the_active_language(admin_client):
    response = admin_client.get(_admin_url(MemberState, "changelist"), {"q": "kyrgyz"})
    assert list(response.context["cl"].result_list) == [member_state("KG")]


def _session_form(workshop, **overrides):
    data = {
        "workshop": workshop.pk,
        "kind": "country",
        "country": member_state("KZ").pk,
        "title": "",
        "date": workshop.start_date.isoformat(),
        "start_time": "09:00",
        "end_time": "10:30",
        "room": "Main hall",
        "order": "0",
        "chair": "",
        "rapporteur": "",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_country_session_with_its_four_segments(admin_client, workshop):
    response = admin_client.post(_admin_url(WorkingSession, "add"), _session_form(workshop))
    assert response.status_code == 302
    session = WorkingSession.objects.get(workshop=workshop)
    assert session.segments.count() == 4


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        # Only the five are offered; a forged choice is refused by the form.
        ({"country": "TR"}, "Select a valid choice."),
        ({"end_time": "08:00"}, "A session must end after it starts."),
        ({"date": "2099-01-01"}, "The session must take place during the workshop"),
    ],
)
def test_admin_refuses_a_bad_session_with_a_message(admin_client, workshop, overrides, message):
    if "country" in overrides:
        overrides["country"] = member_state(overrides["country"]).pk
    response = admin_client.post(_admin_url(WorkingSession, "add"), _session_form(workshop, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkingSession.objects.exists()
    assert not Segment.objects.exists()


def test_admin_country_choices_offer_only_central_asian_states(admin_client, workshop):
    response = admin_client.get(_admin_url(WorkingSession, "add"))
    choices = {str(label) for _, label in response.context["adminform"].form.fields["country"].choices if _}
    assert choices == {"Kazakhstan", "Kyrgyz Republic", "Tajikistan", "Turkmenistan", "Uzbekistan"}


def test_admin_refuses_a_second_kazakhstan_session(admin_client, workshop):
    country_session(workshop, "KZ")
    response = admin_client.post(
        _admin_url(WorkingSession, "add"), _session_form(workshop, start_time="11:00", end_time="12:00")
    )
    assert response.status_code == 200
    assert "This workshop already has a country working session for this state." in response.content.decode()
    assert WorkingSession.objects.count() == 1


def test_admin_refuses_a_second_special_session(admin_client, workshop):
    special_session(workshop)
    response = admin_client.post(
        _admin_url(WorkingSession, "add"),
        _session_form(
            workshop,
            kind="special",
            country="",
            date=workshop.end_date.isoformat(),
            start_time="16:30",
            end_time="17:00",
        ),
    )
    assert "This workshop already has a special session." in response.content.decode()
    assert WorkingSession.objects.count() == 1


def _change_form(session, segment_times):
    data = _session_form(
        session.workshop,
        country=session.country_id,
        start_time=session.start_time.strftime("%H:%M"),
        end_time=session.end_time.strftime("%H:%M"),
    )
    data.pop("workshop")
    data.pop("kind")
    segments = list(session.segments.order_by("order"))
    data.update(
        {
            "segments-TOTAL_FORMS": str(len(segments)),
            "segments-INITIAL_FORMS": str(len(segments)),
            "segments-MIN_NUM_FORMS": "0",
            "segments-MAX_NUM_FORMS": "1000",
        }
    )
    for index, (segment, (start, end)) in enumerate(zip(segments, segment_times, strict=True)):
        data.update(
            {
                f"segments-{index}-id": str(segment.pk),
                f"segments-{index}-session": str(session.pk),
                f"segments-{index}-title": segment.title,
                f"segments-{index}-start_time": start,
                f"segments-{index}-end_time": end,
            }
        )
    return data


def test_admin_refuses_a_segment_outside_its_session(admin_client, workshop):
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    times = [("09:00", "09:15"), ("09:15", "09:30"), ("09:30", "09:45"), ("09:45", "10:20")]
    response = admin_client.post(_admin_url(WorkingSession, "change", session.pk), _change_form(session, times))
    assert response.status_code == 200
    assert "The segment must fall within its session&#x27;s times, 09:00–10:00." in response.content.decode()
    assert session.segments.get(order=4).end_time == datetime.time(10, 0)


def test_admin_refuses_overlapping_segments(admin_client, workshop):
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    times = [("09:00", "09:20"), ("09:15", "09:30"), ("09:30", "09:45"), ("09:45", "10:00")]
    response = admin_client.post(_admin_url(WorkingSession, "change", session.pk), _change_form(session, times))
    assert response.status_code == 200
    assert "starts at 09:15, before" in response.content.decode()
    assert session.segments.get(order=1).end_time == datetime.time(9, 15)


def test_admin_moves_a_session_and_its_segments_together(admin_client, workshop):
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    data = _change_form(session, [("14:00", "14:15"), ("14:15", "14:30"), ("14:30", "14:45"), ("14:45", "15:00")])
    data.update(start_time="14:00", end_time="15:00")
    response = admin_client.post(_admin_url(WorkingSession, "change", session.pk), data)
    assert response.status_code == 302, response.context["errors"]
    session.refresh_from_db()
    assert session.start_time == datetime.time(14, 0)
    assert session.segments.get(order=4).end_time == datetime.time(15, 0)


def _workshop_form(**overrides):
    start = datetime.date(2031, 3, 10)
    data = {
        "title": "Second workshop on cooperation with Central Asia",
        "slug": "second-workshop",
        "host_institution": Institution.objects.get(acronym="SESRIC").pk,
        "description": "",
        "is_published": "on",
        "venue": "SESRIC conference hall",
        "city": "Ankara",
        "start_date": start.isoformat(),
        "end_date": (start + datetime.timedelta(days=1)).isoformat(),
        "time_zone": "Asia/Almaty",
        "registration_opens_at_0": "2031-01-01",
        "registration_opens_at_1": "09:00",
        "registration_closes_at_0": "2031-03-01",
        "registration_closes_at_1": "17:00",
        "upload_deadline_0": "2031-03-05",
        "upload_deadline_1": "17:00",
        "capacity": "80",
    }
    data.update(overrides)
    return data


def test_admin_reads_workshop_deadlines_in_the_workshop_time_zone(admin_client):
    response = admin_client.post(_admin_url(Workshop, "add"), _workshop_form())
    assert response.status_code == 302, response.content.decode()
    workshop = Workshop.objects.get(slug="second-workshop")
    local = workshop.registration_closes_at.astimezone(zoneinfo.ZoneInfo("Asia/Almaty"))
    assert (local.date(), local.hour, local.minute) == (datetime.date(2031, 3, 1), 17, 0)
    # Shown back in the same zone on the change page.
    page = admin_client.get(_admin_url(Workshop, "change", workshop.pk)).content.decode()
    assert 'name="registration_closes_at_1" value="17:00:00"' in page, page[
        page.find("registration_closes_at_1") - 200 :
    ][:400]


def test_admin_refuses_a_workshop_that_ends_before_it_starts(admin_client):
    response = admin_client.post(_admin_url(Workshop, "add"), _workshop_form(end_date="2031-03-01"))
    assert response.status_code == 200
    assert "The workshop cannot end before it starts." in response.content.decode()
    assert not Workshop.objects.filter(slug="second-workshop").exists()


def test_admin_publish_action_goes_through_the_service(admin_client):
    drafts = WorkshopFactory.create_batch(2, is_published=False)
    response = admin_client.post(
        _admin_url(Workshop, "changelist"),
        {"action": "publish", "_selected_action": [w.pk for w in drafts]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Published 2 workshops."]
    assert Workshop.objects.filter(is_published=True).count() == 2
    response = admin_client.post(
        _admin_url(Workshop, "changelist"),
        {"action": "publish", "_selected_action": [w.pk for w in drafts]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["2 workshops were already published."]


def test_admin_national_institution_needs_its_member_state(admin_client):
    response = admin_client.post(
        _admin_url(Institution, "add"),
        {"name": "Ministry of Economy", "acronym": "", "kind": "national", "member_state": "", "website": ""},
    )
    assert response.status_code == 200
    assert "Choose the member state this national institution belongs to." in response.content.decode()
    assert not Institution.objects.filter(name="Ministry of Economy").exists()
