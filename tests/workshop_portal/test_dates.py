"""Dates, ranges and times as CLDR writes them in each language, everywhere the portal shows one.

The strings expected here are CLDR's (through Babel): the Russian month in the genitive after a
day ("22 февраля 2012 г.", never Django's "22 Февраль 2012"), the French one in lower case, the
Arabic month names, the interval forms ("22–23 février 2012"), and every time of day with its zone.
"""

import datetime
import io
import re

import icalendar
import pypdf
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from presentations.services import _deadline_message
from registrations.enums import RegistrationStatus
from sessions.models import WorkingSession
from testkit.factories import RegistrationFactory, WorkshopFactory, country_session, staff_user, verified_user
from workshop_portal import dates
from workshop_portal.roles import SECRETARIAT

UTC = datetime.UTC
FEB_22, FEB_23, MAR_2 = datetime.date(2012, 2, 22), datetime.date(2012, 2, 23), datetime.date(2012, 3, 2)
NNBSP = "\u202f"  # CLDR's narrow no-break space, before the Russian "г." and in French intervals
FSI, PDI = "\u2068", "\u2069"


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _in(language, function, *args):
    with translation.override(language):
        return function(*args)


# --- The formats, per language, against CLDR -----------------------------------------------------

DAYS = {
    "en": "22 February 2012",
    "fr": "22 février 2012",
    "ar": "22 فبراير 2012",
    "ru": f"22 февраля 2012{NNBSP}г.",
}
WEEKDAYS = {
    "en": "Wednesday, 22 February 2012",
    "fr": "mercredi 22 février 2012",
    "ar": "الأربعاء، 22 فبراير 2012",
    "ru": f"среда, 22 февраля 2012{NNBSP}г.",
}
SHORT_DAYS = {"en": "22 Feb", "fr": "22 févr.", "ar": "22 فبراير", "ru": "22 февр."}
RANGES_IN_A_MONTH = {
    "en": "22–23 February 2012",
    "fr": "22–23 février 2012",
    "ar": "22–23 فبراير 2012",
    "ru": f"22–23 февраля 2012{NNBSP}г.",
}
RANGES_OVER_MONTHS = {
    "en": "22 February\u2009–\u20092 March 2012",
    "fr": "22 février\u2009–\u20092 mars 2012",
    "ar": "22 فبراير – 2 مارس 2012",
    "ru": f"22 февраля – 2 марта 2012{NNBSP}г.",
}
RANGES_OVER_YEARS = {
    "en": "30 December 2012\u2009–\u20092 January 2013",
    "fr": "30 décembre 2012\u2009–\u20092 janvier 2013",
    "ar": "30 ديسمبر 2012 – 2 يناير 2013",
    "ru": f"30 декабря 2012{NNBSP}г. – 2 января 2013{NNBSP}г.",
}
TIME_RANGES = {"en": "09:00–10:30", "fr": "09:00\u2009–\u200910:30", "ar": "09:00–10:30", "ru": "09:00–10:30"}
# 18:00 UTC on 20 February 2012 is 20:00 in Istanbul, then on UTC+2 (UTC+3 since 2016).
MOMENTS = {
    "en": "20 February 2012, 20:00 (Europe/Istanbul, GMT+02:00)",
    "fr": "20 février 2012, 20:00 (Europe/Istanbul, UTC+02:00)",
    "ar": f"20 فبراير 2012، 20:00 ({FSI}Europe/Istanbul{PDI}، {FSI}غرينتش+02:00{PDI})",
    "ru": f"20 февраля 2012{NNBSP}г., 20:00 (Europe/Istanbul, GMT+02:00)",
}
LANGUAGES = list(DAYS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_day_is_written_as_cldr_writes_it(language):
    assert _in(language, dates.format_day, FEB_22) == DAYS[language]
    assert _in(language, dates.format_day_with_weekday, FEB_22) == WEEKDAYS[language]
    assert _in(language, dates.format_day_short, FEB_22) == SHORT_DAYS[language]


def test_the_russian_month_takes_the_genitive_after_a_day():
    # What Django's "j F Y" wrote: the nominative, capitalised.
    for function in (dates.format_day, dates.format_day_with_weekday):
        text = _in("ru", function, FEB_22)
        assert "февраля" in text
        assert "Февраль" not in text
    assert "февраля" in _in("ru", dates.format_day_range, FEB_22, FEB_23)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_range_of_days_uses_cldrs_interval_forms_with_the_month_in_full(language):
    assert _in(language, dates.format_day_range, FEB_22, FEB_23) == RANGES_IN_A_MONTH[language]
    assert _in(language, dates.format_day_range, FEB_22, MAR_2) == RANGES_OVER_MONTHS[language]
    new_year = (datetime.date(2012, 12, 30), datetime.date(2013, 1, 2))
    assert _in(language, dates.format_day_range, *new_year) == RANGES_OVER_YEARS[language]
    # One day is that day; no end is the same.
    assert _in(language, dates.format_day_range, FEB_22, FEB_22) == DAYS[language]
    assert _in(language, dates.format_day_range, FEB_22, None) == DAYS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_times_are_on_the_24_hour_clock_and_a_moment_names_its_zone(language):
    assert _in(language, dates.format_time, datetime.time(9, 5)) == "09:05"
    assert _in(language, dates.format_time_range, datetime.time(9), datetime.time(10, 30)) == TIME_RANGES[language]
    moment = datetime.datetime(2012, 2, 20, 18, 0, tzinfo=UTC)
    assert _in(language, dates.format_datetime_with_zone, moment, "Europe/Istanbul") == MOMENTS[language]


def test_the_zones_offset_is_the_one_in_force_at_that_moment():
    winter = datetime.datetime(2012, 2, 20, 18, 0, tzinfo=UTC)
    summer = datetime.datetime(2012, 7, 20, 18, 0, tzinfo=UTC)
    with translation.override("en"):
        assert dates.format_datetime_with_zone(winter, "Europe/Paris").endswith("19:00 (Europe/Paris, GMT+01:00)")
        assert dates.format_datetime_with_zone(summer, "Europe/Paris").endswith("20:00 (Europe/Paris, GMT+02:00)")
        assert dates.format_zone("Asia/Almaty", FEB_22) == "Asia/Almaty, GMT+06:00"


def test_the_template_filters_are_the_same_functions():
    template = Template(
        "{% load portal %}{{ start|day_range:end }}|{{ start|day }}|{{ start|day_with_weekday }}|{{ start|day_short }}"
        "|{{ moment|with_zone:zone }}|{{ zone|zone:start }}|{{ missing|day }}"
    )
    context = Context(
        {
            "start": FEB_22,
            "end": FEB_23,
            "moment": datetime.datetime(2012, 2, 20, 18, 0, tzinfo=UTC),
            "zone": "Europe/Istanbul",
            "missing": None,
        }
    )
    with translation.override("ru"):
        parts = template.render(context).split("|")
    assert parts == [
        RANGES_IN_A_MONTH["ru"],
        DAYS["ru"],
        WEEKDAYS["ru"],
        SHORT_DAYS["ru"],
        MOMENTS["ru"],
        "Europe/Istanbul, GMT+02:00",
        "",
    ]


# --- Where the dates are shown ------------------------------------------------------------------


@pytest.fixture
def workshop(db):
    """The 2012 workshop: 22–23 February in Ankara, a session on the first day, everything closed."""
    workshop = WorkshopFactory(
        slug="ankara-2012",
        title="Workshop on Cooperation",
        start_date=FEB_22,
        end_date=FEB_23,
        registration_opens_at=datetime.datetime(2012, 1, 1, 9, 0, tzinfo=UTC),
        registration_closes_at=datetime.datetime(2012, 2, 10, 15, 0, tzinfo=UTC),
        upload_deadline=datetime.datetime(2012, 2, 20, 18, 0, tzinfo=UTC),
    )
    country_session(workshop, "KZ", start=(9, 0), end=(10, 30))
    return workshop


def _page(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_workshop_page_in_russian_writes_the_month_in_the_genitive(client, workshop):
    html = _page(client, workshop.get_absolute_url(), "ru")
    assert RANGES_IN_A_MONTH["ru"] in html  # the workshop's dates
    assert WEEKDAYS["ru"] in html  # the programme's day heading
    assert "Февраль" not in html
    assert "Февраля" not in html
    # Registration closed, and since when, on the venue's clock with its zone.
    assert "10 февраля 2012\u202fг., 17:00 (Europe/Istanbul, GMT+02:00)" in html
    assert MOMENTS["ru"] in html  # the presentations' deadline
    assert "(Europe/Istanbul, GMT+02:00)" in html  # "times are local to the venue"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", RANGES_IN_A_MONTH["fr"]), ("ar", RANGES_IN_A_MONTH["ar"]), ("en", RANGES_IN_A_MONTH["en"])],
)
def test_the_workshop_page_writes_its_dates_the_readers_way(client, workshop, language, expected):
    html = _page(client, workshop.get_absolute_url(), language)
    assert expected in html
    assert WEEKDAYS[language] in html
    assert escape(MOMENTS[language]) in html
    home = _page(client, reverse("home"), language)
    assert expected in home  # the workshop's card


def test_a_delegates_pages_show_dates_and_times_with_their_zone(client, workshop):
    user = verified_user("delegate@example.org")
    registration = RegistrationFactory(
        workshop=workshop,
        user=user,
        status=RegistrationStatus.APPROVED,
        arrival_date=datetime.date(2012, 2, 21),
        departure_date=datetime.date(2012, 2, 24),
    )
    type(registration).objects.filter(pk=registration.pk).update(
        created_at=datetime.datetime(2012, 1, 15, 8, 30, tzinfo=UTC)
    )
    client.force_login(user)
    html = _page(client, reverse("registrations:detail", args=[registration.pk]), "ru")
    assert f"21–24 февраля 2012{NNBSP}г." in html  # arrival and departure
    assert f"15 января 2012{NNBSP}г., 10:30 (Europe/Istanbul, GMT+02:00)" in html  # submitted
    dashboard = _page(client, reverse("registrations:dashboard"), "ru")
    assert RANGES_IN_A_MONTH["ru"] in dashboard


def test_the_proceedings_builds_table_shows_each_builds_time_with_the_zone(client, workshop):
    from reports.models import ProceedingsBuild

    secretary = staff_user("secretary@example.org", SECRETARIAT)
    build = ProceedingsBuild.objects.create(
        workshop=workshop, requested_by=secretary, language="en", inputs_hash="x", manifest={"sessions": []}
    )
    ProceedingsBuild.objects.filter(pk=build.pk).update(created_at=datetime.datetime(2012, 2, 24, 7, 5, tzinfo=UTC))
    client.force_login(secretary)
    html = _page(client, reverse("reports:builds", args=[workshop.slug]), "fr")
    assert "24 février 2012, 09:05 (Europe/Istanbul, UTC+02:00)" in html


def test_the_participant_list_pdf_writes_the_dates_the_readers_way(client, workshop):
    secretary = staff_user("secretary@example.org", SECRETARIAT)
    client.force_login(secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(reverse("registrations:participants_pdf", args=[workshop.slug]))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text.replace("\u2068", "").replace("\u2069", ""))
    assert "22–23 февраля 2012 г." in text.replace(NNBSP, " ")
    assert "(Europe/Istanbul, GMT+" in text  # "as of …", with the zone


def test_the_calendar_file_names_the_zone_of_the_times_it_lists(client, workshop):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(reverse("worksessions:programme_ics", args=[workshop.slug]))
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    description = str(event["description"])
    assert "(Europe/Istanbul, GMT+02:00)" in description
    assert "09:00–" in description  # the segments' times, in the venue's zone
    assert str(event["location"]) == "Conference centre, Ankara"


def test_messages_written_by_services_use_the_same_formats(workshop):
    with translation.override("ru"):
        assert MOMENTS["ru"] in _deadline_message(workshop)
        outside = WorkingSession(
            workshop=workshop, kind="special", date=datetime.date(2012, 3, 2), start_time=datetime.time(9)
        )
        outside.end_time = datetime.time(10)
        with pytest.raises(ValidationError) as caught:
            outside.clean()
    message = " ".join(caught.value.messages)
    assert DAYS["ru"] in message
    assert f"23 февраля 2012{NNBSP}г." in message
