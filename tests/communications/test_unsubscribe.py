"""Unsubscribing from optional email: the signed link works without signing in (a page with a
button, then the POST; RFC 8058's one-click POST from a mail provider, without CSRF token), the
outbox skips the address for optional emails only, and the person sees and changes the choice."""

import pytest
from django.test import Client
from django.urls import reverse

from communications.models import EmailOptOut, OutboundEmail
from communications.services import Recipient, email_queue
from communications.unsubscribe import opt_out, opted_out, unsubscribe_token, unsubscribe_url
from testkit.factories import WorkshopFactory, verified_user

pytestmark = pytest.mark.django_db


def _path(address, workshop_id):
    return reverse("communications:unsubscribe", kwargs={"signed_token": unsubscribe_token(address, workshop_id)})


def _queue(workshop, address, *, essential, key):
    return email_queue(
        template="communications/email/message",
        recipients=[Recipient(address=address, language="en", dedupe_key=key)],
        context={"subject": "News", "body": "Hello"},
        workshop=workshop,
        essential=essential,
    )


def test_the_link_asks_first_then_unsubscribes_from_that_workshop_only():
    ankara, tashkent = WorkshopFactory(title="Ankara"), WorkshopFactory(title="Tashkent")
    client = Client(enforce_csrf_checks=True)
    page = client.get(_path("Aida@Example.org", ankara.pk))
    assert page.status_code == 200
    assert "Unsubscribe from Ankara" in page.content.decode()
    assert not EmailOptOut.objects.exists()  # a GET (a link scanner, a preview) changes nothing
    done = client.post(_path("Aida@Example.org", ankara.pk), {"scope": "workshop"})
    assert "will receive no more optional messages" in done.content.decode()
    assert opted_out(["aida@example.org"], ankara.pk) == {"aida@example.org"}
    assert opted_out(["aida@example.org"], tashkent.pk) == set()
    # The outbox honours it, for optional emails only.
    assert _queue(ankara, "aida@example.org", essential=False, key="a") == []
    assert len(_queue(tashkent, "aida@example.org", essential=False, key="b")) == 1
    assert len(_queue(ankara, "aida@example.org", essential=True, key="c")) == 1


def test_one_click_unsubscribe_from_a_mail_provider_works_without_a_csrf_token():
    workshop = WorkshopFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _path("jean@example.org", workshop.pk),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert opted_out(["jean@example.org"], workshop.pk) == {"jean@example.org"}
    # Twice is harmless.
    assert (
        client.post(
            _path("jean@example.org", workshop.pk),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 200
    )
    assert EmailOptOut.objects.count() == 1


def test_a_link_from_a_deleted_workshop_unsubscribes_from_nothing_unless_asked_for_every_workshop():
    """The workshop is gone, so it sends nothing more; a mail program's one-click must not widen that
    into "no optional email from any workshop"."""
    gone, other = WorkshopFactory(title="Ankara"), WorkshopFactory(title="Tashkent")
    gone_id = gone.pk
    gone.delete()
    client = Client(enforce_csrf_checks=True)
    page = client.get(_path("aida@example.org", gone_id)).content.decode()
    assert "is no longer on the portal" in page
    assert "Unsubscribe from every workshop" in page
    one_click = client.post(
        _path("aida@example.org", gone_id),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not EmailOptOut.objects.exists()
    assert opted_out(["aida@example.org"], other.pk) == set()
    # The person's own choice still works.
    client.post(_path("aida@example.org", gone_id), {"scope": "all"})
    assert opted_out(["aida@example.org"], other.pk) == {"aida@example.org"}


def test_every_workshop_and_a_forged_or_cut_link():
    workshop = WorkshopFactory()
    client = Client()
    client.post(_path("omar@example.org", workshop.pk), {"scope": "all"})
    assert opted_out(["omar@example.org"], WorkshopFactory().pk) == {"omar@example.org"}
    token = unsubscribe_token("omar@example.org", workshop.pk)
    # Another address's payload under this one's signature.
    other = unsubscribe_token("olga@example.org", workshop.pk).split(":")[0]
    forged = reverse("communications:unsubscribe", kwargs={"signed_token": ":".join([other, *token.split(":")[1:]])})
    cut = reverse("communications:unsubscribe", kwargs={"signed_token": token[:-5]})
    for path in (forged, cut):
        response = client.post(path, {"scope": "all"})
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
    assert EmailOptOut.objects.count() == 1
    assert unsubscribe_url("a@example.org", None).startswith("http")


def test_a_person_sees_and_changes_the_choice_on_their_email_preferences_page():
    user = verified_user("aida@example.org")
    workshop = WorkshopFactory(title="Ankara")
    client = Client()
    client.force_login(user)
    assert reverse("communications:preferences") in client.get(reverse("privacy:overview")).content.decode()
    page = client.get(reverse("communications:preferences"))
    assert page.context["form"]["optional_messages"].value() is True
    client.post(reverse("communications:preferences"), {})  # unticked: no optional messages
    assert opted_out(["aida@example.org"], workshop.pk) == {"aida@example.org"}
    client.post(reverse("communications:preferences"), {"optional_messages": "on"})
    assert opted_out(["aida@example.org"], workshop.pk) == set()
    Client().post(_path("aida@example.org", workshop.pk), {"scope": "workshop"})
    page = client.get(reverse("communications:preferences"))
    assert "Ankara" in page.content.decode()
    client.post(reverse("communications:preferences"), {"resubscribe_workshop": workshop.pk, "optional_messages": "on"})
    assert opted_out(["aida@example.org"], workshop.pk) == set()
    assert not OutboundEmail.objects.exists()


def test_the_choice_is_in_the_persons_data_and_goes_with_an_erasure():
    from workshop_portal import personal_data
    from workshop_portal.personal_data import Cleanup

    user = verified_user("aida@example.org")
    workshop = WorkshopFactory(title="Ankara")
    opt_out("aida@example.org", workshop.pk)
    opt_out("someone@example.org", None)
    source = next(s for s in personal_data.sources() if s.key == "communications_preferences")
    assert [item.title for item in source.summary(user)] == ["Ankara"]
    assert [row["workshop"] for row in source.export(user).data] == ["Ankara"]
    source.erase(user, Cleanup(by=None))
    assert list(EmailOptOut.objects.values_list("address", flat=True)) == ["someone@example.org"]


def test_a_person_who_changes_their_address_keeps_their_choices():
    from allauth.account.models import EmailAddress

    user = verified_user("aida@example.org")
    workshop = WorkshopFactory(title="Ankara")
    opt_out("aida@example.org", workshop.pk)
    EmailAddress.objects.create(user=user, email="aida.new@example.org", verified=True, primary=False)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_primary": "", "email": "aida.new@example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "aida.new@example.org"
    assert opted_out(["aida.new@example.org"], workshop.pk) == {"aida.new@example.org"}
    assert opted_out(["aida.new@example.org"], WorkshopFactory().pk) == set()  # only that workshop's
