"""Visa support letter requests: an approved delegate's passport details and dates of stay.

Every write is here. The request is the delegate's alone to write; nothing here logs a passport
detail, and no message names one but to the delegate. Saving it (asking, changing, renewing) sends
`visa_request_saved`: its letter is issued by a worker once the change commits, and a change after
issue issues a new letter that replaces the old one. Withdrawing it (pending or issued) sends
`visa_request_withdrawn`: its letter is revoked in the same transaction.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from delegations.enums import VISA_REQUEST_CLOSED, VisaRequestStatus
from delegations.letter_models import VisaLetterRequest
from delegations.signals import visa_request_saved, visa_request_withdrawn
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshop_portal.dates import format_day, format_day_range
from workshop_portal.models import User
from workshop_portal.validators import HIDDEN_CHARACTERS

STAY_MARGIN_DAYS = 15
"""How many days before the workshop a stay may begin, and after it end."""

PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")


def visa_request_of(registration: Registration) -> VisaLetterRequest | None:
    return VisaLetterRequest.objects.filter(registration_id=registration.pk).first()


def visa_request_check_allowed(*, registration: Registration, by: User) -> None:
    """Only the delegate asks, and only once approved."""
    if registration.user_id != by.pk:
        raise ValidationError(_("Only the delegate asks for their own visa support letter."), code="not_owner")
    if registration.status != RegistrationStatus.APPROVED:
        raise ValidationError(
            _("A visa support letter can be requested once your registration is approved."), code="not_approved"
        )


def normalised_passport_number(value: str) -> str:
    """Letters and digits only, in capitals: "ab 123-4567" is "AB1234567"."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def visa_request_errors(*, registration: Registration, data: dict) -> dict[str, str]:
    """What is wrong with the details, field by field (empty: nothing)."""
    workshop = registration.workshop
    errors = {}
    name = (data.get("passport_name") or "").strip()
    if not name:
        errors["passport_name"] = _("Enter your name exactly as it is printed in your passport.")
    elif HIDDEN_CHARACTERS.search(name) or len(name) > 200:
        errors["passport_name"] = _(
            "Enter your name as printed in your passport, on one line of at most 200 characters."
        )
    if str(data.get("nationality") or "") not in dict(countries):
        errors["nationality"] = _("Choose your nationality.")
    if not PASSPORT_NUMBER.match(normalised_passport_number(data.get("passport_number"))):
        errors["passport_number"] = _("A passport number has 5 to 20 letters and digits.")
    stay_from, stay_to, expiry = data.get("stay_from"), data.get("stay_to"), data.get("passport_expiry")
    for field, value in (("stay_from", stay_from), ("stay_to", stay_to), ("passport_expiry", expiry)):
        if not isinstance(value, datetime.date):
            errors[field] = _("Enter a date.")
    if "stay_from" in errors or "stay_to" in errors:
        return errors
    dates = format_day_range(workshop.start_date, workshop.end_date)
    earliest = workshop.start_date - datetime.timedelta(days=STAY_MARGIN_DAYS)
    latest = workshop.end_date + datetime.timedelta(days=STAY_MARGIN_DAYS)
    if stay_to < stay_from:
        errors["stay_to"] = _("Your stay cannot end before it begins.")
    elif stay_from < earliest or stay_to > latest:
        errors["stay_from"] = _(
            "The letter covers a stay around the workshop (%(dates)s): from %(earliest)s at the earliest "
            "until %(latest)s at the latest."
        ) % {"dates": dates, "earliest": format_day(earliest), "latest": format_day(latest)}
    elif stay_from > workshop.end_date or stay_to < workshop.start_date:
        errors["stay_from"] = _("Your stay must include the workshop (%(dates)s).") % {"dates": dates}
    if "passport_expiry" not in errors:
        if expiry <= stay_to:
            errors["passport_expiry"] = _(
                "Your passport must still be valid after your stay: "
                "it expires on %(expiry)s, your stay ends on %(end)s."
            ) % {"expiry": format_day(expiry), "end": format_day(stay_to)}
        elif expiry <= timezone.localdate():
            errors["passport_expiry"] = _("This passport has expired.")
    return errors


@transaction.atomic
def visa_request_save(*, registration: Registration, by: User, **data) -> VisaLetterRequest:
    """The delegate asks for a visa support letter, or changes their request (a withdrawn request is
    asked anew, an issued one is issued again). A bad detail changes nothing."""
    registration = Registration.objects.select_for_update().select_related("workshop").get(pk=registration.pk)
    visa_request_check_allowed(registration=registration, by=by)
    current = VisaLetterRequest.objects.select_for_update().filter(registration=registration).first()
    errors = visa_request_errors(registration=registration, data=data)
    if errors:
        raise ValidationError(errors)
    visa_request = current or VisaLetterRequest(registration=registration)
    visa_request.passport_name = data["passport_name"].strip()
    visa_request.nationality = data["nationality"]
    visa_request.passport_number = normalised_passport_number(data["passport_number"])
    visa_request.passport_expiry = data["passport_expiry"]
    visa_request.stay_from = data["stay_from"]
    visa_request.stay_to = data["stay_to"]
    visa_request.status = VisaRequestStatus.REQUESTED
    visa_request.save()
    visa_request_saved.send(sender=VisaLetterRequest, visa_request=visa_request)
    return visa_request


@transaction.atomic
def visa_request_withdraw(*, visa_request: VisaLetterRequest, by: User) -> VisaLetterRequest:
    """The delegate withdraws their request, pending or issued (its letter then stops being valid)."""
    current = VisaLetterRequest.objects.select_for_update().select_related("registration").get(pk=visa_request.pk)
    if current.registration.user_id != by.pk:
        raise ValidationError(_("Only the delegate withdraws their own request."), code="not_owner")
    if current.status == VisaRequestStatus.WITHDRAWN:
        raise ValidationError(_("This request is already withdrawn."), code="transition")
    current.status = VisaRequestStatus.WITHDRAWN
    current.save(update_fields=["status", "updated_at"])
    visa_request_withdrawn.send(sender=VisaLetterRequest, visa_request=current, by=by)
    return current


@transaction.atomic
def visa_request_mark_issued(*, visa_request: VisaLetterRequest, by: User | None) -> VisaLetterRequest:
    """The organisers issued the letter (the documents app calls this): the request is then fixed."""
    current = VisaLetterRequest.objects.select_for_update().select_related("registration").get(pk=visa_request.pk)
    if current.status == VisaRequestStatus.WITHDRAWN:
        raise ValidationError(_("This request was withdrawn by the delegate."), code="withdrawn")
    if current.registration.status != RegistrationStatus.APPROVED:
        raise ValidationError(_("A visa support letter is issued only to an approved delegate."), code="not_approved")
    if current.status != VisaRequestStatus.ISSUED:
        current.status = VisaRequestStatus.ISSUED
        current.issued_at = timezone.now()
        current.issued_by = by
        current.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
    return current


def visa_request_close_for_registration(*, registration: Registration) -> VisaLetterRequest | None:
    """The registration was cancelled (the request is withdrawn) or declined (revoked), inside that
    transaction; its letter is revoked by the documents app, which hears the same signal."""
    current = VisaLetterRequest.objects.select_for_update().filter(registration_id=registration.pk).first()
    if current is None or current.status in VISA_REQUEST_CLOSED:
        return current
    cancelled = registration.status == RegistrationStatus.CANCELLED
    current.status = VisaRequestStatus.WITHDRAWN if cancelled else VisaRequestStatus.REVOKED
    current.save(update_fields=["status", "updated_at"])
    return current


def visa_request_mark_revoked(*, registration_id: int) -> int:
    """The organisers revoked an issued letter (the documents app calls this): the request says so,
    and no batch issues it again until the delegate saves it anew. How many requests changed."""
    return VisaLetterRequest.objects.filter(registration_id=registration_id, status=VisaRequestStatus.ISSUED).update(
        status=VisaRequestStatus.REVOKED, updated_at=timezone.now()
    )


def on_registration_left(sender, registration, status, by, **kwargs) -> None:
    visa_request_close_for_registration(registration=registration)
