"""Dates and times as a reader of each language writes them (CLDR, through Babel).

The one place the portal turns a date or a time into text: pages, emails, PDFs, the calendar file
and the messages services write all come through here, so a Russian reader sees "22 февраля 2012 г."
(the month in the genitive after a day), a French one "22 février 2012", an Arabic one
"22 فبراير 2012", and every time of day names its zone. Django's own formats ("j F Y") give the
month in the nominative ("22 Февраль 2012") and no CLDR interval forms.

English is written the British way (en_GB: "22 February 2012"), as in the rest of the portal.
Times of day are on the 24-hour clock in every language (CLDR's "Hm" form): a programme is read
that way at an intergovernmental meeting.
"""

import datetime
import functools
import re
import zoneinfo

from babel import Locale
from babel.dates import format_date, format_skeleton, get_timezone_gmt, parse_pattern
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from workshop_portal.bidi import join_text

# The CLDR locale for each language of the portal where the two codes differ.
BABEL_LOCALES = {"en": "en_GB"}


def _language_code(language: str | None = None) -> str:
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]


def babel_locale(language: str | None = None) -> Locale:
    """The CLDR locale of `language` (default: the active one)."""
    return _babel_locale(_language_code(language))


@functools.lru_cache(maxsize=32)
def _babel_locale(code: str) -> Locale:
    # Locale.parse looks the identifier up again on every call: a programme asks dozens of times a page.
    return Locale.parse(BABEL_LOCALES.get(code, code))


def _local(value):
    """An aware datetime in the current time zone (as Django's |date filter shows it); dates as they are."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _date_of(value) -> datetime.date:
    value = _local(value)
    return value.date() if isinstance(value, datetime.datetime) else value


# A day, a range, a time or a zone is written the same way each time in a language: pages ask for
# the same few (a workshop's dates and deadlines, a programme's days and times) on every request,
# and Babel works each out again (patterns, locale data, plural and bidi rules). The functions
# below are kept per language and value.
_FORMATS_KEPT = 4096


def format_day(day) -> str:
    """A day in the long form: "22 February 2012", "22 février 2012", "22 февраля 2012 г."."""
    return _day(_language_code(), _date_of(day), "long")


def format_day_with_weekday(day) -> str:
    """A day with its weekday, for programme headings: "Wednesday, 22 February 2012"."""
    return _day(_language_code(), _date_of(day), "full")


@functools.lru_cache(maxsize=_FORMATS_KEPT)
def _day(code: str, day: datetime.date, form: str) -> str:
    return format_date(day, form, locale=_babel_locale(code))


def format_day_short(day) -> str:
    """Day and abbreviated month, in a table: "22 Feb", "22 févr.", "22 февр."."""
    return format_skeleton("MMMd", _date_of(day), locale=babel_locale())


# A single M, MMM: not MMMM (already the full name) nor L (the stand-alone month).
_ABBREVIATED_MONTH = re.compile(r"(?<!M)MMM(?!M)")


def format_day_range(start, end=None) -> str:
    """From one day to another, CLDR's interval form with the months in full, as `format_day` writes them:
    "22–23 February 2012", "22 février – 2 mars 2012", "22–23 февраля 2012 г.".

    CLDR has interval patterns for the abbreviated months (skeleton yMMMd) only; ICU widens them
    for the full skeleton (yMMMMd) by turning MMM into MMMM, and so does this. Babel's own
    format_interval keeps the abbreviation ("22–23 февр. 2012 г.").
    """
    start = _date_of(start)
    end = _date_of(end) if end else start
    if end == start:
        return format_day(start)
    return _day_range(_language_code(), start, end)


@functools.lru_cache(maxsize=_FORMATS_KEPT)
def _day_range(code: str, start: datetime.date, end: datetime.date) -> str:
    locale = _babel_locale(code)
    patterns = locale.interval_formats["yMMMd"]
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    first, second = (_ABBREVIATED_MONTH.sub("MMMM", pattern) for pattern in patterns[field])
    return parse_pattern(first).apply(start, locale) + parse_pattern(second).apply(end, locale)


def format_time(value) -> str:
    """A time of day, 24-hour clock: "09:30"."""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        value = value.time()
    return _time(_language_code(), value)


@functools.lru_cache(maxsize=_FORMATS_KEPT)
def _time(code: str, value: datetime.time) -> str:
    return format_skeleton("Hm", value, locale=_babel_locale(code))


def format_time_range(start: datetime.time, end: datetime.time) -> str:
    """From one time of the same day to another, CLDR's interval form: "09:00–10:30", "09:00 – 10:30" in French."""
    return _time_range(_language_code(), start, end)


# A programme writes the same few ranges (its sessions' and segments' times) on every page, in each language.
@functools.lru_cache(maxsize=4096)
def _time_range(code: str, start: datetime.time, end: datetime.time) -> str:
    locale = _babel_locale(code)
    patterns = locale.interval_formats["Hm"]
    field = "H" if start.hour != end.hour else "m"
    first, second = patterns[field]
    today = datetime.date.today()
    return parse_pattern(first).apply(datetime.datetime.combine(today, start), locale) + parse_pattern(second).apply(
        datetime.datetime.combine(today, end), locale
    )


def format_zone(zone: str, at=None) -> str:
    """A time zone as the portal names it beside a time: its IANA name and its offset from UTC then,
    the offset written the reader's way: "Europe/Istanbul, GMT+03:00", "Europe/Istanbul, UTC+03:00"
    in French, "Europe/Istanbul، غرينتش+03:00" in Arabic (each part isolated in a right-to-left text).

    `at` (a datetime or a date; default: now) decides the offset, which summer time changes.
    """
    tzinfo = zoneinfo.ZoneInfo(zone)
    if at is None:
        moment = timezone.now().astimezone(tzinfo)
    elif isinstance(at, datetime.datetime):
        moment = at.astimezone(tzinfo) if timezone.is_aware(at) else at.replace(tzinfo=tzinfo)
    else:
        moment = datetime.datetime.combine(at, datetime.time(12), tzinfo=tzinfo)
    return _zone(_language_code(), zone, moment)


@functools.lru_cache(maxsize=_FORMATS_KEPT)
def _zone(code: str, zone: str, moment: datetime.datetime) -> str:
    # join_text isolates each part in a right-to-left language: the active one, whose code is the key.
    return join_text([zone, get_timezone_gmt(moment, "long", locale=_babel_locale(code))])


def format_datetime_with_zone(value: datetime.datetime, zone: str | None = None) -> str:
    """A moment as the clock of `zone` shows it, with the zone:
    "22 February 2012, 09:30 (Europe/Istanbul, GMT+03:00)", "22 февраля 2012 г., 09:30 (Europe/Istanbul, GMT+03:00)".

    Every deadline, registration window and time stamp a person reads goes through this one
    function, so a time never appears without saying which clock it is on. `zone` is the
    workshop's; without one (a sign-in, tied to no workshop), the portal's current zone.
    """
    zone = zone or timezone.get_current_timezone_name()
    local = value.astimezone(zoneinfo.ZoneInfo(zone))
    locale = babel_locale()
    # CLDR's glue of a date and a time ("{1}, {0}"; "{1}، {0}" in Arabic); quotes mark literals.
    glue = str(locale.datetime_formats["medium"]).replace("'", "")
    moment = glue.replace("{1}", format_day(local.date())).replace("{0}", format_time(local.time()))
    return f"{moment} ({format_zone(zone, local)})"
