"""Invitation and visa letters: texts laid out per workshop and language, placeholders replaced in
every language, hostile texts and values kept literal and escaped, Markdown sanitised, targets
read in a fixed number of queries."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import SafeString

from delegations.enums import LetterKind, VisaRequestStatus
from delegations.letter_defaults import TEXTS
from delegations.letter_models import LetterSettings, LetterText, VisaLetterRequest
from delegations.letter_services import letters_lay_out_defaults
from delegations.letters import (
    PLACEHOLDERS,
    REQUIRED_PLACEHOLDERS,
    invitation_letter_context,
    invitation_letter_targets,
    letter_text_check,
    render_letter_body,
    visa_letter_context,
    visa_letter_targets,
)
from registrations.enums import RegistrationStatus
from testkit.factories import WorkshopFactory, approved_delegate, institution_delegate
from tests.delegations.support import institution_delegation, state_delegation
from workshop_portal.models import Workshop

pytestmark = pytest.mark.django_db

LETTER_DAY = datetime.date(2026, 12, 3)


@pytest.fixture
def workshop():
    workshop = WorkshopFactory(
        title="Workshop on Technical Cooperation",
        venue="Conference hall",
        city="Ankara",
        start_date=datetime.date(2027, 2, 22),
        end_date=datetime.date(2027, 2, 23),
    )
    letters_lay_out_defaults(workshop=workshop)
    return workshop


def _visa_request(registration, **fields):
    values = {
        "passport_name": "OMAROVA SAULE",
        "nationality": "KZ",
        "passport_number": "N12345678",
        "passport_expiry": datetime.date(2030, 1, 1),
        "stay_from": registration.workshop.start_date - datetime.timedelta(days=1),
        "stay_to": registration.workshop.end_date + datetime.timedelta(days=1),
        **fields,
    }
    return VisaLetterRequest.objects.create(registration=registration, **values)


def _set_text(workshop, kind, language, body):
    LetterText.objects.filter(settings__workshop=workshop, kind=kind, language=language).update(body=body)
    workshop.__dict__.pop("_letter_kit", None)


def test_a_workshop_is_laid_out_with_both_letters_in_every_language_once(workshop):
    assert LetterText.objects.filter(settings__workshop=workshop).count() == 8
    assert letters_lay_out_defaults(workshop=workshop) == 0
    letter_settings = LetterSettings.objects.get(workshop=workshop)
    assert letter_settings.reference_prefix == workshop.slug.upper()
    assert letter_settings.signatory("ru")[1] == "Руководитель секретариата семинара"


def test_a_workshop_created_through_the_service_gets_its_letters():
    from workshop_portal.services import workshop_save

    template = WorkshopFactory.build(slug="made-by-service")
    workshop = workshop_save(workshop=template)
    assert LetterText.objects.filter(settings__workshop=workshop).count() == 8


@pytest.mark.parametrize("kind", list(LetterKind))
@pytest.mark.parametrize("language", ["en", "fr", "ar", "ru"])
def test_every_default_text_passes_its_own_check_and_uses_its_placeholders(kind, language):
    body = TEXTS[kind][language]
    letter_text_check(kind, body)
    for name in REQUIRED_PLACEHOLDERS[kind]:
        assert f"{{{name}}}" in body


EXPECTED_INVITATION = {
    "en": ("Kazakhstan", "Ministry of Foreign Affairs of Kazakhstan", "22–23 February 2027", "3 December 2026"),
    "fr": ("Kazakhstan", "Ministère des Affaires étrangères (Kazakhstan)", "22–23 février 2027", "3 décembre 2026"),
    "ar": ("كازاخستان", "وزارة خارجية كازاخستان", "22–23 فبراير 2027", "3 ديسمبر 2026"),
    "ru": (
        "Казахстан",
        "Министерству иностранных дел (Казахстан)",
        "22–23 февраля 2027\u202fг.",
        "3 декабря 2026\u202fг.",
    ),
}


SEATS = {"en": "is 3.", "fr": "est de 3.", "ar": "للوفد \u20683\u2069.", "ru": "делегации: 3."}


@pytest.mark.parametrize("language", ["en", "fr", "ar", "ru"])
def test_an_invitation_says_the_state_addressee_dates_seats_and_deadline_in_its_language(workshop, language):
    delegation = state_delegation(workshop, "KZ", seats=3)
    delegation.nomination_deadline = datetime.datetime(2027, 2, 1, 12, tzinfo=datetime.UTC)
    delegation.save()
    context = invitation_letter_context(delegation, language, on=LETTER_DAY)
    state, addressee, dates, day = EXPECTED_INVITATION[language]
    body = context["body_html"]
    assert isinstance(body, SafeString)
    assert state in body
    assert addressee in body
    assert dates in body
    assert "Conference hall, Ankara" in body
    assert SEATS[language] in body
    assert "{" not in body
    assert "}" not in body
    assert context["addressee"] == addressee
    assert context["date_text"] == day
    assert context["reference"] == f"{workshop.slug.upper()}/INV/{delegation.pk:04d}"
    assert context["direction"] == ("rtl" if language == "ar" else "ltr")
    assert context["letterhead"] is None
    assert context["signature"] is None
    assert re.search(r"<strong>«?\u2068?Workshop on Technical Cooperation\u2069?»?</strong>", body)


def test_the_nomination_deadline_is_the_venue_day_in_each_language(workshop):
    delegation = state_delegation(workshop, "TR", seats=2)
    # 22:30 UTC on 31 January is already 1 February in Istanbul.
    delegation.nomination_deadline = datetime.datetime(2027, 1, 31, 22, 30, tzinfo=datetime.UTC)
    delegation.save()
    assert "1 February 2027" in invitation_letter_context(delegation, "en")["body_html"]
    assert "1 февраля 2027\u202fг." in invitation_letter_context(delegation, "ru")["body_html"]


def test_an_addressee_the_organisers_gave_replaces_the_default_in_its_language_only(workshop):
    delegation = state_delegation(workshop, "KZ", seats=3)
    delegation.addressee = "Ministry of Foreign Affairs of the Republic of Kazakhstan"
    delegation.addressee_ru = "Министерству иностранных дел Республики Казахстан"
    delegation.save()
    assert invitation_letter_context(delegation, "en")["addressee"] == delegation.addressee
    assert invitation_letter_context(delegation, "ru")["addressee"] == delegation.addressee_ru
    # No French form given: the French default, not the English text.
    assert invitation_letter_context(delegation, "fr")["addressee"] == "Ministère des Affaires étrangères (Kazakhstan)"


def test_an_institution_is_invited_under_its_own_name(workshop):
    delegation = institution_delegation(workshop, "IsDB", seats=1)
    context = invitation_letter_context(delegation, "en")
    assert context["addressee"] == "Islamic Development Bank"
    assert "a delegation of Islamic Development Bank" in context["body_html"]


def test_a_workshop_without_letter_settings_uses_the_default_texts():
    workshop = WorkshopFactory()
    delegation = state_delegation(workshop, "UZ", seats=2)
    context = invitation_letter_context(delegation, "en")
    assert "has the honour to invite a delegation of Uzbekistan" in context["body_html"]
    assert context["signatory_name"] == ""


def test_the_signatory_falls_back_to_english_where_a_language_has_none(workshop):
    LetterSettings.objects.filter(workshop=workshop).update(
        signatory_name="Ahmet Yilmaz", signatory_title="Head of Department", signatory_name_ru="Ахмет Йылмаз"
    )
    delegation = state_delegation(workshop, "KZ", seats=3)
    workshop.__dict__.pop("_letter_kit", None)
    ru = invitation_letter_context(delegation, "ru")
    assert ru["signatory_name"] == "Ахмет Йылмаз"
    assert ru["signatory_title"] == "Руководитель секретариата семинара"
    fresh = Workshop.objects.get(pk=workshop.pk)
    delegation.workshop = fresh
    assert invitation_letter_context(delegation, "fr")["signatory_name"] == "Ahmet Yilmaz"


def test_an_unknown_language_is_refused(workshop):
    delegation = state_delegation(workshop, "KZ", seats=3)
    with pytest.raises(ValueError, match="not 'de'"):
        invitation_letter_context(delegation, "de")


# Hostile texts and values


INJECTIONS = [
    "{{ settings.SECRET_KEY }}",
    "{0.__class__}",
    "{state.__class__.__mro__}",
    "{% debug %}",
    "{{ request.user.password }}",
    "%(state)s",
]


@pytest.mark.parametrize("injection", INJECTIONS)
def test_template_and_format_syntax_in_a_text_stays_literal(workshop, injection, settings):
    _set_text(workshop, LetterKind.INVITATION, "en", f"Dear {{state}}: {injection}")
    delegation = state_delegation(workshop, "KZ", seats=3)
    body = invitation_letter_context(delegation, "en")["body_html"]
    assert settings.SECRET_KEY not in body
    assert "<class" not in body
    assert "&lt;class" not in body
    assert "Kazakhstan" in body
    from django.utils.html import escape

    assert escape(injection) in body


def test_a_value_is_escaped_and_never_read_for_placeholders_again(workshop):
    delegation = state_delegation(workshop, "KZ", seats=3)
    delegation.addressee = "<script>alert(1)</script> {state} {{ settings.SECRET_KEY }}"
    delegation.save()
    _set_text(workshop, LetterKind.INVITATION, "en", "To the {addressee}, for {state}.")
    body = invitation_letter_context(delegation, "en")["body_html"]
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {state} {{ settings.SECRET_KEY }}" in body
    assert body.count("Kazakhstan") == 1


HOSTILE_MARKDOWN = """\
# Heading

<script>alert('x')</script>
<style>body { display: none }</style>
<img src=x onerror=alert(1)>
[click](javascript:alert(1))
<a href="javascript:alert(2)">link</a>
<iframe src="https://evil.example"></iframe>
<p onclick="alert(3)" style="color:red">para</p>
<!-- a comment -->
![pic](https://evil.example/p.png)
**bold** and *emphasis* for {state}
"""


def test_markdown_is_sanitised_nothing_that_runs_loads_or_links_survives(workshop):
    body = render_letter_body(HOSTILE_MARKDOWN, {"state": "Kazakhstan"})
    lowered = body.lower()
    forbidden_parts = ("<script", "<style", "<img", "onerror", "javascript:", "<a ", "<iframe", "onclick", "style=")
    assert "<!--" not in body
    for forbidden in forbidden_parts:
        assert forbidden not in lowered, forbidden
    assert "alert('x')" not in body
    assert "display: none" not in body
    assert "<h3>Heading</h3>" in body
    assert "<strong>bold</strong>" in body
    assert "<em>emphasis</em>" in body
    assert "Kazakhstan" in body


def test_a_placeholder_inside_markdown_syntax_still_becomes_its_escaped_value():
    body = render_letter_body("**{holder}** and [x]({holder})", {"holder": '<b onmouseover="x">N</b>'})
    assert "<b onmouseover" not in body
    assert "<strong>&lt;b onmouseover=&quot;x&quot;&gt;N&lt;/b&gt;</strong>" in body


# The check on save


def test_an_unknown_placeholder_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        letter_text_check(LetterKind.INVITATION, "Dear {state}, {holder} and {{ settings.SECRET_KEY }}")
    message = " ".join(refused.value.messages)
    assert "{holder}" in message
    assert "{ settings.SECRET_KEY }" in message
    assert "{nomination_deadline}" in message  # the allowed ones are listed


def test_a_text_without_its_required_placeholder_is_refused():
    with pytest.raises(ValidationError, match=r"\{state\}"):
        letter_text_check(LetterKind.INVITATION, "Dear Sir or Madam")
    with pytest.raises(ValidationError, match=r"\{holder\}"):
        letter_text_check(LetterKind.VISA, "Dear {state}")
    letter_text_check(LetterKind.VISA, "{holder}, {passport_number}")


def test_every_placeholder_of_each_kind_is_replaced(workshop):
    registration = approved_delegate(workshop, "KZ", participant_name="Saule Omarova", honorific="Dr")
    visa = _visa_request(registration)
    _set_text(workshop, LetterKind.VISA, "en", " ".join(f"[{{{name}}}]" for name in PLACEHOLDERS[LetterKind.VISA]))
    body = visa_letter_context(visa, "en")["body_html"]
    assert "{" not in body
    expected = ("Dr Saule Omarova", "OMAROVA SAULE", "N12345678", "21 February 2027", "24 February 2027", "Kazakhstan")
    for text in expected:
        assert text in body


# Visa letters


EXPECTED_VISA = {
    "en": ("Kazakhstan", "21 February 2027", "To the competent consular authorities"),
    "fr": ("Kazakhstan", "21 février 2027", "Aux autorités consulaires compétentes"),
    "ar": ("كازاخستان", "21 فبراير 2027", "إلى السلطات القنصلية المختصة"),
    "ru": ("Казахстан", "21 февраля 2027\u202fг.", "Компетентным консульским органам"),
}


@pytest.mark.parametrize("language", ["en", "fr", "ar", "ru"])
def test_a_visa_letter_gives_the_passport_details_and_stay_in_its_language(workshop, language):
    registration = approved_delegate(workshop, "KZ", participant_name="Saule Omarova")
    visa = _visa_request(registration)
    context = visa_letter_context(visa, language, on=LETTER_DAY)
    nationality, stay_from, addressee = EXPECTED_VISA[language]
    body = context["body_html"]
    assert "Saule Omarova" in body
    assert "OMAROVA SAULE" in body
    assert "N12345678" in body
    assert nationality in body
    assert stay_from in body
    assert context["addressee"] == addressee
    assert context["reference"] == f"{workshop.slug.upper()}/VISA/{visa.pk:04d}"
    assert "{" not in body


def test_values_in_an_arabic_letter_are_isolated_and_an_arabic_value_in_a_latin_one(workshop):
    registration = approved_delegate(workshop, "KZ", participant_name="Saule Omarova")
    visa = _visa_request(registration, passport_name="عمروفا سولي")
    arabic = visa_letter_context(visa, "ar")["body_html"]
    assert "\u2068Saule Omarova\u2069" in arabic
    assert "\u2068N12345678\u2069" in arabic
    english = visa_letter_context(visa, "en")["body_html"]
    assert "\u2068عمروفا سولي\u2069" in english
    assert "\u2068Saule Omarova" not in english


def test_a_passport_name_with_markup_is_escaped(workshop):
    registration = approved_delegate(workshop, "KZ")
    visa = _visa_request(registration, passport_name="<img src=x onerror=alert(1)>")
    body = visa_letter_context(visa, "en")["body_html"]
    assert "<img" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


# Targets


def test_invitation_targets_are_the_delegations_with_seats_in_fixed_queries(workshop):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            fresh = Workshop.objects.get(pk=workshop.pk)
            targets = invitation_letter_targets(fresh)
            for delegation in targets:
                invitation_letter_context(delegation, "fr")
                invitation_letter_context(delegation, "ar")
        return targets, len(queries)

    state_delegation(workshop, "KZ", seats=3)
    state_delegation(workshop, "UZ", seats=0)
    few, small = measure()
    assert [d.member_state.code.code for d in few] == ["KZ"]
    for code in ("TJ", "TM", "KG", "TR", "EG", "MA"):
        state_delegation(workshop, code, seats=2)
    institution_delegation(workshop, "IsDB", seats=1)
    many, large = measure()
    assert len(many) == 8
    assert small == large


def test_visa_targets_are_the_requests_of_approved_delegates_not_withdrawn_in_fixed_queries(workshop):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            fresh = Workshop.objects.get(pk=workshop.pk)
            targets = visa_letter_targets(fresh)
            for visa in targets:
                visa_letter_context(visa, "ru")
        return targets, len(queries)

    wanted = _visa_request(approved_delegate(workshop, "KZ", participant_name="A"))
    _visa_request(approved_delegate(workshop, "KZ"), status=VisaRequestStatus.WITHDRAWN)
    cancelled = approved_delegate(workshop, "KZ")
    _visa_request(cancelled)
    cancelled.status = RegistrationStatus.CANCELLED
    cancelled.save()
    few, small = measure()
    assert few == [wanted]
    for index in range(6):
        _visa_request(approved_delegate(workshop, "TR", participant_name=f"B{index}"))
    _visa_request(institution_delegate(workshop, "IsDB"), status=VisaRequestStatus.ISSUED)
    many, large = measure()
    assert len(many) == 8
    assert small == large
