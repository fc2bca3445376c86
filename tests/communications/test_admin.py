"""The outbox in the admin: organisers filter and search it, read each email as sent, and send
failed ones again; nobody edits, adds or deletes a row."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communications.enums import EmailStatus
from communications.models import OutboundEmail
from communications.services import message_id
from testkit.factories import WorkshopFactory, staff_user
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:communications_outboundemail_changelist")


def _row(**fields) -> OutboundEmail:
    values = {
        "to_address": "delegate@example.org",
        "language": "en",
        "kind": "registrations/email/approved",
        "subject": "Registration approved",
        "text": "Dear delegate,",
        "html": "<p>Dear delegate,</p>",
        "from_address": "Workshop portal <secretariat@localhost>",
        "message_id": message_id(),
        **fields,
    }
    return OutboundEmail.objects.create(**values)


@pytest.fixture
def organiser_client():
    client = Client()
    client.force_login(staff_user("organiser@example.org", ORGANISERS))
    return client


def _listed(response) -> set[int]:
    return {row.pk for row in response.context["cl"].result_list}


def test_organisers_filter_by_workshop_status_kind_language_and_search(organiser_client):
    ankara, tashkent = WorkshopFactory(slug="ankara"), WorkshopFactory(slug="tashkent")
    sent = _row(workshop=ankara, status=EmailStatus.SENT)
    refused = _row(
        workshop=ankara,
        to_address="nobody@example.org",
        status=EmailStatus.FAILED,
        last_error="550 5.1.1 User unknown",
        last_error_code=550,
    )
    arabic = _row(workshop=tashkent, language="ar", kind="delegations/email/nomination", subject="ترشيح")
    assert _listed(organiser_client.get(CHANGELIST)) == {sent.pk, refused.pk, arabic.pk}
    assert _listed(organiser_client.get(CHANGELIST, {"workshop__id__exact": ankara.pk})) == {sent.pk, refused.pk}
    assert _listed(organiser_client.get(CHANGELIST, {"status__exact": "failed"})) == {refused.pk}
    assert _listed(organiser_client.get(CHANGELIST, {"kind": "delegations/email/nomination"})) == {arabic.pk}
    assert _listed(organiser_client.get(CHANGELIST, {"language": "ar"})) == {arabic.pk}
    assert _listed(organiser_client.get(CHANGELIST, {"q": "nobody@"})) == {refused.pk}
    assert _listed(organiser_client.get(CHANGELIST, {"q": "ترشيح"})) == {arabic.pk}
    # The server's answer is on the list.
    assert "550 5.1.1 User unknown" in organiser_client.get(CHANGELIST).content.decode()


def test_the_list_costs_the_same_queries_for_10_and_100_emails(organiser_client, django_assert_max_num_queries):
    workshop = WorkshopFactory()
    for _n in range(10):
        _row(workshop=workshop)
    organiser_client.get(CHANGELIST)
    with django_assert_max_num_queries(12) as small:
        organiser_client.get(CHANGELIST)
    for _n in range(90):
        _row(workshop=workshop)
    with django_assert_max_num_queries(len(small.captured_queries)):
        organiser_client.get(CHANGELIST)


def test_an_email_reads_as_sent_and_its_html_is_shown_in_a_sandbox(organiser_client):
    row = _row(text="Dear <b>delegate</b>,", html='<p style="color:red">Dear delegate,</p><script>alert(1)</script>')
    page = organiser_client.get(reverse("admin:communications_outboundemail_change", args=[row.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Dear &lt;b&gt;delegate&lt;/b&gt;," in content
    assert "<script>alert(1)</script>" not in content
    assert 'name="subject"' not in content  # read-only: no field to edit
    html = organiser_client.get(reverse("admin:communications_outboundemail_html", args=[row.pk]))
    assert html.status_code == 200
    assert html.content.decode() == row.html
    policy = html["Content-Security-Policy"]
    assert policy.startswith("sandbox;")
    assert "default-src 'none'" in policy
    assert "script-src" not in policy


def test_the_secretariat_does_not_read_the_outbox():
    client = Client()
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    row = _row()
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:communications_outboundemail_html", args=[row.pk])).status_code == 403


def test_send_again_queues_failed_and_uncertain_emails_only(organiser_client, django_capture_on_commit_callbacks):
    failed = _row(status=EmailStatus.FAILED, attempts=5, last_error="421 busy")
    uncertain = _row(status=EmailStatus.UNCERTAIN, attempts=1)
    sent = _row(status=EmailStatus.SENT, sent_at=timezone.now())
    redacted = _row(status=EmailStatus.FAILED, redacted=True)
    with django_capture_on_commit_callbacks() as callbacks:
        response = organiser_client.post(
            CHANGELIST,
            {"action": "send_again", "_selected_action": [failed.pk, uncertain.pk, sent.pk, redacted.pk]},
            follow=True,
        )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert "2 emails queued again." in messages
    assert any("2 emails were not queued again" in m for m in messages)
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert statuses == {
        failed.pk: EmailStatus.QUEUED,
        uncertain.pk: EmailStatus.QUEUED,
        sent.pk: EmailStatus.SENT,
        redacted.pk: EmailStatus.FAILED,
    }
    assert len(callbacks) == 1  # handed to a worker once the action commits


def test_one_persons_emails_by_account_or_address(organiser_client):
    person = staff_user("someone@example.org", ORGANISERS)
    theirs = _row(user=person, to_address=person.email)
    by_address = _row(to_address="someone@example.org")
    _row(to_address="else@example.org")
    assert _listed(organiser_client.get(CHANGELIST, {"user__id__exact": person.pk})) == {theirs.pk}
    assert _listed(organiser_client.get(CHANGELIST, {"q": "someone@example.org"})) == {theirs.pk, by_address.pk}


def test_the_email_page_keeps_to_the_content_security_policy(organiser_client):
    # The policy allows no inline style: a style= attribute would be ignored (the text not wrapped).
    row = _row(text="A long line of text " * 20)
    page = organiser_client.get(reverse("admin:communications_outboundemail_change", args=[row.pk]))
    content = page.content.decode()
    assert 'class="email-text"' in content
    assert "style=" not in content.split('<div id="content"', 1)[1]
