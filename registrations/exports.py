"""Registrations as CSV or XLSX, for the organisers' spreadsheets. Same columns in both."""

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from registrations.form_extensions import registration_form_extensions
from registrations.models import Registration


def _columns():
    return [
        (_("Workshop"), lambda r: r.workshop.title),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Title"), lambda r: r.honorific),
        (_("Name"), lambda r: r.participant_name),
        (_("Position"), lambda r: r.position),
        (_("Participant category"), lambda r: r.get_category_display()),
        (_("Member state"), lambda r: str(r.member_state) if r.member_state_id else ""),
        (_("Member state code"), lambda r: r.member_state.code.code if r.member_state_id else ""),
        (_("Institution"), lambda r: r.institution.localized_name if r.institution_id else ""),
        (_("Role in the delegation"), lambda r: r.get_delegation_role_display()),
        (_("Email"), lambda r: r.email),
        (_("Telephone"), lambda r: r.phone),
        (_("Arrival"), lambda r: r.arrival_date.isoformat() if r.arrival_date else ""),
        (_("Departure"), lambda r: r.departure_date.isoformat() if r.departure_date else ""),
        (_("Dietary needs"), lambda r: r.dietary_needs),
        (_("Access needs"), lambda r: r.access_needs),
        (_("Listed"), lambda r: _("yes") if r.consent_to_list else _("no")),
        (_("Submitted"), lambda r: _venue_time(r, r.created_at)),
        (_("Arrived"), lambda r: _venue_time(r, r.checked_in_at)),
    ]


def _venue_time(registration: Registration, moment) -> str:
    """A time stamp for a spreadsheet: ISO 8601 on the venue's clock, its offset from UTC included
    ("2012-02-22 09:30+02:00"), so no reader mistakes whose clock it is."""
    if moment is None:
        return ""
    return moment.astimezone(registration.workshop.tzinfo).isoformat(sep=" ", timespec="minutes")


def _rows(registrations: Iterable[Registration]):
    registrations = list(registrations)
    columns = _columns()
    # The workshops' own questions (registrations/form_extensions.py), read for all rows at once.
    for extension in registration_form_extensions():
        columns += extension.export_columns(registrations)
    yield [str(title) for title, _value in columns]
    for registration in registrations:
        yield [spreadsheet_safe(str(value(registration))) for _title, value in columns]


def spreadsheet_safe(text: str) -> str:
    """A cell starting with = + - @ is a formula to Excel: a delegate's name must not run as one
    (every CSV of people's names goes through this: the registrations export, the documents' index)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def registrations_export_queryset(queryset):
    return queryset.select_related("workshop", "member_state", "institution").order_by("workshop", "participant_name")


def registrations_to_csv(registrations: Iterable[Registration]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_rows(registrations))
    # A byte-order mark, so spreadsheet programs read the names in their own scripts.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def registrations_to_xlsx(registrations: Iterable[Registration]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Registrations")[:31])
    for row in _rows(registrations):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
