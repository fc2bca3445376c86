"""Latin fragments keep their order in Arabic lines, and lists are joined with the Arabic comma.

In a right-to-left line "MFA-KZ, Ms Bekova" read "MFA-KZ ,Ms…" until each fragment was isolated:
with <bdi> in HTML pages, with Unicode's FSI … PDI in PDFs and plain-text emails. One helper
joins every displayed list ("، " in Arabic, ", " otherwise): workshop_portal/bidi.py.
"""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from registrations.enums import DelegationRole, RegistrationNotice
from testkit.factories import InstitutionFactory, WorkshopFactory, approved_delegate, member_state, verified_user
from workshop_portal.bidi import FSI, PDI, join_html, join_text
from workshop_portal.enums import InstitutionKind

ARABIC_COMMA = "، "
KAZAKHSTAN_AR = "كازاخستان"


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_lists_are_joined_with_the_arabic_comma_and_each_item_isolated():
    with translation.override("ar"):
        assert join_text(["MFA-KZ", KAZAKHSTAN_AR]) == f"{FSI}MFA-KZ{PDI}{ARABIC_COMMA}{FSI}{KAZAKHSTAN_AR}{PDI}"
        assert join_html(["MFA-KZ", "<b>"]) == f"<bdi>MFA-KZ</bdi>{ARABIC_COMMA}<bdi>&lt;b&gt;</bdi>"
    with translation.override("fr"):
        # Latin in a left-to-right text needs nothing; an Arabic name there is isolated.
        assert join_text(["MFA-KZ", "Kazakhstan", ""]) == "MFA-KZ, Kazakhstan"
        assert join_text(["Bakyt Osmonov", "عبد الله"]) == f"Bakyt Osmonov, {FSI}عبد الله{PDI}"
    with translation.override("ru"):
        assert join_html(["a", None, ["b", "c"]]) == "<bdi>a</bdi>, <bdi>b</bdi>, <bdi>c</bdi>"


def test_the_template_tags_join_the_same_way():
    template = Template(
        "{% load bidi %}{% joined code state %}|{% joined_text code state %}|{{ pages|joined_text }}"
        "|<b>{{ code|bdi }}</b>{% comma %}{{ title|bdi }}"
    )
    context = Context({"code": "MFA-KZ", "state": KAZAKHSTAN_AR, "pages": [3, 7], "title": "Ms"})
    with translation.override("ar"):
        html, text, pages, line = template.render(context).split("|")
    assert html == f"<bdi>MFA-KZ</bdi>{ARABIC_COMMA}<bdi>{KAZAKHSTAN_AR}</bdi>"
    assert text == f"{FSI}MFA-KZ{PDI}{ARABIC_COMMA}{FSI}{KAZAKHSTAN_AR}{PDI}"
    assert pages == f"{FSI}3{PDI}{ARABIC_COMMA}{FSI}7{PDI}"
    assert line == f"<b><bdi>MFA-KZ</bdi></b>{ARABIC_COMMA}<bdi>Ms</bdi>"


@pytest.fixture
def delegate(db):
    """A Kazakh delegate sent by a ministry known by its Latin code, with an English title."""
    workshop = WorkshopFactory(slug="cooperation", title="Workshop on Cooperation")
    ministry = InstitutionFactory(
        name="Ministry of Foreign Affairs of Kazakhstan",
        acronym="MFA-KZ",
        kind=InstitutionKind.NATIONAL,
        member_state=member_state("KZ"),
    )
    user = verified_user("delegate@example.org", first_name="Aigerim", last_name="Bekova")
    return approved_delegate(
        workshop,
        "KZ",
        user=user,
        institution=ministry,
        honorific="Ms",
        participant_name="Aigerim Bekova",
        position="Head of the Technical Cooperation Division",
        delegation_role=DelegationRole.HEAD,
    )


def _arabic_page(client, user, url):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_arabic_dashboard_isolates_the_institution_code_and_uses_the_arabic_comma(client, delegate):
    html = _arabic_page(client, delegate.user, reverse("registrations:dashboard"))
    assert f"<bdi>MFA-KZ</bdi>{ARABIC_COMMA}<bdi>{KAZAKHSTAN_AR}</bdi>" in html
    assert "MFA-KZ, " not in html


def test_an_arabic_list_of_participants_isolates_names_titles_and_codes(client, delegate):
    html = _arabic_page(client, delegate.user, reverse("registrations:participants", args=["cooperation"]))
    title = "<bdi>Head of the Technical Cooperation Division</bdi>"
    assert f"<strong><bdi>Ms Aigerim Bekova</bdi></strong>{ARABIC_COMMA}{title}" in html
    assert '<h3 class="h6 mt-3 text-body-secondary"><bdi>Ministry of Foreign Affairs of Kazakhstan</bdi></h3>' in html


def test_an_arabic_programme_isolates_the_presenter_and_joins_their_delegation(client, delegate):
    from presentations.enums import PresentationStatus
    from presentations.models import Presentation
    from presentations.services import presentation_create, presentation_decide
    from sessions.enums import SegmentKind
    from testkit.factories import country_session, segment_of, staff_user
    from workshop_portal.roles import ORGANISERS

    session = country_session(delegate.workshop, "KZ")
    presentation = presentation_create(
        presentation=Presentation(
            presenter=delegate, segment=segment_of(session, SegmentKind.HOST_STATE), title="KazAID", abstract="A"
        ),
        by=delegate.user,
    )
    presentation_decide(
        presentation=presentation,
        status=PresentationStatus.ACCEPTED,
        by=staff_user("organiser@example.org", ORGANISERS),
    )
    html = _arabic_page(client, delegate.user, delegate.workshop.get_absolute_url())
    delegation = f"<bdi>MFA-KZ</bdi>{ARABIC_COMMA}<bdi>{KAZAKHSTAN_AR}</bdi>"
    assert f"<bdi>Ms Aigerim Bekova</bdi>{ARABIC_COMMA}{delegation}" in html


def test_plain_text_and_pdf_renderings_isolate_with_fsi_and_pdi(delegate):
    context = {
        "registration": delegate,
        "workshop": delegate.workshop,
        "notice": RegistrationNotice.APPROVED,
        "dashboard_url": "http://127.0.0.1/dashboard/",
        "registration_url": "http://127.0.0.1/r/",
        "workshop_url": "http://127.0.0.1/w/",
    }
    with translation.override("ar"):
        email = render_to_string("registrations/email/approved_message.txt", context)
        badges = render_to_string(
            "registrations/pdf/badges.html",
            {"workshop": delegate.workshop, "pages": [[{"registration": delegate, "qr": ""}]]},
        )
    assert f"{FSI}Ms Aigerim Bekova{PDI}" in email
    assert f"{FSI}Workshop on Cooperation{PDI}" in email
    # The badge's delegation line: the code and the state, each isolated, the Arabic comma between.
    assert f"{FSI}MFA-KZ{PDI}{ARABIC_COMMA}{FSI}{KAZAKHSTAN_AR}{PDI}" in badges
    with translation.override("en"):
        email = render_to_string("registrations/email/approved_message.txt", context)
    assert FSI not in email  # an English email with Latin names needs no isolates
