"""What the tests of the portal in French, Arabic (right to left) and Russian share: the languages,
the catalogue's wording of a string, what a page in a language shows, a small world of pages to
look at, and a PDF's text as a reader sees it. Each app's tests/<app>/test_i18n.py uses them."""

import io
import re
import unicodedata

import pypdf
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from presentations.models import Presentation
from presentations.services import presentation_create
from registrations.enums import DelegationRole
from sessions.enums import SegmentKind
from testkit.factories import (
    WorkshopFactory,
    approved_delegate,
    country_session,
    segment_of,
    staff_user,
    verified_user,
)
from workshop_portal.roles import SECRETARIAT

LANGUAGES = ["fr", "ar", "ru"]
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def default_language_afterwards():
    # A request leaves its language active in the thread (LocaleMiddleware does not reset it):
    # the tests that follow expect the default one.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def tr(language: str, msgid: str, **values) -> str:
    """`msgid` as the catalogue of `language` has it (placeholders filled in)."""
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % values if values else text


def assert_shows(html: str, language: str, msgid: str, **values):
    text = tr(language, msgid, **values)
    assert text != (msgid % values if values else msgid), f"{msgid!r} has no {language} translation"
    assert escape(text) in html or text in html, f"{text!r} ({language}) not on the page"


def assert_language_of_page(html: str, language: str):
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    rtl_stylesheet = "bootstrap.rtl.min.css" in html
    assert rtl_stylesheet == (language == "ar")


@pytest.fixture
def world(db):
    """A workshop with a country session, a delegate who presents in it and reports on it, and a
    second workshop open for registration."""
    workshop = WorkshopFactory(slug="cooperation", title="Workshop on Cooperation")
    WorkshopFactory(slug="follow-up", title="Follow-up Workshop")
    session = country_session(workshop, "KZ")
    user = verified_user("delegate@example.org", first_name="Aigerim", last_name="Bekova")
    registration = approved_delegate(
        workshop, "KZ", user=user, participant_name="Aigerim Bekova", delegation_role=DelegationRole.HEAD
    )
    session.rapporteur = user
    session.save()
    presentation = presentation_create(
        presentation=Presentation(
            presenter=registration,
            segment=segment_of(session, SegmentKind.HOST_STATE),
            title="Kazakhstan as a partner",
            abstract="What Kazakhstan offers.",
        ),
        by=user,
    )
    secretariat = staff_user("secretariat@example.org", SECRETARIAT)
    return {
        "workshop": workshop,
        "session": session,
        "user": user,
        "presentation": presentation,
        "secretariat": secretariat,
    }


def pdf_text(data: bytes) -> list[str]:
    # Text as a reader sees it: presentation forms folded, the bidi isolates the templates add dropped.
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        text = unicodedata.normalize("NFKC", page.extract_text()).replace("\u2068", "").replace("\u2069", "")
        pages.append(re.sub(r"\s+", " ", text))
    return pages
