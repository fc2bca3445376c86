"""The portal in French, Arabic (right to left) and Russian: the catalogues themselves (complete and
compiled), each main page in each language, the language switcher, the language kept for a
signed-in person, member states' and institutions' names translated, and text keeping its own
direction. Each app's own strings in a language are tested in tests/<app>/test_i18n.py."""

import shutil

import pytest
from django.urls import reverse
from django.utils import translation

from testkit.factories import (
    InstitutionFactory,
    member_state,
)
from tests import i18n_support
from tests.i18n_support import COOKIE, LANGUAGES, assert_language_of_page, assert_shows
from workshop_portal import catalogues
from workshop_portal.models import Institution
from workshop_portal.templatetags.bidi import direction, isolate, text_direction

# The shared fixtures (tests/i18n_support.py): the default language back after each test, and a
# workshop with a delegate, a presentation and the secretariat to look at pages with.
default_language_afterwards = i18n_support.default_language_afterwards
world = i18n_support.world


# --- The catalogues --------------------------------------------------------------------------


def test_every_language_has_a_complete_compiled_catalogue():
    # Untranslated, fuzzy or obsolete entries, lost placeholders, a .mo older than its .po: all fail here.
    assert catalogues.translated_languages() == LANGUAGES
    problems = catalogues.catalogue_problems()
    assert not problems, "\n".join(str(problem) for problem in problems)


def test_the_catalogues_hold_every_string_of_the_code_and_nothing_else():
    # What `make check-messages` runs; it needs GNU gettext (CI installs it, and fails on a skip).
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    problems = catalogues.extraction_problems() + catalogues.msgfmt_problems()
    assert not problems, "\n".join(str(problem) for problem in problems)


# --- Every main page, in every language ------------------------------------------------------


# (page, who looks at it, URL from the world, strings the page shows)
PAGES = [
    ("home", None, lambda w: reverse("home"), ["Workshops", "Upcoming"]),
    (
        "programme",
        None,
        lambda w: reverse("worksessions:programme", args=["cooperation"]),
        ["About the workshop", "Venue", "Presentations due"],
    ),
    ("dashboard", "user", lambda w: reverse("registrations:dashboard"), ["My registrations", "My presentations"]),
    (
        "registration form",
        "user",
        lambda w: reverse("registrations:register", args=["follow-up"]),
        ["Register for the workshop", "About you", "Submit registration"],
    ),
    (
        "participant list",
        "user",
        lambda w: reverse("registrations:participants", args=["cooperation"]),
        ["List of participants", "Head of delegation"],
    ),
    ("presentation", "user", lambda w: reverse("presentations:detail", args=[w["presentation"].pk]), ["Abstract"]),
    ("rapporteur's sessions", "user", lambda w: reverse("reports:my_sessions"), ["Sessions you report on"]),
    (
        "rapporteur's report",
        "user",
        lambda w: reverse("reports:report_edit", args=[w["session"].pk]),
        ["Session report", "Preview", "Save report"],
    ),
    (
        "proceedings",
        "secretariat",
        lambda w: reverse("reports:builds", args=["cooperation"]),
        ["Language of the volume", "Build proceedings"],
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("page", "who", "url", "msgids"), PAGES, ids=[page[0] for page in PAGES])
def test_each_main_page_speaks_the_chosen_language(client, world, language, page, who, url, msgids):
    if who:
        world[who].refresh_from_db()
        client.force_login(world[who])
    client.cookies[COOKIE] = language
    response = client.get(url(world))
    assert response.status_code == 200, page
    html = response.content.decode()
    assert_language_of_page(html, language)
    assert response["Content-Language"] == language
    for msgid in msgids:
        assert_shows(html, language, msgid)
    # The navigation bar too, and the switcher offering every language in its own name.
    assert_shows(html, language, "Workshops")
    for code, name in (("en", "English"), ("fr", "Français"), ("ar", "العربيّة"), ("ru", "Русский")):
        assert f'name="language" value="{code}" lang="{code}"' in html
        assert name in html


def test_the_browser_language_is_used_until_one_is_chosen(client, world):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9").content.decode()
    assert '<html lang="ru" dir="ltr">' in html
    assert "Семинары" in html


# --- The switcher and the person's own language ----------------------------------------------


def test_the_switcher_changes_the_language_of_the_next_pages(client, world):
    response = client.post(reverse("set_language"), {"language": "ar", "next": reverse("home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert response.cookies[COOKIE].value == "ar"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ورش العمل" in html


def test_a_signed_in_persons_choice_is_kept_on_their_account(client, world):
    user = world["user"]
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "ru", "next": reverse("registrations:dashboard")})
    user.refresh_from_db()
    assert user.language == "ru"
    # Another browser, which asks for French: the account's language wins.
    other = client.__class__()
    other.force_login(user)
    html = other.get(reverse("registrations:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="ru" dir="ltr">' in html
    assert "Мои регистрации" in html


def test_an_unknown_language_changes_nothing(client, world):
    user = world["user"]
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == ""


def test_the_stored_language_is_honoured_from_sign_in(client, world):
    user = world["user"]
    user.language = "ar"
    user.save(update_fields=["language"])
    client.cookies[COOKIE] = "fr"  # a French visitor until they sign in
    response = client.post(
        reverse("account_login"),
        {"login": "delegate@example.org", "password": "correct-horse-battery"},
        HTTP_ACCEPT_LANGUAGE="fr",
        follow=True,
    )
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert_shows(html, "ar", "My registrations")
    # The cookie follows the account's language, so the portal stays Arabic after signing out.
    assert client.cookies[COOKIE].value == "ar"
    client.post(reverse("account_logout"))
    assert '<html lang="ar"' in client.get(reverse("home")).content.decode()


# --- Member states and institutions ----------------------------------------------------------


@pytest.mark.django_db
def test_member_states_are_named_by_django_countries_in_each_language():
    kazakhstan, kyrgyzstan = member_state("KZ"), member_state("KG")
    names = {
        "en": ("Kazakhstan", "Kyrgyz Republic"),
        "fr": ("Kazakhstan", "République kirghize"),
        "ar": ("كازاخستان", "جمهورية قيرغيزستان"),
        "ru": ("Казахстан", "Кыргызская Республика"),
    }
    for language, (kz, kg) in names.items():
        with translation.override(language):
            assert (str(kazakhstan), str(kyrgyzstan)) == (kz, kg)


@pytest.mark.django_db
def test_institutions_show_their_official_name_in_the_readers_language():
    bank = Institution.objects.get(acronym="IsDB")
    shown = {
        "en": "Islamic Development Bank (IsDB)",
        "fr": "Banque islamique de développement (BID)",
        "ar": "البنك الإسلامي للتنمية",  # Arabic uses no acronym for it
        "ru": "Исламский банк развития (ИсБР)",
    }
    for language, name in shown.items():
        with translation.override(language):
            assert str(bank) == name
    with translation.override("fr"):
        assert Institution.objects.get(acronym="OIC").short_name == "OCI"
        assert Institution.objects.get(acronym="WB").short_name == "Banque mondiale"
    # Without an official form in a language, the English name and acronym stand.
    own = InstitutionFactory(name="Test Agency", acronym="TA")
    with translation.override("ar"):
        assert str(own) == "Test Agency (TA)"


def test_text_keeps_its_own_direction_inside_a_page_of_the_other():
    assert text_direction("Bakyt Osmonov") == "ltr"
    assert text_direction("عبد الله الحربي") == "rtl"
    assert text_direction("<p>2012: Кыргызстан</p>") == "ltr"
    assert text_direction("2012") == ""
    with translation.override("ar"):
        assert isolate("Bakyt Osmonov") == "\u2068Bakyt Osmonov\u2069"
        assert direction("2012") == "rtl"
        assert direction("Coordination between donors.") == "ltr"
    with translation.override("fr"):
        assert isolate("Bakyt Osmonov") == "Bakyt Osmonov"
        assert direction("عبد الله") == "rtl"
