"""The verification page, downloads, the staff page and the dashboard: who sees what, at what cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.batches import document_batch_request, document_batch_run
from documents.models import IssuedDocument
from documents.services import document_issue, document_revoke
from testkit.factories import verified_user
from tests.documents.support import ATTENDANCE, checked_in, target_of
from tests.i18n_support import tr

pytestmark = pytest.mark.django_db


def _issue(world, key="claire"):
    workshop = world["workshop"]
    return document_issue(
        workshop=workshop, kind=ATTENDANCE, target=target_of(workshop, ATTENDANCE, world[key]), by=None
    )


def test_the_verification_page_shows_only_what_the_document_states(client, world):
    document = _issue(world)
    response = client.get(reverse("documents:verify", args=[document.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This document is valid." in html
    assert "Claire Martin" in html
    assert "Certificate of attendance" in html
    assert "Workshop on Cooperation" in html
    assert world["claire"].email not in html
    assert world["claire"].position not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_a_revoked_document_says_so_with_its_date_and_never_the_reason(client, world):
    document = _issue(world)
    document_revoke(document=document, by=world["organiser"], reason="Medical emergency on day one")
    html = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "was revoked on" in html
    assert "is no longer valid" in html
    assert "Medical emergency" not in html
    assert "This document is valid." not in html


def test_a_superseded_document_points_to_its_replacement_date(client, world):
    first = _issue(world)
    _issue(world)
    html = client.get(reverse("documents:verify", args=[first.code])).content.decode()
    assert "a newer one replaced it on" in html


def test_an_unknown_code_is_a_404_that_gives_no_hint(client, world):
    document = _issue(world)
    near = document.code[:-1] + ("A" if document.code[-1] != "A" else "B")
    response = client.get(reverse("documents:verify", args=[near]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This verification code is not known." in html
    assert "Claire" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_verification_is_rate_limited_per_client_address(client, world, settings):
    settings.DOCUMENT_VERIFY_RATE_LIMIT = 30
    document = _issue(world)
    url = reverse("documents:verify", args=[document.code])
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(30)]
    assert set(statuses) == {200}
    refused = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Too many verifications" in refused.content.decode()
    # Unknown codes count too (guessing is what the limit is for); another address is not affected.
    assert client.get(reverse("documents:verify", args=["x" * 24]), REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200


def _download(client, user, document):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("documents:download", args=[document.pk]))


def test_only_the_holder_and_the_staff_download_a_document(client, world):
    document = _issue(world, "claire")
    holder = _download(client, world["claire"].user, document)
    assert holder.status_code == 200
    assert holder["Content-Type"] == "application/pdf"
    assert holder["Content-Disposition"].startswith("attachment")
    assert b"".join(holder.streaming_content).startswith(b"%PDF")
    assert _download(client, world["secretariat"], document).status_code == 200
    assert _download(client, world["organiser"], document).status_code == 200
    assert _download(client, world["omar"].user, document).status_code == 404  # another participant
    assert _download(client, verified_user("stranger@example.org"), document).status_code == 404
    assert _download(client, None, document).status_code == 302
    document_revoke(document=document, by=world["organiser"], reason="Wrong name")
    assert _download(client, world["claire"].user, document).status_code == 404  # revoked: not the holder's any more
    assert _download(client, world["secretariat"], document).status_code == 200


def test_the_dashboard_lists_the_holders_documents(client, world):
    document = _issue(world, "claire")
    client.force_login(world["claire"].user)
    html = client.get(reverse("registrations:dashboard")).content.decode()
    assert reverse("documents:download", args=[document.pk]) in html
    assert tr("fr", "Certificate of attendance") in html  # Claire reads the portal in French
    client.force_login(world["omar"].user)
    html = client.get(reverse("registrations:dashboard")).content.decode()
    assert reverse("documents:download", args=[document.pk]) not in html


def _grow(world, count, start):
    for index in range(start, start + count):
        checked_in(world["workshop"], f"extra{index}@example.org", name=f"Extra {index:03}", by=world["organiser"])


def test_the_staff_page_costs_the_same_queries_at_any_size(client, world):
    client.force_login(world["secretariat"])
    url = reverse("documents:workshop", args=[world["workshop"].slug])
    counts = []
    for size in (2, 20):
        _grow(world, size, len(counts) * 100)
        batch = document_batch_request(workshop=world["workshop"], kind=ATTENDANCE, by=world["organiser"])
        document_batch_run(batch=batch, task_id=f"t{size}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert IssuedDocument.objects.current().count() == 3 + 22
    assert counts[0] == counts[1], counts


def test_the_dashboard_costs_the_same_queries_with_more_documents(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(world["aigerim"].user)
    counts = []
    for kind in (ATTENDANCE, "certificate_presenter"):
        workshop = world["workshop"]
        document_issue(workshop=workshop, kind=kind, target=target_of(workshop, kind, world["aigerim"]), by=None)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("registrations:dashboard")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_staff_dashboard_links_each_workshops_documents(client, world):
    client.force_login(world["secretariat"])
    html = client.get(reverse("registrations:dashboard")).content.decode()
    assert reverse("documents:workshop", args=[world["workshop"].slug]) in html
    client.force_login(world["claire"].user)
    html = client.get(reverse("registrations:dashboard")).content.decode()
    assert reverse("documents:workshop", args=[world["workshop"].slug]) not in html
