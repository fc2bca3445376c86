"""The delegations app's part of the personal data registry (workshop_portal.personal_data).

A focal point's designation and a nomination hold a name and an email address. Erasure removes
the person's designations as focal point and anonymises the nominations naming them (their seat
history stays, without the name or address); the retention purge of a past workshop removes its
focal points and blanks its nominees' addresses, keeping the names for the record.

A visa letter request holds passport details: the person sees and exports theirs; erasure and the
retention purge delete the requests outright (nothing of a passport is kept for the record).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delegations.models import FocalPoint, Nomination, VisaLetterRequest
from registrations.privacy import erased_participant_name
from workshop_portal import personal_data
from workshop_portal.dates import format_day, format_day_range
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem


def _focal_points(user: User):
    return (
        FocalPoint.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("delegation__workshop", "delegation__member_state", "delegation__institution")
        .order_by("pk")
    )


def _nominations(user: User):
    return (
        Nomination.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("delegation__workshop", "delegation__member_state", "delegation__institution")
        .order_by("pk")
    )


def _visa_requests(user: User):
    return (
        VisaLetterRequest.objects.filter(registration__user=user)
        .select_related("registration__workshop")
        .order_by("pk")
    )


def _visa_label(name: str) -> str:
    return str(VisaLetterRequest._meta.get_field(name).verbose_name).capitalize()


def _summary(user: User) -> list[SummaryItem]:
    items = [
        SummaryItem(
            title=_("Focal point of %(delegation)s") % {"delegation": focal_point.delegation.name},
            details=[(_("Workshop"), focal_point.delegation.workshop.title), (_("Email"), focal_point.email)],
        )
        for focal_point in _focal_points(user)
    ]
    items += [
        SummaryItem(
            title=_("Nominated by %(delegation)s") % {"delegation": nomination.delegation.name},
            details=[
                (_("Workshop"), nomination.delegation.workshop.title),
                (_("Name"), nomination.name),
                (_("Email"), nomination.email),
                (_("Status"), nomination.get_status_display()),
            ],
        )
        for nomination in _nominations(user)
    ]
    items += [
        SummaryItem(
            title=_("Visa support letter request, %(workshop)s") % {"workshop": visa.registration.workshop.title},
            details=[
                (_visa_label("status"), visa.get_status_display()),
                (_visa_label("passport_name"), visa.passport_name),
                (_visa_label("nationality"), visa.nationality.name),
                (_visa_label("passport_number"), visa.passport_number),
                (_visa_label("passport_expiry"), format_day(visa.passport_expiry)),
                (_("Stay"), format_day_range(visa.stay_from, visa.stay_to)),
            ],
        )
        for visa in _visa_requests(user)
    ]
    return items


def _export(user: User) -> ExportSection:
    return ExportSection(
        data={
            "focal_points": [
                {"workshop": f.delegation.workshop.title, "delegation": f.delegation.name, "email": f.email}
                for f in _focal_points(user)
            ],
            "nominations": [
                {
                    "workshop": n.delegation.workshop.title,
                    "delegation": n.delegation.name,
                    "name": n.name,
                    "email": n.email,
                    "role": n.role,
                    "status": n.status,
                }
                for n in _nominations(user)
            ],
            "visa_letter_requests": [
                {
                    "workshop": v.registration.workshop.title,
                    "status": v.status,
                    "passport_name": v.passport_name,
                    "nationality": v.nationality.code,
                    "passport_number": v.passport_number,
                    "passport_expiry": v.passport_expiry,
                    "stay_from": v.stay_from,
                    "stay_to": v.stay_to,
                    "requested_at": v.created_at,
                    "issued_at": v.issued_at,
                }
                for v in _visa_requests(user)
            ],
        }
    )


def _erased_email(pk: int) -> str:
    return f"erased-nominee-{pk}@erased.invalid"


def _erase(user: User, cleanup: Cleanup) -> None:
    deleted, _counts = VisaLetterRequest.objects.filter(registration__user=user).delete()
    cleanup.count(gettext_lazy("visa letter requests deleted"), deleted)
    deleted, _counts = _focal_points(user).delete()
    cleanup.count(gettext_lazy("focal point designations removed"), deleted)
    nominations = list(_nominations(user))
    for nomination in nominations:
        nomination.name = erased_participant_name()
        nomination.email = _erased_email(nomination.pk)
        nomination.user = None
    Nomination.objects.bulk_update(nominations, ["name", "email", "user"])
    cleanup.count(gettext_lazy("nominations anonymised"), len(nominations))


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    deleted, _counts = VisaLetterRequest.objects.filter(registration__workshop=workshop).delete()
    cleanup.count(gettext_lazy("visa letter requests deleted"), deleted)
    deleted, _counts = FocalPoint.objects.filter(delegation__workshop=workshop).delete()
    cleanup.count(gettext_lazy("focal point designations removed"), deleted)
    nominations = list(Nomination.objects.filter(workshop=workshop).exclude(email__endswith="@erased.invalid"))
    for nomination in nominations:
        nomination.email = _erased_email(nomination.pk)
    Nomination.objects.bulk_update(nominations, ["email"])
    cleanup.count(gettext_lazy("nominations cleared"), len(nominations))


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="delegations",
            title=gettext_lazy("Your delegations, nominations and visa letters"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("You are neither a focal point nor a nominee, and have asked for no visa letter."),
        )
    )
