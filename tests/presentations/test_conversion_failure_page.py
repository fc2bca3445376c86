"""What a delegate reads on their presentation's page when the conversion of a deck failed.

The reason a conversion failed is recorded by the worker for the secretariat (the admin and the
log: "LibreOffice timed out after 120 s", LibreOffice's last line of output), in the worker's
language. The delegate reads, in their own language, what happened and what to do, never that
record: on an Arabic or Russian page it was English, and a line of LibreOffice's output helps
nobody who uploaded slides.
"""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from presentations.enums import ConversionStatus, FileKind
from presentations.models import PresentationFile
from tests.i18n_support import tr
from tests.workshop_portal import test_untranslated_pages
from tests.workshop_portal.test_untranslated_pages import english_left, visible_text

# The fixture of the untranslated-pages test: a delegate presenting in a workshop, and the names
# of its people and things, which stay as they are in every language.
world = test_untranslated_pages.world

RECORD = "LibreOffice timed out after 120 s: Error: source file could not be loaded"
WHAT_HAPPENED = {
    ConversionStatus.FAILED: "The program that turns PowerPoint and Word files into PDF could not convert this file.",
    ConversionStatus.UNAVAILABLE: (
        "The program that turns PowerPoint and Word files into PDF is not available on the server just now."
    ),
}
WHAT_TO_DO = (
    "What to do: save the file as PDF in PowerPoint or Word (File, Save As, PDF) and upload that PDF as a "
    "new version. If that does not work, write to the secretariat."
)


def _page(client, world, language, status):
    PresentationFile.objects.create(
        presentation=world["presentation"],
        version=1,
        file="presentations/deck.pptx",
        original_name="deck.pptx",
        kind=FileKind.PPTX,
        size=2_500_000,
        sha256="0" * 64,
        conversion_status=status,
        conversion_error=RECORD,
    )
    client.force_login(world["user"])
    EmailAddress.objects.filter(user=world["user"]).update(verified=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("presentations:detail", args=[world["presentation"].pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("status", list(WHAT_HAPPENED))
@pytest.mark.parametrize("language", ["ar", "ru"])
def test_a_failed_conversion_is_explained_in_the_delegates_language(client, world, language, status):
    html = _page(client, world, language, status)
    # The file's name and its type ("PowerPoint (PPTX)", a product's name in every language) stay as they are.
    text = visible_text(html, language, [*world["names"], "deck.pptx", "PowerPoint (PPTX)"])
    assert english_left(text, language) == [], english_left(text, language)
    for msgid in (WHAT_HAPPENED[status], WHAT_TO_DO):
        assert tr(language, msgid) != msgid, f"{msgid!r} has no {language} translation"
        assert tr(language, msgid) in text


@pytest.mark.parametrize("status", list(WHAT_HAPPENED))
def test_the_workers_record_stays_with_the_secretariat(client, world, status):
    html = _page(client, world, "en", status)
    assert "timed out" not in html
    assert "source file could not be loaded" not in html
    assert WHAT_HAPPENED[status] in html
