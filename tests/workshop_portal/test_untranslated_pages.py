"""No English left on a French, Arabic or Russian page a delegate or a visitor can reach.

Every such page (home, a workshop, the registration form and its errors, the dashboard with and
without registrations, a registration, a presentation and its forms, an upload refused, the
rapporteur's empty list, "Your data", the error pages, allauth's sign-in, sign-up and password
pages) is rendered in each language, and its visible text (tags, scripts, the switcher's own
language names and the people's, workshops' and institutions' names of the fixture left out) must
contain no English sentence of the catalogues: no msgid of two words or more of our catalogue or
of allauth's. On the Arabic and Russian pages no Latin word may be left at all, which also catches
English typed into a template without {% translate %}.
"""

import datetime
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import allauth
import polib
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.views import defaults

from presentations.models import Presentation
from presentations.services import presentation_create
from registrations.enums import DelegationRole, RegistrationStatus
from sessions.enums import SegmentKind
from testkit.factories import (
    RegistrationFactory,
    WorkshopFactory,
    approved_delegate,
    country_session,
    segment_of,
    verified_user,
)
from workshop_portal.models import Institution

LANGUAGES = ["fr", "ar", "ru"]
BASE_DIR = Path(settings.BASE_DIR)

# Words that stay as they are in every language: file formats and programs, standards, a zone's
# IANA name, the API and the Frab XML format of the schedule feed, and "E-mail", which allauth's
# Russian catalogue keeps in Latin letters.
INTERNATIONAL = {
    "PDF",
    "PPTX",
    "DOCX",
    "ZIP",
    "JSON",
    "data.json",
    "HTML",
    "Markdown",
    "PowerPoint",
    "Word",
    "ICS",
    "API",
    "XML",
    "Frab",
    "SHA",
    "UTC",
    "GMT",
    "Europe/Istanbul",
    "E-mail",
}


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- The English sentences to look for ----------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{\w*\}")


def _fragments(msgid: str):
    """The runs of words of a msgid between its placeholders and markup."""
    text = re.sub(r"<[^>]+>", "\n", msgid)
    for part in PLACEHOLDER.split(text):
        for piece in part.split("\n"):
            piece = " ".join(piece.split()).strip(" .,:;()")
            if len(piece.split()) >= 2 and re.search(r"[A-Za-z]{2}", piece):
                yield piece


@cache
def english_sentences() -> frozenset[str]:
    """Every English source string of two words or more: our catalogue and allauth's."""
    catalogues = [
        BASE_DIR / "locale/fr/LC_MESSAGES/django.po",
        Path(allauth.__file__).parent / "locale/fr/LC_MESSAGES/django.po",
    ]
    sentences = set()
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            for msgid in (entry.msgid, entry.msgid_plural):
                sentences.update(_fragments(msgid or ""))
    return frozenset(sentences)


# --- What a reader sees of a page ---------------------------------------------------------------

VISIBLE_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")
HIDDEN_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The text and labelling attributes of a page in its own language: scripts, styles and any
    element marked with another language (the switcher's "English", "Français"…) left out."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.parts: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        hidden = (
            self.hidden
            or tag in HIDDEN_ELEMENTS
            or (lang is not None and tag != "html" and lang.split("-")[0] != self.language)
        )
        if not hidden:
            self.parts.extend(attributes[name] for name in VISIBLE_ATTRIBUTES if attributes.get(name))
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.parts.append(attributes["value"])
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        # Pop up to the matching tag: browsers forgive unclosed <p> and <li>, and so does this.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str, language: str, names: list[str]) -> str:
    parser = VisibleText(language)
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    for name in sorted(names, key=len, reverse=True):  # the longest first: a name may hold a shorter one
        text = text.replace(name, " ")
    text = re.sub(r"[\w.+-]+@[\w.-]+", " ", text)  # email addresses
    return re.sub(r"https?://\S+|/[\w/.-]+\.(?:pdf|ics|zip)\b", " ", text)


def english_left(text: str, language: str) -> list[str]:
    """The English sentences, and on an Arabic or Russian page the Latin words, left in `text`."""
    found = [sentence for sentence in english_sentences() if sentence in text]
    if language in ("ar", "ru"):
        for word in re.findall(r"[A-Za-z][A-Za-z./-]*[A-Za-z]", text):
            if not any(word.lower() in token.lower() for token in INTERNATIONAL):
                index = text.find(word)
                found.append(f"{word!r} in “…{text[max(0, index - 40) : index + 40]}…”")
    return sorted(set(found))


# --- The pages ----------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n" + b"not really a PDF" * 10


@pytest.fixture
def world(db):
    """A workshop open for registration in which a delegate is approved, presents and reports; a
    second open workshop where their registration is still submitted; a third whose registration
    closed; a newcomer with nothing yet."""
    workshop = WorkshopFactory(slug="cooperation", title="Workshop on Cooperation", description="")
    follow_up = WorkshopFactory(slug="follow-up", title="Follow-up Workshop", description="")
    WorkshopFactory(
        slug="closed",
        title="Closed Workshop",
        description="",
        registration_opens_at=timezone.now() - datetime.timedelta(days=20),
        registration_closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    session = country_session(workshop, "KZ", room="Hall A", chair="Nurlan Saginbayev")
    user = verified_user("delegate@example.org", first_name="Aigerim", last_name="Bekova")
    registration = approved_delegate(
        workshop,
        "KZ",
        user=user,
        participant_name="Aigerim Bekova",
        position="Head of Division",
        delegation_role=DelegationRole.HEAD,
    )
    pending = RegistrationFactory(
        workshop=follow_up,
        user=user,
        participant_name="Aigerim Bekova",
        position="Head of Division",
        status=RegistrationStatus.SUBMITTED,
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
    newcomer = verified_user("newcomer@example.org", first_name="Dana", last_name="Sarsenova")
    names = [
        "Workshop on Cooperation",
        "Follow-up Workshop",
        "Closed Workshop",
        "Conference centre",
        "Ankara",
        "Aigerim Bekova",
        "Aigerim",
        "Bekova",
        "Dana Sarsenova",
        "Head of Division",
        "Kazakhstan as a partner",
        "What Kazakhstan offers.",
        "Nurlan Saginbayev",
        "Hall A",
    ]
    # Institutions without an official name in a language keep their English one there.
    for institution in Institution.objects.all():
        names.extend(part for part in (institution.name, institution.acronym) if part)
    return {
        "workshop": workshop,
        "session": session,
        "user": user,
        "registration": registration,
        "pending": pending,
        "presentation": presentation,
        "newcomer": newcomer,
        "names": names,
    }


def _get(path):
    return lambda client, w: client.get(path(w) if callable(path) else path)


def _post(path, data):
    return lambda client, w: client.post(path(w) if callable(path) else path, data(w) if callable(data) else data)


def _upload_refused(client, w):
    fake = SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf")
    return client.post(reverse("presentations:upload", args=[w["presentation"].pk]), {"file": fake})


# (name, who: None, "user" or "newcomer", request, expected status)
PAGES = [
    ("home", None, _get(reverse("home")), 200),
    ("workshop page", None, _get(lambda w: w["workshop"].get_absolute_url()), 200),
    ("sign in", None, _get(reverse("account_login")), 200),
    ("sign in refused", None, _post(reverse("account_login"), {"login": "x@example.org", "password": "wrong"}), 200),
    ("sign up", None, _get(reverse("account_signup")), 200),
    (
        "sign up refused",
        None,
        _post(reverse("account_signup"), {"email": "new@example.org", "password1": "a", "password2": "b"}),
        200,
    ),
    ("password reset", None, _get(reverse("account_reset_password")), 200),
    ("password reset sent", None, _get(reverse("account_reset_password_done")), 200),
    ("password reset link broken", None, _get("/accounts/password/reset/key/0-broken/"), 200),
    ("verification sent", None, _get(reverse("account_email_verification_sent")), 200),
    ("confirmation link broken", None, _get(reverse("account_confirm_email", args=["broken"])), 200),
    ("not found", None, _get("/no-such-page/"), 404),
    ("dashboard, empty", "newcomer", _get(reverse("registrations:dashboard")), 200),
    ("registration form", "newcomer", _get(reverse("registrations:register", args=["cooperation"])), 200),
    (
        "registration form refused",
        "newcomer",
        _post(reverse("registrations:register", args=["cooperation"]), {"participant_name": ""}),
        200,
    ),
    ("registration closed", "newcomer", _get(reverse("registrations:register", args=["closed"])), 403),
    ("reports, empty", "newcomer", _get(reverse("reports:my_sessions")), 200),
    ("participants, not open", "newcomer", _get(reverse("registrations:participants", args=["cooperation"])), 403),
    ("dashboard", "user", _get(reverse("registrations:dashboard")), 200),
    ("registration", "user", _get(lambda w: reverse("registrations:detail", args=[w["registration"].pk])), 200),
    ("registration edit", "user", _get(lambda w: reverse("registrations:edit", args=[w["pending"].pk])), 200),
    ("registration cancel", "user", _get(lambda w: reverse("registrations:cancel", args=[w["pending"].pk])), 200),
    ("participants", "user", _get(reverse("registrations:participants", args=["cooperation"])), 200),
    (
        "presentation create",
        "user",
        _get(lambda w: reverse("presentations:create", args=[w["registration"].pk])),
        200,
    ),
    ("presentation", "user", _get(lambda w: reverse("presentations:detail", args=[w["presentation"].pk])), 200),
    ("presentation edit", "user", _get(lambda w: reverse("presentations:edit", args=[w["presentation"].pk])), 200),
    (
        "presentation withdraw",
        "user",
        _get(lambda w: reverse("presentations:withdraw", args=[w["presentation"].pk])),
        200,
    ),
    ("upload refused", "user", _upload_refused, 400),
    ("reports", "user", _get(reverse("reports:my_sessions")), 200),
    ("report", "user", _get(lambda w: reverse("reports:report_edit", args=[w["session"].pk])), 200),
    ("your data", "user", _get(reverse("privacy:overview")), 200),
    ("erasure", "user", _get(reverse("privacy:erasure")), 200),
    ("email addresses", "user", _get(reverse("account_email")), 200),
    ("password change", "user", _get(reverse("account_change_password")), 200),
    ("sign out", "user", _get(reverse("account_logout")), 200),
]


def _render(client, world, language, who, request):
    if who:
        client.force_login(world[who])
        EmailAddress.objects.filter(user=world[who]).update(verified=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return request(client, world)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("page", "who", "request_page", "status"), PAGES, ids=[page[0] for page in PAGES])
def test_no_english_is_left_on_a_page(client, world, language, page, who, request_page, status):
    response = _render(client, world, language, who, request_page)
    assert response.status_code == status, page
    html = response.content.decode()
    assert f'<html lang="{language}"' in html, page
    left = english_left(visible_text(html, language, world["names"]), language)
    assert not left, f"{page} ({language}): English left on the page:\n" + "\n".join(left)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("handler", ["bad_request", "server_error"])
def test_no_english_is_left_on_the_error_pages(db, language, handler):
    request = RequestFactory().get("/")
    with translation.override(language):
        if handler == "bad_request":
            response = defaults.bad_request(request, Exception("bad"), template_name="400.html")
        else:
            response = defaults.server_error(request, template_name="500.html")
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    left = english_left(visible_text(html, language, []), language)
    assert not left, f"{handler} ({language}): English left on the page:\n" + "\n".join(left)


def test_the_check_finds_english_where_there_is_some():
    # The test above would pass on a page it cannot read: it must see what it looks for.
    html = (
        '<html lang="ru"><body><p>Мои регистрации</p><button lang="en">English</button>'
        "<p>You have not registered for a workshop yet, and none is open for registration right now.</p>"
        '<img alt="Check-in code" src="x"><script>var words = "Hello there";</script></body></html>'
    )
    text = visible_text(html, "ru", [])
    assert "English" not in text
    assert "Hello" not in text
    left = english_left(text, "ru")
    assert any("You have not registered for a workshop yet" in entry for entry in left)
    assert any(entry == "Check-in code" for entry in left)
    named = visible_text('<html lang="ru"><p>Мои регистрации, Bekova</p></html>', "ru", ["Bekova"])
    assert english_left(named, "ru") == []
