"""Every write about delegations, and the quota rule every approval obeys.

The quota is counted under the workshop's row lock that registrations.services takes for every
change of status (and the delegation's own row lock), so parallel approvals never exceed it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.enums import Action
from audit.services import record as audit_record
from delegations.emails import focal_point_email_send, nomination_email_send
from delegations.enums import ACTIVE_NOMINATIONS, NominationStatus
from delegations.models import INSTITUTION_KINDS, Delegation, FocalPoint, Nomination
from registrations.enums import (
    INSTITUTION_CATEGORIES,
    STATE_CATEGORIES,
    DelegationRole,
    ParticipantCategory,
    RegistrationStatus,
)
from registrations.models import Registration
from registrations.services import registration_cancel, registration_decline, registration_endorse, registration_submit
from workshop_portal.dates import format_datetime_with_zone
from workshop_portal.models import Institution, MemberState, User, Workshop

C = ParticipantCategory

DEFAULT_SEATS = {
    C.CENTRAL_ASIAN_STATE: 3,
    C.OIC_PARTNER_STATE: 2,
    C.OIC_INSTITUTION: 1,
    C.INTERNATIONAL_INSTITUTION: 1,
}
"""Seats each delegation of a category is offered when a workshop is created (DELEGATION_DEFAULT_SEATS overrides)."""


def default_seats() -> dict[str, int]:
    return {**DEFAULT_SEATS, **getattr(settings, "DELEGATION_DEFAULT_SEATS", {})}


def delegations_lay_out_defaults(*, workshop: Workshop) -> int:
    """Give every member state and every OIC or international institution its delegation with the
    default seats; those it already has stay as they are. Returns how many were added."""
    seats = default_seats()
    rows = [
        Delegation(
            workshop=workshop,
            category=C.CENTRAL_ASIAN_STATE if state.is_central_asian else C.OIC_PARTNER_STATE,
            member_state=state,
            seats=seats[C.CENTRAL_ASIAN_STATE if state.is_central_asian else C.OIC_PARTNER_STATE],
        )
        for state in MemberState.objects.all()
    ]
    kinds = {kind: category for category, kind in INSTITUTION_KINDS.items()}
    rows += [
        Delegation(workshop=workshop, category=kinds[i.kind], institution=i, seats=seats[kinds[i.kind]])
        for i in Institution.objects.filter(kind__in=list(kinds))
    ]
    before = Delegation.objects.filter(workshop=workshop).count()
    Delegation.objects.bulk_create(rows, ignore_conflicts=True)
    return Delegation.objects.filter(workshop=workshop).count() - before


def delegation_of(registration: Registration) -> Delegation | None:
    """The delegation a registration speaks for, if its workshop has one for it."""
    lookup = Delegation.objects.filter(workshop_id=registration.workshop_id)
    if registration.category in STATE_CATEGORIES and registration.member_state_id:
        return lookup.filter(member_state_id=registration.member_state_id).first()
    if registration.category in INSTITUTION_CATEGORIES and registration.institution_id:
        return lookup.filter(institution_id=registration.institution_id).first()
    return None


def approved_count(delegation: Delegation, *, exclude: int | None = None) -> int:
    approved = Registration.objects.filter(
        delegation.registrations_filter(), workshop_id=delegation.workshop_id, status=RegistrationStatus.APPROVED
    )
    return approved.exclude(pk=exclude).count() if exclude else approved.count()


def quota_refusal(delegation: Delegation, approved: int) -> str:
    seats = ngettext("%(seats)d seat", "%(seats)d seats", delegation.seats) % {"seats": delegation.seats}
    return _("The quota of %(delegation)s is used up: %(approved)d approved of %(seats)s.") % {
        "delegation": delegation.name,
        "approved": approved,
        "seats": seats,
    }


def quota_seat_rule(registration: Registration) -> str | None:
    """registrations' seat rule: may this registration take a seat of its delegation? Called under
    the workshop's row lock; the delegation's row is locked too (a change of its seats waits)."""
    delegation = delegation_of(registration)
    if delegation is None:
        return None
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("member_state", "institution")
        .get(pk=delegation.pk)
    )
    approved = approved_count(delegation, exclude=registration.pk)
    if approved >= delegation.seats:
        return quota_refusal(delegation, approved)
    return None


@transaction.atomic
def delegation_save(*, delegation: Delegation) -> Delegation:
    """Create or change a delegation; its seats never fall below the delegates already approved."""
    if delegation.pk:
        Workshop.objects.select_for_update().filter(pk=delegation.workshop_id).first()
        Delegation.objects.select_for_update(of=("self",)).filter(pk=delegation.pk).first()
    delegation.full_clean()
    delegation_check_seats(delegation=delegation, seats=delegation.seats)
    delegation.save()
    return delegation


def delegation_check_seats(*, delegation: Delegation, seats: int) -> None:
    """A delegation's seats never fall below its delegates already approved."""
    if not delegation.pk:
        return
    approved = approved_count(delegation)
    if seats < approved:
        raise ValidationError(
            {
                "seats": ngettext(
                    "%(count)d delegate is already approved: offer at least as many seats.",
                    "%(count)d delegates are already approved: offer at least as many seats.",
                    approved,
                )
                % {"count": approved}
            },
            code="below_approved",
        )


# Focal points


def _normalised_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}, code="invalid") from None
    return email


def focal_point_check_new(*, delegation: Delegation, email: str) -> str:
    """A valid address, not yet a focal point of the delegation; returns it normalised."""
    email = _normalised_email(email)
    if delegation.focal_points.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a focal point of %(delegation)s.")
                % {"email": email, "delegation": delegation.name}
            },
            code="exists",
        )
    return email


@transaction.atomic
def focal_point_designate(
    *, delegation: Delegation, email: str, by: User | None, name: str = "", language: str = "", notify: bool = True
) -> FocalPoint:
    """Make the person with this address a focal point of the delegation: at once when they have
    an account, else by an invitation they accept after signing up or in. They are told by email."""
    Delegation.objects.select_for_update(of=("self",)).filter(pk=delegation.pk).first()
    email = focal_point_check_new(delegation=delegation, email=email)
    user = User.objects.filter(email__iexact=email).first()
    focal_point = FocalPoint(
        delegation=delegation,
        email=email,
        name=name.strip(),
        language=language or (user.email_language if user else settings.LANGUAGE_CODE),
        user=user,
        designated_by=by,
        accepted_at=timezone.now() if user else None,
    )
    focal_point.full_clean(validate_constraints=False)
    focal_point.save()
    audit_record(
        action=Action.FOCAL_POINT_DESIGNATE,
        obj=focal_point,
        actor=by,
        workshop_id=delegation.workshop_id,
        changes={"focal_point": [None, email]},
    )
    if notify:  # queued in the outbox in this transaction: designation and email commit together
        focal_point_email_send(focal_point=focal_point)
    return focal_point


@transaction.atomic
def focal_point_accept(*, token: str, user: User) -> FocalPoint:
    """The invited person, signed in, takes up their invitation: their account becomes the focal point."""
    focal_point = FocalPoint.objects.select_for_update(of=("self",)).filter(token=token).first()
    if focal_point is None:
        raise ValidationError(_("This invitation is not valid."), code="invalid")
    if focal_point.user_id == user.pk:
        return focal_point
    if focal_point.user_id is not None:
        raise ValidationError(_("This invitation has already been accepted with another account."), code="taken")
    focal_point.user = user
    focal_point.accepted_at = timezone.now()
    focal_point.save(update_fields=["user", "accepted_at"])
    return focal_point


def focal_point_check(*, delegation: Delegation, user: User) -> None:
    """A focal point acts only for their own delegation."""
    if not FocalPoint.objects.filter(delegation=delegation, user=user).exists():
        raise ValidationError(
            _("You are not a focal point of %(delegation)s.") % {"delegation": delegation.name}, code="not_focal_point"
        )


# Endorsement


def needs_endorsement(registration: Registration) -> bool:
    """registrations' endorsement rule: a self-registration for a delegation that has a focal
    point (one who took up their designation) waits for that focal point."""
    delegation = delegation_of(registration)
    return delegation is not None and delegation.focal_points.filter(user__isnull=False).exists()


def registration_endorse_by(*, registration: Registration, by: User, endorse: bool) -> Registration:
    """A focal point endorses (to the organisers) or refuses (declined) a self-registration of
    their own delegation."""
    delegation = delegation_of(registration)
    if delegation is None:
        raise ValidationError(_("This registration belongs to no delegation."), code="no_delegation")
    focal_point_check(delegation=delegation, user=by)
    if registration.status != RegistrationStatus.PENDING:
        raise ValidationError(
            _("This registration is %(status)s: only one awaiting endorsement can be endorsed.")
            % {"status": registration.get_status_display().lower()},
            code="transition",
        )
    if endorse:
        return registration_endorse(registration=registration, by=by)
    return registration_decline(registration=registration, by=by)


# Nominations


def nominee_locked_fields(registration: Registration) -> tuple[str, ...]:
    """registrations' locked-fields rule: a nominee keeps the delegation, category and role their
    focal point gave them."""
    if not registration.pk:
        return ()
    found = list(
        Nomination.objects.filter(registration_id=registration.pk, status__in=list(ACTIVE_NOMINATIONS)).values_list(
            "delegation__institution_id", flat=True
        )[:1]
    )
    if not found:
        return ()
    locked = ("category", "member_state", "delegation_role")
    return (*locked, "institution") if found[0] else locked


def seats_taken(delegation: Delegation) -> int:
    """Active nominations, plus approved delegates who came without one (self-registrations)."""
    nominated = Nomination.objects.filter(delegation=delegation, status__in=list(ACTIVE_NOMINATIONS)).count()
    approved_alone = (
        Registration.objects.filter(
            delegation.registrations_filter(), workshop_id=delegation.workshop_id, status=RegistrationStatus.APPROVED
        )
        .filter(nomination__isnull=True)
        .count()
    )
    return nominated + approved_alone


def _check_nominee(*, delegation: Delegation, email: str, by: User) -> str:
    """The rules a new nominee meets, whoever they replace; returns the address normalised."""
    focal_point_check(delegation=delegation, user=by)
    if timezone.now() >= delegation.deadline:
        raise ValidationError(
            _("The nomination deadline of %(delegation)s has passed (%(deadline)s).")
            % {
                "delegation": delegation.name,
                "deadline": format_datetime_with_zone(delegation.deadline, delegation.workshop.time_zone),
            },
            code="deadline",
        )
    email = _normalised_email(email)
    workshop_id = delegation.workshop_id
    if Nomination.objects.filter(
        workshop_id=workshop_id, email__iexact=email, status__in=list(ACTIVE_NOMINATIONS)
    ).exists():
        raise ValidationError(
            {"email": _("%(email)s is already nominated for this workshop.") % {"email": email}}, code="nominated"
        )
    registered = Registration.objects.filter(workshop_id=workshop_id).exclude(status=RegistrationStatus.CANCELLED)
    if registered.filter(Q(user__email__iexact=email) | Q(email__iexact=email)).exists():
        raise ValidationError(
            {"email": _("%(email)s is already registered for this workshop.") % {"email": email}}, code="registered"
        )
    return email


def _lock(delegation: Delegation) -> Delegation:
    Workshop.objects.select_for_update().filter(pk=delegation.workshop_id).first()
    return (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("workshop", "member_state", "institution")
        .get(pk=delegation.pk)
    )


def _new_nomination(
    *, delegation: Delegation, email: str, name: str, role: str, language: str, by: User, notify: bool = True
) -> Nomination:
    account = User.objects.filter(email__iexact=email).first()
    nomination = Nomination(
        workshop_id=delegation.workshop_id,
        delegation=delegation,
        name=name.strip(),
        email=email,
        role=role,
        language=(account.language if account and account.language else language) or settings.LANGUAGE_CODE,
        nominated_by=by,
    )
    nomination.full_clean(validate_constraints=False)
    nomination.save()
    if notify:  # queued in the outbox in this transaction: nomination and email commit together
        nomination_email_send(nomination=nomination)
    return nomination


@transaction.atomic
def nomination_create(
    *,
    delegation: Delegation,
    name: str,
    email: str,
    role: str = DelegationRole.MEMBER,
    language: str = "",
    by: User,
    notify: bool = True,
) -> Nomination:
    """A focal point nominates a delegate, within the quota and before the deadline; the nominee
    gets an invitation to register in their language."""
    delegation = _lock(delegation)
    email = _check_nominee(delegation=delegation, email=email, by=by)
    taken = seats_taken(delegation)
    if taken >= delegation.seats:
        raise ValidationError(
            ngettext(
                "All %(seats)d seat of %(delegation)s is taken: replace a nominee instead.",
                "All %(seats)d seats of %(delegation)s are taken: replace a nominee instead.",
                delegation.seats,
            )
            % {"seats": delegation.seats, "delegation": delegation.name},
            code="quota",
        )
    return _new_nomination(
        delegation=delegation,
        email=email,
        name=name,
        role=role,
        language=language or by.email_language,
        by=by,
        notify=notify,
    )


@transaction.atomic
def nomination_replace(
    *, nomination: Nomination, name: str, email: str, role: str = DelegationRole.MEMBER, language: str = "", by: User
) -> Nomination:
    """Until the deadline, a focal point puts another person in a nominee's place; the replaced
    nominee's registration, if any, is cancelled (its seat goes to the new nominee)."""
    delegation = _lock(nomination.delegation)
    current = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
    focal_point_check(delegation=delegation, user=by)
    if not current.is_active:
        raise ValidationError(_("%(name)s has already been replaced.") % {"name": current.name}, code="replaced")
    email = _check_nominee(delegation=delegation, email=email, by=by)
    current.status = NominationStatus.REPLACED
    current.save(update_fields=["status"])
    if current.registration_id and current.registration.status != RegistrationStatus.CANCELLED:
        registration_cancel(registration=current.registration, by=by)
    new = _new_nomination(
        delegation=delegation, email=email, name=name, role=role, language=language or by.email_language, by=by
    )
    current.replaced_by = new
    current.save(update_fields=["replaced_by"])
    return new


def nomination_for_token(token: str) -> Nomination | None:
    return (
        Nomination.objects.select_related("delegation__workshop", "delegation__member_state", "delegation__institution")
        .filter(token=token)
        .first()
    )


def nomination_check_open(*, nomination: Nomination, user: User) -> None:
    """The nominee may register through the invitation: it is still theirs and not used."""
    if nomination.status == NominationStatus.REPLACED:
        raise ValidationError(
            _("This nomination has been withdrawn: another delegate was nominated in your place."), code="replaced"
        )
    if nomination.registration_id:
        raise ValidationError(_("This nomination has already been used to register."), code="used")


def nomination_prefill(nomination: Nomination, registration: Registration) -> Registration:
    """What the nominee cannot change: the delegation's category, state or institution, their role."""
    delegation = nomination.delegation
    registration.workshop = delegation.workshop
    registration.category = delegation.category
    registration.member_state = delegation.member_state
    if delegation.institution_id:
        registration.institution = delegation.institution
    elif registration.institution_id and registration.institution.member_state_id != delegation.member_state_id:
        registration.institution = None
    registration.delegation_role = nomination.role
    return registration


@transaction.atomic
def nomination_register(*, nomination: Nomination, registration: Registration, by: User) -> Registration:
    """The nominee, signed in, submits their registration: endorsed already (a focal point named
    them), with the delegation's state and category whatever the form said."""
    current = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
    nomination_check_open(nomination=current, user=by)
    registration = nomination_prefill(current, registration)
    registration.user = by
    registration = registration_submit(registration=registration, by=by, endorsed=True)
    current.user = by
    current.registration = registration
    current.status = NominationStatus.REGISTERED
    current.save(update_fields=["user", "registration", "status"])
    return registration
