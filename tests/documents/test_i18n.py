"""Documents in French, Arabic and Russian: the PDFs in the holder's language, the verification page in the reader's."""

import pytest
from django.urls import reverse

from documents.kinds import Target
from documents.services import document_issue
from tests.documents.support import ATTENDANCE, PRESENTER, pdf_text, target_of
from tests.i18n_support import (
    COOKIE,
    LANGUAGES,
    assert_language_of_page,
    assert_shows,
    default_language_afterwards,  # noqa: F401  (autouse)
    tr,
)

pytestmark = pytest.mark.django_db


def _in(world, language, kind=ATTENDANCE, key="aigerim"):
    target = target_of(world["workshop"], kind, world[key])
    target = Target(**{**target.__dict__, "language": language})
    return document_issue(workshop=world["workshop"], kind=kind, target=target, by=None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_certificate_is_written_in_its_language(world, language):
    for kind, title in ((ATTENDANCE, "Certificate of attendance"), (PRESENTER, "Certificate of presentation")):
        document = _in(world, language, kind)
        with document.file.open("rb") as handle:
            text = pdf_text(handle.read())
        assert tr(language, title) in text
        assert tr(language, "This is to certify that") in text
        assert "Aigerim Bekova" in text
        assert document.code in text
    assert "Kazakhstan as a partner" in text  # the presentation's own title, as written


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_verification_page_speaks_the_readers_language(client, world, language):
    document = _in(world, "en")
    client.cookies[COOKIE] = language
    html = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert_language_of_page(html, language)
    assert_shows(html, language, "This document is valid.")
    assert_shows(html, language, "Certificate of attendance")
    unknown = client.get(reverse("documents:verify", args=["n" * 24])).content.decode()
    assert_shows(
        unknown,
        language,
        "This verification code is not known. Check that it was typed exactly as printed on the document.",
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_staff_page_speaks_the_readers_language(client, world, language):
    client.force_login(world["secretariat"])
    client.cookies[COOKIE] = language
    html = client.get(reverse("documents:workshop", args=[world["workshop"].slug])).content.decode()
    assert_language_of_page(html, language)
    assert_shows(html, language, "Certificates and letters")
    assert_shows(html, language, "For every participant checked in at the workshop.")
