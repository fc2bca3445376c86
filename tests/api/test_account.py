import icalendar
import pytest
from django.urls import reverse

from api.models import ApiToken, CalendarFeed, token_digest
from presentations.enums import PresentationStatus
from presentations.models import Presentation
from sessions.enums import SegmentKind
from testkit.factories import WorkshopFactory, approved_delegate, country_session, segment_of, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegate():
    workshop = WorkshopFactory(slug="mine", title="My workshop")
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 30))
    registration = approved_delegate(workshop, "KZ")
    Presentation.objects.create(
        presenter=registration, segment=segment_of(session, SegmentKind.HOST_STATE), title="My deck", abstract="A",
        status=PresentationStatus.SUBMITTED, workshop=workshop, segment_kind=SegmentKind.HOST_STATE,
    )  # fmt: skip
    WorkshopFactory(slug="not-mine", title="Someone else's workshop")
    return registration.user


def test_personal_feed_lists_own_workshops_and_the_sessions_one_presents_in(client, delegate):
    client.force_login(delegate)
    page = client.get(reverse("api:account"))
    assert page.status_code == 200
    feed = CalendarFeed.objects.get(user=delegate)
    url = reverse("api:personal_feed", args=[feed.secret])
    assert url in page.content.decode()
    client.logout()  # a calendar app has no session: the secret address is enough
    response = client.get(url)
    assert response.status_code == 200
    summaries = [str(event["summary"]) for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert "My workshop" in summaries
    assert "Presenting: My deck" in summaries
    assert "Someone else's workshop" not in summaries


def test_resetting_the_feed_invalidates_the_old_address(client, delegate):
    client.force_login(delegate)
    client.get(reverse("api:account"))
    old = CalendarFeed.objects.get(user=delegate).secret
    assert client.post(reverse("api:feed_reset")).status_code == 302
    new = CalendarFeed.objects.get(user=delegate).secret
    assert new != old
    assert client.get(reverse("api:personal_feed", args=[old])).status_code == 404
    assert client.get(reverse("api:personal_feed", args=[new])).status_code == 200


def test_token_is_shown_once_and_stored_hashed_then_revoked(client, delegate):
    client.force_login(delegate)
    response = client.post(reverse("api:token_create"), {"name": "Phone", "valid_days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=delegate)
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    assert token.digest == token_digest(raw)
    assert raw not in client.get(reverse("api:account")).content.decode()
    workshops = reverse("api-workshops")
    assert client.get(workshops, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    assert client.get(workshops, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_token_form_with_no_name_changes_nothing(client, delegate):
    client.force_login(delegate)
    response = client.post(reverse("api:token_create"), {"name": "", "valid_days": "7"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_persons_token(client, delegate):
    client.force_login(delegate)
    client.post(reverse("api:token_create"), {"name": "Phone", "valid_days": "30"})
    token = ApiToken.objects.get(user=delegate)
    client.force_login(verified_user("other@example.org"))
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_unknown_feed_secret_is_not_found(client):
    assert client.get(reverse("api:personal_feed", args=["nope"])).status_code == 404


def test_erasure_deletes_the_tokens_and_the_feed(delegate):
    from api.services import api_token_create, calendar_feed_get_or_create
    from workshop_portal.personal_data import Cleanup, sources

    api_token_create(user=delegate, name="Phone", valid_days=1)
    calendar_feed_get_or_create(user=delegate)
    (source,) = [source for source in sources() if source.key == "api"]
    assert source.export(delegate).data["api_tokens"][0]["name"] == "Phone"
    source.erase(delegate, Cleanup(by=None))
    assert not ApiToken.objects.filter(user=delegate).exists()
    assert not CalendarFeed.objects.filter(user=delegate).exists()
