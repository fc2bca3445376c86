"""Registrations in French, Arabic and Russian (tests/i18n_support.py): the registration emails in the
recipient's language, member states and delegations sorted for the reader, the list of participants
(page and PDF), statuses, and badges printed in the language of whoever asked for them."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from registrations.badges import badge_batch_render, badge_batch_request
from registrations.emails import registration_email_send
from registrations.enums import RegistrationNotice, RegistrationStatus
from registrations.forms import RegistrationForm
from registrations.selectors import participant_list
from registrations.services import (
    registration_approve,
    registration_cancel,
    registration_decline,
    registration_submit,
)
from testkit.factories import (
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    approved_delegate,
    institution_delegate,
    member_state,
    staff_user,
)
from tests import i18n_support
from tests.i18n_support import COOKIE, LANGUAGES, pdf_text, tr
from workshop_portal.collation import collation_key
from workshop_portal.roles import ORGANISERS
from workshop_portal.templatetags.bidi import isolate

# The shared fixtures (tests/i18n_support.py): the default language back after each test, and a
# workshop with a delegate, a presentation and the secretariat to look at pages with.
default_language_afterwards = i18n_support.default_language_afterwards
world = i18n_support.world


# --- Emails in the recipient's language ------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.worker
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_registration_email_is_in_the_recipients_language(celery_worker_process, mailbox, language):
    organiser = UserFactory(email="organiser@example.org", is_staff=True, language="en")
    workshop = WorkshopFactory(capacity=1, title="Workshop on Cooperation")

    def delegate(name):
        user = UserFactory(email=f"{name}@example.org", language=language)
        return RegistrationFactory.build(workshop=workshop, user=user, participant_name=name.title())

    first, second, third = delegate("first"), delegate("second"), delegate("third")
    for registration in (first, second, third):
        registration_submit(registration=registration, by=registration.user)  # received
    registration_approve(registration=first, by=organiser)  # approved
    registration_approve(registration=second, by=organiser)  # full: waitlisted
    registration_decline(registration=third, by=organiser)  # declined
    registration_cancel(registration=first, by=first.user)  # cancelled; second is promoted

    expected = {
        "first@example.org": [RegistrationNotice.RECEIVED, RegistrationNotice.APPROVED, RegistrationNotice.CANCELLED],
        "second@example.org": [RegistrationNotice.RECEIVED, RegistrationNotice.WAITLISTED, RegistrationNotice.PROMOTED],
        "third@example.org": [RegistrationNotice.RECEIVED, RegistrationNotice.DECLINED],
    }
    for address, notices in expected.items():
        emails = mailbox.wait_for(len(notices), to=address)
        with translation.override(language):
            subjects = sorted(
                translation.gettext("%(notice)s: %(title)s") % {"notice": notice.label, "title": workshop.title}
                for notice in notices
            )
        assert sorted(email.subject for email in emails) == subjects
        with translation.override(language):
            # Names keep their own direction in an Arabic text: isolated there (FSI … PDI).
            name = isolate(address.split("@")[0].title())
            host = isolate(workshop.host_institution.localized_name)  # its official form in that language
        for email in emails:
            assert tr(language, "Dear %(name)s,", name=name) in email.body
            assert tr(language, "With kind regards,") in email.body
            assert tr(language, "The workshop secretariat, %(host)s", host=host) in email.body


def test_a_person_without_a_language_gets_emails_in_the_portals_default(
    db, mailbox, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(title="Workshop on Cooperation")
    registration = RegistrationFactory(workshop=workshop, user=UserFactory(email="plain@example.org"))
    # Whatever language the page that caused it was in.
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        registration_email_send(registration=registration, notice=RegistrationNotice.RECEIVED)
        assert translation.get_language() == "ru"
    [email] = mailbox.wait_for(1, to="plain@example.org")
    assert email.subject == "Registration received: Workshop on Cooperation"


# --- Member states, delegations and institutions ---------------------------------------------


def _state_choices(language: str) -> list[str]:
    with translation.override(language):
        return [str(label) for value, label in RegistrationForm().fields["member_state"].choices if value]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "Émirats arabes unis", "Gabon"),  # by code point É would follow Z
        ("ar", "الأردن", "أفغانستان"),  # the article does not count: أردن before أفغانستان
        ("ar", "تركيا", "السعودية (المملكة العربية)"),  # ت before س
        ("ru", "Объединенные Арабские Эмираты", "Оман"),
    ],
)
def test_the_registration_form_sorts_member_states_for_the_reader(language, before, after):
    names = _state_choices(language)
    assert len(names) == 57
    assert names == sorted(names, key=lambda name: collation_key(name, language))
    assert names.index(before) < names.index(after)


@pytest.mark.django_db
def test_the_list_of_participants_sorts_delegations_for_the_reader():
    workshop = WorkshopFactory()
    for code in ("TR", "SA", "KZ", "AE"):
        approved_delegate(workshop, code)
    with translation.override("ar"):
        headings = [group.heading for group in participant_list(workshop=workshop)]
    assert headings == ["الإمارات العربية المتحدة", "تركيا", "السعودية (المملكة العربية)", "كازاخستان"]
    with translation.override("ru"):
        headings = [group.heading for group in participant_list(workshop=workshop)]
    assert headings == ["Казахстан", "Объединенные Арабские Эмираты", "Саудовская Аравия", "Турция"]


def test_the_list_of_participants_page_names_institutions_in_the_readers_language(client, world):
    institution_delegate(world["workshop"], "IsDB")
    client.force_login(world["user"])
    client.cookies[COOKIE] = "fr"
    html = client.get(reverse("registrations:participants", args=["cooperation"])).content.decode()
    assert "Banque islamique de développement" in html
    assert escape(tr("fr", "OIC institution")) in html


# --- The PDFs in a chosen language -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_participant_list_pdf_is_in_the_readers_language(client, world, language):
    approved_delegate(world["workshop"], "SA", participant_name="عبد الله الحربي")
    client.force_login(world["secretariat"])
    client.cookies[COOKIE] = language
    response = client.get(reverse("registrations:participants_pdf", args=["cooperation"]))
    assert response.status_code == 200
    whole = " ".join(pdf_text(response.content))
    assert tr(language, "List of participants") in whole
    with translation.override(language):
        assert str(member_state("KZ").name) in whole
    assert "Aigerim Bekova" in whole
    assert "عبد الله الحربي" in whole


def test_registration_statuses_read_in_the_readers_language(client, world):
    client.force_login(world["user"])
    client.cookies[COOKIE] = "ru"
    html = client.get(reverse("registrations:dashboard")).content.decode()
    with translation.override("ru"):
        assert str(RegistrationStatus.APPROVED.label) in html


def test_badges_are_printed_in_the_language_of_whoever_asked_for_them(world):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    organiser.language = "ru"
    organiser.save(update_fields=["language"])
    batch, _new = badge_batch_request(workshop=world["workshop"], by=organiser)
    batch = badge_batch_render(batch=batch)
    assert batch.status == "ready", batch.error
    with batch.file.open("rb") as handle:
        whole = " ".join(pdf_text(handle.read()))
    assert tr("ru", "Central Asian state").upper() in whole.upper()
    assert "Aigerim Bekova" in whole
