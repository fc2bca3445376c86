"""What the journeys share: the demo workshop, its people, waiting on the page like a person, and
the portal's languages (a journey runs in each, reading its labels from the catalogues)."""

import io
import re

from django.core.management import call_command
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from demo.seed import UPCOMING_SLUG
from testkit.demo_snapshot import DemoSnapshot
from testkit.workers import tasks_inline
from workshop_portal.models import User, Workshop

DEMO_PASSWORD = "ankara-2012-demo"
ORGANISER = "organiser@demo.example.org"
SECRETARIAT = "secretariat@demo.example.org"


def seed_demo() -> Workshop:
    """The demo, seeded by the run's first journey and loaded from its snapshot by the next ones."""
    _demo.load()
    return Workshop.objects.get(slug=UPCOMING_SLUG)


def _seed_inline() -> str:
    """The seed with its background work done before it returns (conversions, web copies, emails),
    as on the newcomer's installation: the snapshot must not catch a deck half converted."""
    out = io.StringIO()
    with tasks_inline():
        call_command("seed_demo", allow_production=True, stdout=out)
    return out.getvalue()


_demo = DemoSnapshot(_seed_inline)


def organiser() -> User:
    return User.objects.get(email=ORGANISER)


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# Every journey that takes a language runs in each of these.
LANGUAGES = ["en", "fr", "ar", "ru"]


def t(language: str, msgid: str, *, same_in=(), **values) -> str:
    """What the page shows for `msgid` in `language` (our catalogue, allauth's or Django's).

    Outside English a string the catalogue leaves in English fails here (the journey would
    otherwise pass on an untranslated page), except in the languages `same_in` names, where the
    word is the same ("Programme" in French)."""
    with translation.override(language):
        text = translation.gettext(msgid)
    assert language == "en" or language in same_in or text != msgid, f"{msgid!r} has no {language} translation"
    return text % values if values else text


def in_language(language: str, text) -> str:
    """`text` (a lazy label, or a function such as a country's name) as `language` renders it."""
    with translation.override(language):
        return str(text() if callable(text) else text)


def tn(language: str, singular: str, plural: str, count: int, **values) -> str:
    """t() for a count: the catalogue's form for `count` (Arabic and Russian have several)."""
    with translation.override(language):
        text = translation.ngettext(singular, plural, count)
    assert language == "en" or text not in (singular, plural), f"{plural!r} has no {language} translation"
    return text % {"count": count, **values}


def django_t(language: str, msgid: str, **values) -> str:
    """t() for Django's own messages, which take {name} placeholders (the admin's "The {name} “{obj}”
    was added successfully."); the values, lazy ones included, rendered in `language` too."""
    return t(language, msgid).format(**{key: in_language(language, value) for key, value in values.items()})


def admin_label(language: str, model, field: str) -> re.Pattern:
    """The admin's label of a model's field in `language`: its verbose name, capitalised, and the
    language's label suffix (Django's ":", " :" with a no-break space in French)."""
    with translation.override(language):
        name = str(capfirst(model._meta.get_field(field).verbose_name))
        suffix = translation.gettext(":").strip()
    return re.compile(rf"^{re.escape(name)}\s*{re.escape(suffix)}$")


def switch_language(page, language: str) -> None:
    """Through the switcher in the navigation bar, as a person does; then the page is in `language`."""
    page.locator("#language-menu").click()
    page.locator(f"button[name=language][value={language}]").click()
    expect_language(page, language)


def expect_language(page, language: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")


def link_in(text: str) -> str:
    """The confirmation link of an email, as a path on the server under test (the email names the
    portal's public address, PORTAL_BASE_URL)."""
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", text)
    assert match, text
    return match.group(1)
