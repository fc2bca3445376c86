"""The programme in the reader's language (tests/i18n_support.py)."""

from django.urls import reverse
from django.utils.html import escape

from tests import i18n_support
from tests.i18n_support import COOKIE

# The shared fixtures (tests/i18n_support.py): the default language back after each test, and a
# workshop with a delegate, a presentation and the secretariat to look at pages with.
default_language_afterwards = i18n_support.default_language_afterwards
world = i18n_support.world


def test_the_programme_names_the_session_in_the_readers_language(client, world):
    titles = {
        "fr": "Séance de travail par pays : Kazakhstan",
        "ar": "جلسة العمل القُطرية: كازاخستان",
        "ru": "Страновое рабочее заседание: Казахстан",
    }
    for language, title in titles.items():
        client.cookies[COOKIE] = language
        html = client.get(reverse("worksessions:programme", args=["cooperation"])).content.decode()
        assert escape(title) in html.replace("\u00a0", " ")
