"""Proceedings in French, Arabic and Russian (tests/i18n_support.py): the failure email in the
requester's language, an Arabic volume read back from its PDF, one language per build."""

import io
import re

import pypdf
import pytest

from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings.pipeline import finish_failed
from reports.proceedings.services import proceedings_build_now
from testkit.factories import (
    WorkshopFactory,
    staff_user,
)
from tests import i18n_support
from tests.i18n_support import pdf_text, tr
from tests.reports.proceedings_fixtures import build_material
from workshop_portal.roles import SECRETARIAT

# The shared fixtures (tests/i18n_support.py): the default language back after each test.
default_language_afterwards = i18n_support.default_language_afterwards


def test_the_proceedings_failed_email_is_in_the_requesters_language(db, mailbox, django_capture_on_commit_callbacks):
    requester = staff_user("secretary@example.org", SECRETARIAT)
    requester.language = "ru"
    requester.save(update_fields=["language"])
    workshop = WorkshopFactory(title="Workshop on Cooperation")
    build = ProceedingsBuild.objects.create(
        workshop=workshop, requested_by=requester, language="fr", inputs_hash="x", manifest={"sessions": []}
    )
    with django_capture_on_commit_callbacks(execute=True):
        finish_failed(build, "disk full")
    [email] = mailbox.wait_for(1, to="secretary@example.org")
    assert email.subject == "Не удалось сформировать материалы: Workshop on Cooperation"
    assert "Причина: disk full" in email.body


def _outline_titles(reader, items=None):
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from _outline_titles(reader, item)
        else:
            yield item.title


@pytest.mark.django_db
def test_an_arabic_volume_reads_back_with_arabic_headings_and_names_in_their_own_script(
    mailbox, django_capture_on_commit_callbacks
):
    material = build_material()
    organiser = material["organiser"]
    organiser.language = "fr"  # the requester reads French; the volume is Arabic
    organiser.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        build = proceedings_build_now(workshop=material["workshop"], by=organiser, language="ar")
    assert build.status == BuildStatus.READY, build.error
    with build.file.open("rb") as handle:
        data = handle.read()
    pages = pdf_text(data)
    whole = " ".join(pages)
    for heading in (
        "Proceedings",
        "Contents",
        "Programme",
        "List of participants",
        "Index of participating member states and institutions",
        "Abstract",
        "Best practices of OIC partner member states",
    ):
        arabic = tr("ar", heading)
        assert re.search(r"[\u0600-\u06ff]", arabic), heading
        assert arabic in whole, f"{arabic!r} ({heading}) not in the volume"
    assert tr("ar", "Contents") in pages[1]
    assert tr("ar", "Country working session: %(country)s", country="كازاخستان") in whole
    # Names keep their own script, whatever the volume's language.
    for name in ("Нурлан Сагинтаев", "عبد الله الحربي", "Bakyt Osmonov"):
        assert name in whole
    # The bookmarks are Arabic too.
    titles = list(_outline_titles(pypdf.PdfReader(io.BytesIO(data))))
    assert tr("ar", "Contents") in titles
    assert "جلسة العمل القُطرية: كازاخستان" in titles
    # The requester's email is in French, the requester's language.
    [email] = mailbox.wait_for(1, to=organiser.email)
    assert email.subject == "Actes prêts\u00a0: Workshop on Cooperation with Central Asia"


@pytest.mark.django_db
def test_the_volume_keeps_one_language_per_build():
    material = build_material()
    russian = proceedings_build_now(workshop=material["workshop"], by=material["organiser"], language="ru")
    assert russian.status == BuildStatus.READY, russian.error
    with russian.file.open("rb") as handle:
        whole = " ".join(pdf_text(handle.read()))
    assert "Содержание" in whole
    assert "Указатель государств-членов и учреждений — участников" in whole
    assert "المحتويات" not in whole
