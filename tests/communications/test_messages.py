"""Messages to an audience, as an organiser writes and sends them in the admin, delivered to a real
SMTP server on loopback: each recipient in their language (else the workshop's first), placeholders
filled, the count and a preview first, a test to oneself, sent once whatever the clicks; and what
refuses a send (nobody in the audience, a language without text, an unknown placeholder)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communications.enums import MessageStatus
from communications.models import Message, MessageText, OutboundEmail
from testkit.factories import UserFactory, WorkshopFactory, approved_delegate, staff_user
from tests.conftest import outbox_sends_inline
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db

ADD = reverse("admin:communications_message_add")


@pytest.fixture(autouse=True)
def tasks_inline():
    """The sending task and the outbox's run in this process, also in the pass with a real worker."""
    with outbox_sends_inline():
        yield


@pytest.fixture
def organiser():
    return staff_user("organiser@example.org", ORGANISERS)


@pytest.fixture
def client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


def _form(workshop, texts, **fields):
    data = {
        "workshop": workshop.pk,
        "title": "Practical information",
        "statuses": ["approved"],
        "checked_in": "",
        "group": "",
        "session": "",
        "texts-TOTAL_FORMS": len(texts),
        "texts-INITIAL_FORMS": 0,
        "texts-MIN_NUM_FORMS": 1,
        "texts-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for index, (language, subject, body) in enumerate(texts):
        data |= {f"texts-{index}-language": language, f"texts-{index}-subject": subject, f"texts-{index}-body": body}
    return data


def _delegate(workshop, email, language, first_name, **fields):
    user = UserFactory(email=email, language=language, first_name=first_name)
    return approved_delegate(workshop, user=user, participant_name=f"{first_name} Example", **fields)


TEXTS = [
    ("en", "{workshop}: practical information", "Dear {first_name},\n\nThe programme: {programme_link}"),
    ("fr", "{workshop} : informations pratiques", "Cher {first_name},\n\nLe programme : {programme_link}"),
]


def test_an_organiser_writes_previews_tests_and_sends_a_message_in_each_recipients_language(
    client, organiser, smtp_server, django_capture_on_commit_callbacks
):
    server = smtp_server()
    workshop = WorkshopFactory(title="Ankara Workshop", slug="ankara")
    _delegate(workshop, "aida@example.org", "en", "Aida")
    _delegate(workshop, "jean@example.org", "fr", "Jean")
    _delegate(workshop, "omar@example.org", "ar", "Omar")  # no Arabic text: the workshop's first, English
    approved_delegate(workshop, status="submitted")  # not in the audience (approved only)

    response = client.post(ADD, _form(workshop, TEXTS))
    message = Message.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:communications_message_preview", args=[message.pk])
    assert message.created_by == organiser
    assert message.status == MessageStatus.DRAFT

    preview = client.get(response.url)
    assert preview.context["preview"].count == 3
    assert preview.context["preview"].problems == []
    page = preview.content.decode()
    assert "Send to 3 recipients" in page
    jean = client.get(response.url, {"recipient": "jean@example.org"}).context["preview"]
    assert (jean.language, jean.subject) == ("fr", "Ankara Workshop : informations pratiques")
    assert jean.body.startswith("Cher Jean,")
    assert "http" in jean.body
    assert "/workshops/ankara/" in jean.body

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:communications_message_send_test", args=[message.pk]), {"recipient": "jean@example.org"}
        )
    [test] = server.wait_for(1)
    assert test.recipients == ["organiser@example.org"]
    assert "[Test]" in str(test.message()["Subject"])
    assert "Cher Jean" in test.message().get_body(("plain",)).get_content()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("admin:communications_message_send", args=[message.pk]), {"count": 3})
    assert sent.status_code == 302
    assert "being sent to 3 recipients" in client.get(sent.url).content.decode()
    received = server.wait_for(4)
    assert sorted(r.recipients[0] for r in received[1:]) == ["aida@example.org", "jean@example.org", "omar@example.org"]
    message.refresh_from_db()
    assert (message.status, message.recipient_count, message.sent_by) == (MessageStatus.SENT, 3, organiser)
    for address, language, subject, greeting in (
        ("aida@example.org", "en", "Ankara Workshop: practical information", "Dear Aida,"),
        ("jean@example.org", "fr", "Ankara Workshop : informations pratiques", "Cher Jean,"),
        ("omar@example.org", "en", "Ankara Workshop: practical information", "Dear Omar,"),
    ):
        [got] = [r for r in received if r.recipients == [address]]
        email = got.message()
        assert " ".join(str(email["Subject"]).split()) == subject
        assert email["Content-Language"] == language
        assert email["Auto-Submitted"] is None  # a person wrote it
        text = email.get_body(("plain",)).get_content()
        assert text.startswith(greeting)
        # Optional message: an unsubscribe link in the text and RFC 8058 headers.
        assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = str(email["List-Unsubscribe"]).strip().strip("<>")
        assert "/account/emails/unsubscribe/" in link
        assert link in text
        row = OutboundEmail.objects.get(to_address=address, kind="message")
        assert row.user.email == address  # listed in the person's data

    # A second click, or a second organiser: nothing is sent again, and they are told so.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("admin:communications_message_send", args=[message.pk]), follow=True)
    assert "already been sent" in again.content.decode()
    assert OutboundEmail.objects.filter(kind="message").count() == 3
    assert (
        "Sent to 3 recipients on"
        in client.get(reverse("admin:communications_message_preview", args=[message.pk])).content.decode()
    )
    # A sent message is the record of what was sent: not edited any more.
    change = client.post(reverse("admin:communications_message_change", args=[message.pk]), _form(workshop, TEXTS))
    assert change.status_code == 403
    assert MessageText.objects.filter(message=message).count() == 2


def test_two_texts_in_one_language_are_refused(client):
    workshop = WorkshopFactory()
    response = client.post(ADD, _form(workshop, [TEXTS[0], TEXTS[0]]))
    assert response.status_code == 200
    assert "One text per language: en is written twice." in response.content.decode()
    assert not Message.objects.exists()


def test_an_unknown_placeholder_is_refused_by_name(client):
    workshop = WorkshopFactory()
    response = client.post(ADD, _form(workshop, [("en", "Hello {first_name}", "Dear {firstname}, see {link}")]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown placeholder: {firstname}, {link}" in page
    assert "{first_name}" in page  # the allowed ones are listed
    assert not Message.objects.exists()


def test_an_empty_audience_is_refused_and_nothing_is_sent(client, django_capture_on_commit_callbacks):
    workshop = WorkshopFactory()
    approved_delegate(workshop, status="submitted")
    client.post(ADD, _form(workshop, TEXTS))
    message = Message.objects.get()
    preview = client.get(reverse("admin:communications_message_preview", args=[message.pk]))
    assert preview.context["preview"].count == 0
    assert "Nobody is in this audience" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:communications_message_send", args=[message.pk]), follow=True)
    assert "Nobody is in this audience" in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.DRAFT
    assert not OutboundEmail.objects.exists()


def test_a_language_some_recipients_need_without_any_fallback_is_refused_with_the_count(
    client, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory()
    _delegate(workshop, "jean@example.org", "fr", "Jean")
    _delegate(workshop, "ivan@example.org", "ru", "Ivan")
    _delegate(workshop, "olga@example.org", "ru", "Olga")
    client.post(ADD, _form(workshop, [TEXTS[1]]))  # French only: no English (the first language)
    message = Message.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:communications_message_send", args=[message.pk]), follow=True)
    page = response.content.decode()
    assert "ru: 2 recipients" in page
    assert "Some recipients would get no text" in page
    message.refresh_from_db()
    assert message.status == MessageStatus.DRAFT
    assert not OutboundEmail.objects.exists()


def test_an_essential_message_reaches_people_who_unsubscribed_and_carries_no_unsubscribe_link(
    client, smtp_server, django_capture_on_commit_callbacks
):
    from communications.unsubscribe import opt_out

    server = smtp_server()
    workshop = WorkshopFactory()
    _delegate(workshop, "aida@example.org", "en", "Aida")
    _delegate(workshop, "jean@example.org", "fr", "Jean")
    opt_out("Jean@example.org", None)
    client.post(ADD, _form(workshop, TEXTS, title="Optional"))
    client.post(ADD, _form(workshop, TEXTS, title="Deadline", essential="on"))
    optional, essential = Message.objects.get(title="Optional"), Message.objects.get(title="Deadline")
    assert client.get(reverse("admin:communications_message_preview", args=[optional.pk])).context["preview"].count == 1
    for message in (optional, essential):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("admin:communications_message_send", args=[message.pk]))
    received = server.wait_for(3)
    assert sorted(r.recipients[0] for r in received) == ["aida@example.org", "aida@example.org", "jean@example.org"]
    [jean] = [r.message() for r in received if r.recipients == ["jean@example.org"]]
    assert jean["List-Unsubscribe"] is None
    assert "unsubscribe" not in jean.get_body(("plain",)).get_content().lower()


def test_a_message_sent_later_reaches_the_audience_as_it_is_then(client, django_capture_on_commit_callbacks):
    workshop = WorkshopFactory()
    _delegate(workshop, "aida@example.org", "en", "Aida")
    client.post(ADD, _form(workshop, TEXTS))
    message = Message.objects.get()
    late = _delegate(workshop, "late@example.org", "en", "Late")
    late.checked_in_at = timezone.now()
    late.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:communications_message_send", args=[message.pk]))
    assert set(OutboundEmail.objects.values_list("to_address", flat=True)) == {"aida@example.org", "late@example.org"}


def test_placeholders_are_replaced_once_and_never_evaluated():
    from communications.messages import AudienceMember, member_values, render_text

    member = AudienceMember(address="x@example.org", language="en", first_name="{workshop}", full_name="{{ secret }}")
    values = member_values(member, {"workshop": "Ankara", "dashboard_link": "d", "programme_link": "p"})
    text = render_text("Dear {first_name} ({full_name}), {workshop} {% now 'Y' %} {{ 7|add:1 }} {unknown}", values)
    assert text == "Dear {workshop} ({{ secret }}), Ankara {% now 'Y' %} {{ 7|add:1 }} {unknown}"


def test_each_test_copy_is_sent_and_none_counts_against_the_real_send(client, django_capture_on_commit_callbacks):
    workshop = WorkshopFactory()
    _delegate(workshop, "aida@example.org", "en", "Aida")
    client.post(ADD, _form(workshop, TEXTS))
    message = Message.objects.get()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("admin:communications_message_send_test", args=[message.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:communications_message_send", args=[message.pk]))
    kinds = sorted(OutboundEmail.objects.values_list("kind", "to_address"))
    assert kinds == [
        ("message", "aida@example.org"),
        ("message-test", "organiser@example.org"),
        ("message-test", "organiser@example.org"),
    ]
