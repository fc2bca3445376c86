"""The registrations app's part of the personal data registry (workshop_portal.personal_data).

A registration holds the most personal data: contact details, travel dates, dietary and access
needs. Erasure anonymises every registration of the person (and cancels those of workshops still
to come, freeing their seat); the retention purge blanks the contact, travel, dietary and access
fields and voids the badge codes of a past workshop, and deletes its badge PDFs, while the name,
delegation and status stay for the record and the published list of participants.
"""

import secrets

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.emails import registration_email_send
from registrations.enums import RegistrationNotice, RegistrationStatus
from registrations.models import BadgeBatch, Registration
from registrations.services import registration_cancel
from workshop_portal import personal_data
from workshop_portal.dates import format_day
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem

# A voided badge code: unique and unguessable like any other, but printed on no badge.
VOID_BADGE_PREFIX = "void-"
PERSONAL_FIELDS = ("email", "phone", "arrival_date", "departure_date", "dietary_needs", "access_needs")
ERASED_FIELDS = ("honorific", "participant_name", "position", "consent_to_list", *PERSONAL_FIELDS, "badge_token")


def erased_participant_name() -> str:
    # Stored in the portal's own language, like every other stored label.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased participant")


def _void_badge_token() -> str:
    return VOID_BADGE_PREFIX + secrets.token_urlsafe(24)


def _label(name: str) -> str:
    return capfirst(Registration._meta.get_field(name).verbose_name)


def _summary(user: User) -> list[SummaryItem]:
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("workshop", "member_state", "institution")
        .order_by("-workshop__start_date", "pk")
    )
    items = []
    for registration in registrations:
        details = [
            (_label("status"), registration.get_status_display()),
            (_label("participant_name"), registration.display_name),
            (_label("position"), registration.position),
            (_label("category"), registration.get_category_display()),
            (_("Delegation"), registration.delegation),
            (_label("email"), registration.email),
            (_label("phone"), registration.phone),
            (_label("arrival_date"), registration.arrival_date and format_day(registration.arrival_date)),
            (
                _label("departure_date"),
                registration.departure_date and format_day(registration.departure_date),
            ),
            (_label("dietary_needs"), registration.dietary_needs),
            (_label("access_needs"), registration.access_needs),
            (_label("consent_to_list"), _("yes") if registration.consent_to_list else _("no")),
        ]
        items.append(
            SummaryItem(
                title=f"{registration.workshop.title} ({format_day(registration.workshop.start_date)})",
                details=[(label, value) for label, value in details if value],
            )
        )
    return items


def _export(user: User) -> ExportSection:
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("workshop", "member_state", "institution")
        .order_by("workshop__start_date", "pk")
    )
    data = [
        {
            "workshop": {
                "slug": r.workshop.slug,
                "title": r.workshop.title,
                "start_date": r.workshop.start_date,
                "end_date": r.workshop.end_date,
            },
            "status": r.status,
            "category": r.category,
            "member_state": r.member_state.code.code if r.member_state_id else None,
            "institution": r.institution.name if r.institution_id else None,
            "delegation_role": r.delegation_role,
            "honorific": r.honorific,
            "participant_name": r.participant_name,
            "position": r.position,
            "email": r.email,
            "phone": r.phone,
            "arrival_date": r.arrival_date,
            "departure_date": r.departure_date,
            "dietary_needs": r.dietary_needs,
            "access_needs": r.access_needs,
            "consent_to_list": r.consent_to_list,
            "badge_code": r.badge_token,
            "checked_in_at": r.checked_in_at,
            "submitted_at": r.created_at,
            "updated_at": r.updated_at,
            "status_changed_at": r.status_changed_at,
        }
        for r in registrations
    ]
    return ExportSection(data=data)


def _cancel_upcoming(registration: Registration, *, by: User | None) -> None:
    """Give up the seat of a workshop still to come; whoever it goes to is told, the person is not."""
    waiting = set(
        Registration.objects.filter(
            workshop_id=registration.workshop_id, status=RegistrationStatus.WAITLISTED
        ).values_list("pk", flat=True)
    )
    registration_cancel(registration=registration, by=by, notify=False)
    promoted = Registration.objects.filter(pk__in=waiting, status=RegistrationStatus.APPROVED).values_list(
        "pk", flat=True
    )
    # Told in this transaction, through the outbox (as every decision's notice).
    for promoted_registration in Registration.objects.filter(pk__in=promoted).select_related("workshop", "user"):
        registration_email_send(registration=promoted_registration, notice=RegistrationNotice.PROMOTED)


def _erase(user: User, cleanup: Cleanup) -> None:
    registrations = list(Registration.objects.select_for_update().filter(user=user).select_related("workshop"))
    today = timezone.localdate()
    cancelled = 0
    for registration in registrations:
        if registration.workshop.end_date >= today and registration.is_cancellable_by_delegate:
            _cancel_upcoming(registration, by=cleanup.by)
            cancelled += 1
    name = erased_participant_name()
    for registration in registrations:
        registration.honorific = ""
        registration.participant_name = name
        registration.position = ""
        registration.consent_to_list = False
        _blank_personal_fields(registration)
    # Only the erased fields: the cancellations above changed the status, which must stay.
    Registration.objects.bulk_update(registrations, [*ERASED_FIELDS, "updated_at"], batch_size=500)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id__in=[str(r.pk) for r in registrations],
    ).update(object_repr=name)
    cleanup.count(gettext_lazy("registrations cancelled"), cancelled)
    cleanup.count(gettext_lazy("registrations anonymised"), len(registrations))


def _blank_personal_fields(registration: Registration) -> None:
    registration.email = ""
    registration.phone = ""
    registration.arrival_date = None
    registration.departure_date = None
    registration.dietary_needs = ""
    registration.access_needs = ""
    registration.badge_token = _void_badge_token()
    registration.updated_at = timezone.now()


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    batches = list(BadgeBatch.objects.filter(workshop=workshop))
    if any(batch.is_pending for batch in batches):
        raise ValidationError(_("Badges for this workshop are being rendered: purge once they are done."))
    for batch in batches:
        cleanup.delete_file(batch.file)
    BadgeBatch.objects.filter(pk__in=[batch.pk for batch in batches]).delete()
    cleanup.count(gettext_lazy("badge batches deleted"), len(batches))

    holding = (
        ~Q(email="")
        | ~Q(phone="")
        | Q(arrival_date__isnull=False)
        | Q(departure_date__isnull=False)
        | ~Q(dietary_needs="")
        | ~Q(access_needs="")
        | ~Q(badge_token__startswith=VOID_BADGE_PREFIX)
    )
    registrations = list(Registration.objects.filter(workshop=workshop).filter(holding).only("pk"))
    for registration in registrations:
        _blank_personal_fields(registration)
    Registration.objects.bulk_update(registrations, [*PERSONAL_FIELDS, "badge_token", "updated_at"], batch_size=500)
    cleanup.count(gettext_lazy("registrations cleared"), len(registrations))


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="registrations",
            title=gettext_lazy("Your registrations"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("You have not registered for any workshop."),
        )
    )
