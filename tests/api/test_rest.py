import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create
from presentations.enums import PresentationStatus
from presentations.models import Presentation
from registrations.enums import RegistrationStatus
from sessions.enums import SegmentKind
from testkit.factories import (
    WorkshopFactory,
    approved_delegate,
    country_session,
    institution_delegate,
    segment_of,
    staff_user,
    verified_user,
)
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    workshop = WorkshopFactory(slug="api-workshop")
    session = country_session(workshop, "KZ", room="Hall A")
    listed = approved_delegate(workshop, "KZ", participant_name="Listed Presenter", consent_to_list=True)
    hidden = institution_delegate(workshop)
    hidden.participant_name = "Hidden Presenter"
    hidden.consent_to_list = False
    hidden.save()
    for presenter, kind, title in (
        (listed, SegmentKind.HOST_STATE, "Our cooperation"),
        (hidden, SegmentKind.INTERNATIONAL_INSTITUTIONS, "A partnership"),
    ):
        Presentation.objects.create(
            presenter=presenter, segment=segment_of(session, kind), title=title, abstract="A",
            status=PresentationStatus.ACCEPTED, workshop=workshop, segment_kind=kind,
        )  # fmt: skip
    return workshop


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    assert b"Traceback" not in response.content
    return body["error"]


@pytest.mark.parametrize(
    "name", ["api-workshops", "api-sessions", "api-segments", "api-presentations", "api-member-states",
             "api-institutions"],
)  # fmt: skip
def test_public_lists_answer_anonymous_readers_with_pages(client, workshop, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert response["ETag"]


def test_presentations_name_only_presenters_who_consented(client, workshop):
    results = client.get(reverse("api-presentations"), {"workshop": workshop.slug}).json()["results"]
    by_title = {row["title"]: row for row in results}
    assert by_title["Our cooperation"]["presenter"]["name"] == "Listed Presenter"
    assert by_title["A partnership"]["presenter"] is None
    assert "Hidden Presenter" not in str(results)


def test_sessions_filter_by_workshop_and_give_times_in_the_venue_zone(client, workshop):
    WorkshopFactory(slug="other-one")
    results = client.get(reverse("api-sessions"), {"workshop": workshop.slug}).json()["results"]
    assert [row["workshop"] for row in results] == [workshop.slug]
    assert results[0]["starts_at"].endswith("+03:00")


def test_unpublished_workshops_stay_out_of_the_public_api(client):
    hidden = WorkshopFactory(is_published=False)
    country_session(hidden, "KG")
    assert client.get(reverse("api-sessions")).json()["count"] == 0
    _error(client.get(reverse("api-workshop", args=[hidden.slug])), 404, "not_found")
    _error(client.get(reverse("api-sessions"), {"workshop": hidden.slug}), 400, "invalid_filter")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"workshop": "no-such"}, "workshop"), ({"session": "abc"}, "session"), ({"segment": "-1"}, "segment")],
)
def test_malformed_or_unknown_filters_get_the_documented_error(client, workshop, params, field):
    error = _error(client.get(reverse("api-presentations"), params), 400, "invalid_filter")
    assert field in error["details"]


def test_etag_answers_304(client, workshop):
    url = reverse("api-sessions")
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_staff_endpoints_need_the_permission(client, workshop):
    for url in (reverse("api-registrations"), reverse("api-proceedings-builds")):
        anonymous = client.get(url)
        assert anonymous.status_code in (401, 403)
        assert anonymous.json()["error"]["code"] == "not_authenticated"
    delegate = approved_delegate(workshop, "KG").user
    client.force_login(delegate)
    _error(client.get(reverse("api-registrations")), 403, "permission_denied")
    _error(client.get(reverse("api-proceedings-builds")), 403, "permission_denied")


def test_secretariat_token_reads_registrations_with_the_export_columns_and_filters(client, workshop):
    secretariat = staff_user("secretariat@example.org", SECRETARIAT)
    _token, raw = api_token_create(user=secretariat, name="Spreadsheet", valid_days=30)
    response = client.get(
        reverse("api-registrations"), {"workshop": workshop.slug, "status": "approved"}, **_bearer(raw)
    )
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert {row["participant_name"] for row in rows} == {"Listed Presenter", "Hidden Presenter"}
    assert {"email", "dietary_needs", "access_needs", "consent_to_list", "checked_in_at"} <= set(rows[0])
    _error(client.get(reverse("api-registrations"), {"status": "nonsense"}, **_bearer(raw)), 400, "invalid_filter")
    _error(client.get(reverse("api-registrations"), {"member_state": "XYZ"}, **_bearer(raw)), 400, "invalid_filter")


def test_revoked_expired_and_unknown_tokens_get_401_and_no_data(client, workshop):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    token, raw = api_token_create(user=organiser, name="Signage", valid_days=30)
    url = reverse("api-registrations")
    assert client.get(url, **_bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(url, **_bearer(raw))
    _error(response, 401, "invalid_token")
    assert response["WWW-Authenticate"].startswith("Bearer")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None, revoked_at=timezone.now())
    _error(client.get(url, **_bearer(raw)), 401, "invalid_token")
    _error(client.get(reverse("api-workshops"), **_bearer("wsp_not-a-token")), 401, "invalid_token")
    _error(client.get(reverse("api-workshops"), HTTP_AUTHORIZATION="Bearer two parts"), 401, "invalid_token")


def test_a_token_may_not_write(client, workshop):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    _token, raw = api_token_create(user=organiser, name="Signage", valid_days=None)
    _error(client.post(reverse("api-registrations"), {}, **_bearer(raw)), 403, "token_scope")
    assert client.post(reverse("api-workshops")).status_code in (403, 405)


def test_tokens_are_stored_as_sha256_only(workshop):
    user = verified_user("someone@example.org")
    token, raw = api_token_create(user=user, name="Phone", valid_days=90)
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.digest, stored.prefix)
    assert len(stored.digest) == 64


def test_throttled_requests_get_429_in_the_error_shape(client, settings, workshop):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/min"}
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = rates
    try:
        for _attempt in range(2):
            assert client.get(reverse("api-member-states")).status_code == 200
        error = _error(client.get(reverse("api-member-states")), 429, "throttled")
        assert "retry_after_seconds" in error["details"]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original


@pytest.mark.parametrize("name", ["api-presentations", "api-segments", "api-sessions"])
def test_list_query_count_is_flat_from_6_to_600_presentations(client, name):
    counts = []
    for size in (6, 600):
        workshop = WorkshopFactory()
        sessions = [country_session(workshop, code, start=(8 + 2 * i, 0), end=(9 + 2 * i, 30))
                    for i, code in enumerate(("KZ", "KG", "TJ"))]  # fmt: skip
        presenter = institution_delegate(workshop)
        assert presenter.status == RegistrationStatus.APPROVED
        Presentation.objects.bulk_create(
            Presentation(
                presenter=presenter, segment=segment_of(sessions[n % 3], SegmentKind.INTERNATIONAL_INSTITUTIONS),
                title=f"Programme {n}", abstract="A", status=PresentationStatus.ACCEPTED, order=n, workshop=workshop,
                segment_kind=SegmentKind.INTERNATIONAL_INSTITUTIONS,
            )
            for n in range(size)
        )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), {"workshop": workshop.slug, "page_size": 500})
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


def test_openapi_document_is_valid(client):
    import yaml
    from openapi_spec_validator import validate

    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    validate(document)
    assert "/api/v1/registrations/" in document["paths"]
    assert "Error" in document["components"]["schemas"]


def test_docs_page_loads_swagger_from_the_portal_without_inline_script(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "'unsafe-inline'" not in response.get("Content-Security-Policy", "")


def test_an_anonymous_programme_list_comes_from_the_cache_and_shows_changes_at_once(client, settings, workshop):
    """Phone apps poll the programme: the anonymous lists of one workshop are kept (the programme
    page's cache and scopes) and renewed by any change the programme shows."""
    path = reverse("api-presentations")
    params = {"workshop": workshop.slug}
    first = client.get(path, params)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(path, params)
    assert len(queries.captured_queries) == 0
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    # The same bytes as a list read from the database.
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get(path, params).content == first.content
    settings.PAGE_CACHE_SECONDS = 60
    assert "Hidden Presenter" not in first.content.decode()

    hidden = Presentation.objects.get(title="A partnership").presenter
    hidden.consent_to_list = True
    hidden.save()
    assert "Hidden Presenter" in client.get(path, params).content.decode()
    withdrawn = Presentation.objects.get(title="Our cooperation")
    withdrawn.status = PresentationStatus.WITHDRAWN
    withdrawn.save()
    titles = [item["title"] for item in client.get(path, params).json()["results"]]
    assert titles == ["A partnership"]
    # Pages and filters are kept apart.
    assert client.get(path, {**params, "page_size": 1}).json()["next"] is None
    assert client.get(path, {**params, "segment": 0}).json()["results"] == []


def test_an_anonymous_programme_list_read_afresh_looks_its_workshop_up_once(client, settings, workshop):
    """On a cache miss the list reads the workshop once (to key the cache), not again to filter."""
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api-presentations"), {"workshop": workshop.slug})
    assert response.status_code == 200
    by_slug = [query["sql"] for query in queries.captured_queries if '"slug" = ' in query["sql"]]
    assert len(by_slug) == 1, by_slug
    # An unknown workshop still gets the documented error.
    missing = client.get(reverse("api-presentations"), {"workshop": "no-such-workshop"})
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "invalid_filter"
    assert missing.json()["error"]["details"]["workshop"] == ["No such workshop."]
