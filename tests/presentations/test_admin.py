import pytest
from django.urls import reverse

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_create
from sessions.enums import SegmentKind
from testkit.factories import WorkshopFactory, approved_delegate, country_session, segment_of, staff_user
from testkit.files import pdf_bytes, upload
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:presentations_presentation_changelist"


@pytest.fixture
def organiser(client):
    user = staff_user("organiser@example.org", ORGANISERS)
    client.force_login(user)
    return user


@pytest.fixture
def kz_session():
    return country_session(WorkshopFactory(), "KZ")


def _proposal(kz_session, code="TR", kind=SegmentKind.PARTNER_BEST_PRACTICES, title="Best practice"):
    presenter = approved_delegate(kz_session.workshop, code)
    return presentation_create(
        presentation=Presentation(presenter=presenter, segment=segment_of(kz_session, kind), title=title, abstract="A"),
        by=presenter.user,
    )


def test_organisers_accept_and_reject_in_bulk(client, organiser, kz_session):
    first, second = _proposal(kz_session, "TR"), _proposal(kz_session, "SA")
    response = client.post(
        reverse(CHANGELIST), {"action": "accept", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Accepted 2 presentations."]
    assert set(Presentation.objects.values_list("status", flat=True)) == {PresentationStatus.ACCEPTED}
    response = client.post(
        reverse(CHANGELIST), {"action": "reject", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Rejected 2 presentations."]
    assert set(Presentation.objects.values_list("status", flat=True)) == {PresentationStatus.REJECTED}


def test_a_bulk_decision_says_what_was_left_and_why(client, organiser, kz_session):
    first, second = _proposal(kz_session, "TR", title="Trade"), _proposal(kz_session, "SA", title="Saudi")
    client.post(reverse(CHANGELIST), {"action": "accept", "_selected_action": [first.pk]}, follow=True)
    Presentation.objects.filter(pk=second.pk).update(status=PresentationStatus.WITHDRAWN)
    response = client.post(
        reverse(CHANGELIST), {"action": "accept", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        ("info", "1 presentation was already accepted."),
        ("warning", "1 presentation could not be accepted (Saudi): The presenter withdrew this presentation."),
    ]


def test_the_changelist_filters_by_session_segment_state_and_status(client, organiser, kz_session):
    _proposal(kz_session, "TR")
    _proposal(kz_session, "KZ", kind=SegmentKind.HOST_STATE, title="Host")
    url = reverse(CHANGELIST)
    assert client.get(url, {"segment_kind": "host_state"}).context["cl"].result_count == 1
    turkiye = Presentation.objects.get(title="Best practice").presenting_state
    assert client.get(url, {"presenting_state__id__exact": turkiye.pk}).context["cl"].result_count == 1
    assert client.get(url, {"status__exact": "draft"}).context["cl"].result_count == 2
    assert client.get(url, {"segment__session__id__exact": kz_session.pk}).context["cl"].result_count == 2


def test_moving_a_presentation_to_a_segment_it_does_not_fit_shows_the_rule(client, organiser, kz_session):
    presentation = _proposal(kz_session, "TR")
    url = reverse("admin:presentations_presentation_change", args=[presentation.pk])
    response = client.post(
        url,
        {
            "segment": segment_of(kz_session, SegmentKind.HOST_STATE).pk,
            "presenter": presentation.presenter.pk,
            "title": presentation.title,
            "abstract": presentation.abstract,
            "order": "1",
            "files-TOTAL_FORMS": "0",
            "files-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Only a delegate of Kazakhstan presents in this segment." in response.content.decode()
    presentation.refresh_from_db()
    assert presentation.segment.kind == SegmentKind.PARTNER_BEST_PRACTICES


def test_an_organiser_uploads_a_version_from_the_admin(client, organiser, kz_session):
    presentation = _proposal(kz_session, "TR")
    url = reverse("admin:presentations_presentation_change", args=[presentation.pk])
    data = {
        "segment": presentation.segment.pk,
        "presenter": presentation.presenter.pk,
        "title": presentation.title,
        "abstract": presentation.abstract,
        "order": "1",
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
    }
    response = client.post(url, {**data, "new_file": upload("notes.pdf", b"<svg onload=alert(1)>")})
    assert response.status_code == 200
    assert "Upload a PDF, PowerPoint (.pptx) or Word (.docx) file." in response.content.decode()
    assert not presentation.files.exists()
    response = client.post(url, {**data, "new_file": upload("deck.pdf", pdf_bytes())})
    assert response.status_code == 302
    version = presentation.files.get()
    assert version.uploaded_by == organiser


def test_the_secretariat_sees_presentations_but_cannot_decide(client, kz_session):
    presentation = _proposal(kz_session, "TR")
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action is open to the secretariat
    client.post(reverse(CHANGELIST), {"action": "accept", "_selected_action": [presentation.pk]})
    presentation.refresh_from_db()
    assert presentation.status == PresentationStatus.DRAFT
