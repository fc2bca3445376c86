"""The portal in French, Arabic (right to left) and Russian.

Each main page in each language, the language switcher, the language kept for a signed-in person,
the registration and proceedings emails in the recipient's language, member states' and
institutions' names translated and sorted for the reader, an Arabic proceedings volume read back
from its PDF, and the catalogues themselves: complete and compiled.
"""

import io
import re
import shutil
import unicodedata

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from presentations.models import Presentation
from presentations.services import presentation_create
from registrations.badges import badge_batch_render, badge_batch_request
from registrations.emails import registration_email_send
from registrations.enums import DelegationRole, RegistrationNotice, RegistrationStatus
from registrations.forms import RegistrationForm
from registrations.selectors import participant_list
from registrations.services import (
    registration_approve,
    registration_cancel,
    registration_decline,
    registration_submit,
)
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings import _finish_failed, proceedings_build_now
from sessions.enums import SegmentKind
from testkit.factories import (
    InstitutionFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    approved_delegate,
    country_session,
    institution_delegate,
    member_state,
    segment_of,
    staff_user,
    verified_user,
)
from tests.reports.proceedings_fixtures import build_material
from workshop_portal import catalogues
from workshop_portal.collation import collation_key
from workshop_portal.models import Institution
from workshop_portal.roles import ORGANISERS, SECRETARIAT
from workshop_portal.templatetags.bidi import direction, isolate, text_direction

LANGUAGES = ["fr", "ar", "ru"]
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def _default_language_afterwards():
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


# --- The catalogues -----------------------------------------------------------------------------


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


# --- Every main page, in every language ---------------------------------------------------------


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


def test_the_browser_language_is_used_until_one_is_chosen(client, world):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9").content.decode()
    assert '<html lang="ru" dir="ltr">' in html
    assert "Семинары" in html


# --- The switcher and the person's own language -------------------------------------------------


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


# --- Emails in the recipient's language ---------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.worker
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_registration_email_is_in_the_recipients_language(celery_worker_process, mailbox, language):
    organiser = UserFactory(email="organiser@example.org", is_staff=True, language="en")
    workshop = WorkshopFactory(capacity=1, title="Workshop on Cooperation")

    def delegate(name):
        user = UserFactory(email=f"{name}@example.org", language=language)
        return RegistrationFactory.build(workshop=workshop, user=user, participant_name=name.title())

    first, second, third = delegate("first"), delegate("second"), delegate("third")
    for registration in (first, second, third):
        registration_submit(registration=registration, by=registration.user)  # received
    registration_approve(registration=first, by=organiser)  # approved
    registration_approve(registration=second, by=organiser)  # full: waitlisted
    registration_decline(registration=third, by=organiser)  # declined
    registration_cancel(registration=first, by=first.user)  # cancelled; second is promoted

    expected = {
        "first@example.org": [RegistrationNotice.RECEIVED, RegistrationNotice.APPROVED, RegistrationNotice.CANCELLED],
        "second@example.org": [RegistrationNotice.RECEIVED, RegistrationNotice.WAITLISTED, RegistrationNotice.PROMOTED],
        "third@example.org": [RegistrationNotice.RECEIVED, RegistrationNotice.DECLINED],
    }
    for address, notices in expected.items():
        emails = mailbox.wait_for(len(notices), to=address)
        with translation.override(language):
            subjects = sorted(
                translation.gettext("%(notice)s: %(title)s") % {"notice": notice.label, "title": workshop.title}
                for notice in notices
            )
        assert sorted(email.subject for email in emails) == subjects
        with translation.override(language):
            # Names keep their own direction in an Arabic text: isolated there (FSI … PDI).
            name = isolate(address.split("@")[0].title())
            host = isolate(workshop.host_institution.localized_name)  # its official form in that language
        for email in emails:
            assert tr(language, "Dear %(name)s,", name=name) in email.body
            assert tr(language, "With kind regards,") in email.body
            assert tr(language, "The workshop secretariat, %(host)s", host=host) in email.body


def test_a_person_without_a_language_gets_emails_in_the_portals_default(db, mailbox):
    workshop = WorkshopFactory(title="Workshop on Cooperation")
    registration = RegistrationFactory(workshop=workshop, user=UserFactory(email="plain@example.org"))
    # Whatever language the page that caused it was in.
    with translation.override("ru"):
        registration_email_send(registration=registration, notice=RegistrationNotice.RECEIVED)
        assert translation.get_language() == "ru"
    [email] = mailbox.wait_for(1, to="plain@example.org")
    assert email.subject == "Registration received: Workshop on Cooperation"


def test_the_proceedings_failed_email_is_in_the_requesters_language(db, mailbox, django_capture_on_commit_callbacks):
    requester = staff_user("secretary@example.org", SECRETARIAT)
    requester.language = "ru"
    requester.save(update_fields=["language"])
    workshop = WorkshopFactory(title="Workshop on Cooperation")
    build = ProceedingsBuild.objects.create(
        workshop=workshop, requested_by=requester, language="fr", inputs_hash="x", manifest={"sessions": []}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _finish_failed(build, "disk full")
    [email] = mailbox.wait_for(1, to="secretary@example.org")
    assert email.subject == "Не удалось сформировать материалы: Workshop on Cooperation"
    assert "Причина: disk full" in email.body


# --- Member states and institutions -------------------------------------------------------------


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


def _state_choices(language: str) -> list[str]:
    with translation.override(language):
        return [str(label) for value, label in RegistrationForm().fields["member_state"].choices if value]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "Émirats arabes unis", "Gabon"),  # by code point É would follow Z
        ("ar", "الأردن", "أفغانستان"),  # the article does not count: أردن before أفغانستان
        ("ar", "تركيا", "السعودية (المملكة العربية)"),  # ت before س
        ("ru", "Объединенные Арабские Эмираты", "Оман"),
    ],
)
def test_the_registration_form_sorts_member_states_for_the_reader(language, before, after):
    names = _state_choices(language)
    assert len(names) == 57
    assert names == sorted(names, key=lambda name: collation_key(name, language))
    assert names.index(before) < names.index(after)


@pytest.mark.django_db
def test_the_list_of_participants_sorts_delegations_for_the_reader():
    workshop = WorkshopFactory()
    for code in ("TR", "SA", "KZ", "AE"):
        approved_delegate(workshop, code)
    with translation.override("ar"):
        headings = [group.heading for group in participant_list(workshop=workshop)]
    assert headings == ["الإمارات العربية المتحدة", "تركيا", "السعودية (المملكة العربية)", "كازاخستان"]
    with translation.override("ru"):
        headings = [group.heading for group in participant_list(workshop=workshop)]
    assert headings == ["Казахстан", "Объединенные Арабские Эмираты", "Саудовская Аравия", "Турция"]


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


def test_the_list_of_participants_page_names_institutions_in_the_readers_language(client, world):
    institution_delegate(world["workshop"], "IsDB")
    client.force_login(world["user"])
    client.cookies[COOKIE] = "fr"
    html = client.get(reverse("registrations:participants", args=["cooperation"])).content.decode()
    assert "Banque islamique de développement" in html
    assert escape(tr("fr", "OIC institution")) in html


# --- The PDFs in a chosen language --------------------------------------------------------------


def _pdf_text(data: bytes) -> list[str]:
    # Text as a reader sees it: presentation forms folded, the bidi isolates the templates add dropped.
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        text = unicodedata.normalize("NFKC", page.extract_text()).replace("\u2068", "").replace("\u2069", "")
        pages.append(re.sub(r"\s+", " ", text))
    return pages


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
    pages = _pdf_text(data)
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
        whole = " ".join(_pdf_text(handle.read()))
    assert "Содержание" in whole
    assert "Указатель государств-членов и учреждений — участников" in whole
    assert "المحتويات" not in whole


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_participant_list_pdf_is_in_the_readers_language(client, world, language):
    approved_delegate(world["workshop"], "SA", participant_name="عبد الله الحربي")
    client.force_login(world["secretariat"])
    client.cookies[COOKIE] = language
    response = client.get(reverse("registrations:participants_pdf", args=["cooperation"]))
    assert response.status_code == 200
    whole = " ".join(_pdf_text(response.content))
    assert tr(language, "List of participants") in whole
    with translation.override(language):
        assert str(member_state("KZ").name) in whole
    assert "Aigerim Bekova" in whole
    assert "عبد الله الحربي" in whole


def test_registration_statuses_read_in_the_readers_language(client, world):
    client.force_login(world["user"])
    client.cookies[COOKIE] = "ru"
    html = client.get(reverse("registrations:dashboard")).content.decode()
    with translation.override("ru"):
        assert str(RegistrationStatus.APPROVED.label) in html


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


def test_badges_are_printed_in_the_language_of_whoever_asked_for_them(world):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    organiser.language = "ru"
    organiser.save(update_fields=["language"])
    batch, _new = badge_batch_request(workshop=world["workshop"], by=organiser)
    batch = badge_batch_render(batch=batch)
    assert batch.status == "ready", batch.error
    with batch.file.open("rb") as handle:
        whole = " ".join(_pdf_text(handle.read()))
    assert tr("ru", "Central Asian state").upper() in whole.upper()
    assert "Aigerim Bekova" in whole
