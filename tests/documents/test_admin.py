"""The admin of issued documents: filters, search, a revocation that asks for its reason first."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from documents.models import IssuedDocument
from documents.services import document_issue
from tests.documents.support import ATTENDANCE, target_of

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:documents_issueddocument_changelist"


def _issue(world, key):
    workshop = world["workshop"]
    return document_issue(
        workshop=workshop, kind=ATTENDANCE, target=target_of(workshop, ATTENDANCE, world[key]), by=None
    )


def test_the_changelist_filters_searches_and_links_downloads_through_the_protected_view(client, world):
    document = _issue(world, "claire")
    _issue(world, "omar")
    client.force_login(world["organiser"])
    html = client.get(reverse(CHANGELIST), {"q": document.code}).content.decode()
    assert "Claire Martin" in html
    assert "Omar Haddad" not in html
    assert reverse("documents:download", args=[document.pk]) in html
    html = client.get(reverse(CHANGELIST), {"validity": "valid", "language": "ar"}).content.decode()
    assert "Omar Haddad" in html
    assert "Claire Martin" not in html


def test_revoking_asks_for_a_reason_on_a_confirmation_page(client, world):
    document = _issue(world, "claire")
    client.force_login(world["organiser"])
    selected = {"action": "revoke", ACTION_CHECKBOX_NAME: [document.pk]}
    confirm = client.post(reverse(CHANGELIST), selected)
    assert confirm.status_code == 200
    assert "Reason (for the staff only)" in confirm.content.decode()
    document.refresh_from_db()
    assert document.revoked_at is None  # nothing yet
    empty = client.post(reverse(CHANGELIST), {**selected, "apply": "1", "reason": " "})
    assert "Give the reason" in empty.content.decode()
    done = client.post(reverse(CHANGELIST), {**selected, "apply": "1", "reason": "Issued by mistake"}, follow=True)
    assert "1 document revoked." in done.content.decode()
    document.refresh_from_db()
    assert document.revocation == "revoked"
    assert document.revocation_reason == "Issued by mistake"
    assert document.revoked_by == world["organiser"]


def test_the_secretariat_cannot_revoke(client, world):
    document = _issue(world, "claire")
    client.force_login(world["secretariat"])
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert 'value="revoke"' not in html
    client.post(
        reverse(CHANGELIST), {"action": "revoke", ACTION_CHECKBOX_NAME: [document.pk], "apply": "1", "reason": "x"}
    )
    assert IssuedDocument.objects.get(pk=document.pk).revoked_at is None


def test_issuing_again_after_a_name_is_corrected_replaces_the_document(client, world):
    document = _issue(world, "claire")
    world["claire"].participant_name = "Claire Martin-Dubois"
    world["claire"].save()
    client.force_login(world["organiser"])
    response = client.post(
        reverse(CHANGELIST), {"action": "issue_again", ACTION_CHECKBOX_NAME: [document.pk]}, follow=True
    )
    assert "1 document issued again." in response.content.decode()
    document.refresh_from_db()
    assert document.revocation == "superseded"
    assert document.superseded_by.holder_name == "Claire Martin-Dubois"
