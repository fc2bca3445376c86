"""Every change to a registration's status happens here, under a row lock on its workshop.

The lock serialises decisions per workshop, so capacity holds when organisers approve at the same
time; emails leave only after the transaction commits (`notify=False` keeps them back, for imports
and the demo seed).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import Action
from audit.services import field_changes, snapshot
from audit.services import record as audit_record
from registrations.emails import registration_email_send
from registrations.enums import RegistrationNotice, RegistrationStatus
from registrations.models import Registration
from registrations.signals import registration_left
from workshop_portal.models import User, Workshop

S = RegistrationStatus

SeatRule = Callable[[Registration], str | None]
"""A rule above capacity for one registration's seat (an app above this one: delegations' quotas),
asked under the workshop's row lock: None when it may take a seat, else the reason it may not."""
_seat_rules: list[SeatRule] = []


def add_seat_rule(rule: SeatRule) -> None:
    """Hook: an app above this one adds a rule (from its AppConfig.ready) every approval obeys."""
    if rule not in _seat_rules:
        _seat_rules.append(rule)


EndorsementRule = Callable[[Registration], bool]
"""Asked of a new registration (an app above this one: a delegation with a focal point): True
when someone must endorse it first; it then waits as PENDING, unseen by the organisers."""
_endorsement_rules: list[EndorsementRule] = []


def add_endorsement_rule(rule: EndorsementRule) -> None:
    """Hook: an app above this one says which new registrations wait for an endorsement."""
    if rule not in _endorsement_rules:
        _endorsement_rules.append(rule)


LockedFieldsRule = Callable[[Registration], tuple[str, ...]]
"""Which fields of a registration its delegate may not change (an app above this one: a
nominee's delegation, category and role, set by their focal point)."""
_locked_fields_rules: list[LockedFieldsRule] = []


def add_locked_fields_rule(rule: LockedFieldsRule) -> None:
    """Hook: an app above this one locks fields of some registrations against their delegate."""
    if rule not in _locked_fields_rules:
        _locked_fields_rules.append(rule)


def registration_locked_fields(registration: Registration) -> set[str]:
    return {name for rule in _locked_fields_rules for name in rule(registration)}


def _seat_refusal(registration: Registration) -> str | None:
    for rule in _seat_rules:
        reason = rule(registration)
        if reason:
            return reason
    return None


class RegistrationExistsError(ValidationError):
    """The person already has a registration for this workshop (a second form, or a double click)."""

    def __init__(self, registration: Registration):
        super().__init__(_("You have already registered for this workshop."), code="exists")
        self.registration = registration


def _lock_workshop(workshop_id: int) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop_id)


def _lock_registration(registration: Registration) -> Registration:
    """Re-read the row under lock: the status on screen may be stale (a double click, two organisers)."""
    return Registration.objects.select_for_update().select_related("workshop").get(pk=registration.pk)


def _notify(registration: Registration, notice: RegistrationNotice, *, notify: bool = True) -> None:
    if not notify:
        return
    # Queued in the outbox inside the decision's own transaction: the decision and its notice
    # commit together, and a broker outage only delays the email (the outbox's watchdog sends it).
    registration_email_send(registration=registration, notice=notice)


# The decision each new status records in the audit trail.
_DECISIONS = {
    S.SUBMITTED: Action.ENDORSE,
    S.APPROVED: Action.APPROVE,
    S.WAITLISTED: Action.WAITLIST,
    S.DECLINED: Action.DECLINE,
    S.CANCELLED: Action.CANCEL,
}


def _set_status(
    registration: Registration, status: RegistrationStatus, *, by: User | None, action: str | None = None
) -> None:
    now = timezone.now()
    audit_record(
        action=action or _DECISIONS.get(status, Action.CHANGE),
        obj=registration,
        actor=by,
        changes={"status": [registration.status, str(status)]},
    )
    registration.status = status
    registration.status_changed_at = now
    registration.status_changed_by = by
    fields = ["status", "status_changed_at", "status_changed_by", "updated_at"]
    if status == S.WAITLISTED:
        registration.waitlisted_at = now
        fields.append("waitlisted_at")
    registration.save(update_fields=fields)


def _approved_count(workshop: Workshop) -> int:
    return Registration.objects.filter(workshop=workshop, status=S.APPROVED).count()


def _fill_free_seats(workshop: Workshop, *, by: User | None, notify: bool = True) -> list[Registration]:
    """Promote waitlisted delegates, first come first served, while seats are free; one whom a seat
    rule refuses (their delegation's quota is used up) keeps their place on the list."""
    free = workshop.capacity - _approved_count(workshop)
    if free <= 0:
        return []
    waiting = Registration.objects.filter(workshop=workshop).waitlisted_in_order().select_for_update()
    if not _seat_rules:
        waiting = waiting[:free]
    promoted = []
    for registration in waiting:
        if len(promoted) >= free:
            break
        if _seat_refusal(registration):
            continue
        _set_status(registration, S.APPROVED, by=by, action=Action.PROMOTE)
        _notify(registration, RegistrationNotice.PROMOTED, notify=notify)
        promoted.append(registration)
    return promoted


def _give_up_seat(
    current: Registration,
    workshop: Workshop,
    status: RegistrationStatus,
    notice: RegistrationNotice,
    *,
    by: User | None,
    notify: bool,
) -> Registration:
    """Move a registration out of the running; a seat it held goes to the waiting list."""
    was_approved = current.status == S.APPROVED
    _set_status(current, status, by=by)
    _notify(current, notice, notify=notify)
    registration_left.send(sender=Registration, registration=current, status=status, by=by)
    if was_approved:
        _fill_free_seats(workshop, by=by, notify=notify)
    return current


def registration_submit(
    *, registration: Registration, by: User, notify: bool = True, endorsed: bool = False
) -> Registration:
    """Save a new registration: one per person per workshop, only while registration is open.

    Organisers registering someone on their behalf may do so outside the window. One that an
    endorsement rule holds back (and that is not `endorsed` already: a nominee's) waits as PENDING.
    """
    workshop = registration.workshop
    if registration.user_id == by.pk and not workshop.is_registration_open():
        if timezone.now() < workshop.registration_opens_at:
            raise ValidationError(_("Registration for this workshop has not opened yet."), code="closed")
        raise ValidationError(_("Registration for this workshop is closed."), code="closed")
    existing = Registration.objects.filter(workshop=workshop, user_id=registration.user_id).first()
    if existing is not None:
        raise RegistrationExistsError(existing)
    pending = not endorsed and registration.user_id == by.pk and any(rule(registration) for rule in _endorsement_rules)
    registration.status = S.PENDING if pending else S.SUBMITTED
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
            _notify(registration, RegistrationNotice.PENDING if pending else RegistrationNotice.RECEIVED, notify=notify)
    except IntegrityError:
        # Two submissions raced (a double click): the first one won, this one changes nothing.
        existing = Registration.objects.filter(workshop=workshop, user_id=registration.user_id).first()
        if existing is None:
            raise
        raise RegistrationExistsError(existing) from None
    return registration


@transaction.atomic
def registration_update(*, registration: Registration, by: User) -> Registration:
    """Save edited details. Delegates edit only while their registration is still submitted."""
    current = _lock_registration(registration)
    if registration.user_id == by.pk and not current.is_editable_by_delegate:
        raise ValidationError(
            _("This registration is %(status)s and can no longer be edited; contact the secretariat.")
            % {"status": current.get_status_display().lower()},
            code="locked",
        )
    if registration.user_id == by.pk:
        for name in sorted(registration_locked_fields(current)):
            field = Registration._meta.get_field(name)
            if field.value_from_object(registration) != field.value_from_object(current):
                raise ValidationError(
                    {name: _("Your focal point set this for your delegation: it cannot be changed.")}, code="locked"
                )
    registration.status = current.status
    registration.full_clean(validate_constraints=False)
    if registration.user_id != by.pk:
        # Someone else's data changed (the staff, a focal point): what changed goes in the trail.
        changes = field_changes(snapshot(current), snapshot(registration))
        if changes:
            audit_record(action=Action.CHANGE, obj=registration, actor=by, changes=changes)
    registration.save()
    return registration


@transaction.atomic
def registration_approve(*, registration: Registration, by: User, notify: bool = True) -> Registration:
    """Approve, or waitlist when the workshop is full. The only way a registration is approved.

    A seat rule's refusal (the delegation's quota is used up) changes nothing and says why."""
    workshop = _lock_workshop(registration.workshop_id)
    current = _lock_registration(registration)
    if current.status == S.APPROVED:
        return current
    if current.status == S.CANCELLED:
        raise ValidationError(_("A cancelled registration cannot be approved."), code="transition")
    if current.status == S.PENDING:
        raise ValidationError(_("This registration awaits its focal point's endorsement."), code="pending")
    refusal = _seat_refusal(current)
    if refusal:
        raise ValidationError(refusal, code="quota")
    if _approved_count(workshop) >= workshop.capacity:
        if current.status != S.WAITLISTED:
            _set_status(current, S.WAITLISTED, by=by)
            _notify(current, RegistrationNotice.WAITLISTED, notify=notify)
        return current
    _set_status(current, S.APPROVED, by=by)
    _notify(current, RegistrationNotice.APPROVED, notify=notify)
    return current


@transaction.atomic
def registration_endorse(*, registration: Registration, by: User, notify: bool = True) -> Registration:
    """A registration that waited for an endorsement goes to the organisers (who may endorse is the
    caller's rule: delegations' focal points)."""
    current = _lock_registration(registration)
    if current.status != S.PENDING:
        raise ValidationError(
            _("This registration is %(status)s: only one awaiting endorsement can be endorsed.")
            % {"status": current.get_status_display().lower()},
            code="transition",
        )
    _set_status(current, S.SUBMITTED, by=by)
    _notify(current, RegistrationNotice.RECEIVED, notify=notify)
    return current


@transaction.atomic
def registration_waitlist(*, registration: Registration, by: User, notify: bool = True) -> Registration:
    """Put a submitted or declined registration on the waiting list."""
    _lock_workshop(registration.workshop_id)
    current = _lock_registration(registration)
    if current.status == S.WAITLISTED:
        return current
    if current.status not in (S.SUBMITTED, S.DECLINED):
        raise ValidationError(
            _("Only a submitted or declined registration can be put on the waiting list."), code="transition"
        )
    _set_status(current, S.WAITLISTED, by=by)
    _notify(current, RegistrationNotice.WAITLISTED, notify=notify)
    return current


@transaction.atomic
def registration_decline(*, registration: Registration, by: User, notify: bool = True) -> Registration:
    """Decline; a seat freed by declining an approved delegate goes to the waiting list."""
    workshop = _lock_workshop(registration.workshop_id)
    current = _lock_registration(registration)
    if current.status == S.DECLINED:
        return current
    if current.status == S.CANCELLED:
        raise ValidationError(_("A cancelled registration cannot be declined."), code="transition")
    return _give_up_seat(current, workshop, S.DECLINED, RegistrationNotice.DECLINED, by=by, notify=notify)


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User, notify: bool = True) -> Registration:
    """The delegate withdraws; their seat, if they had one, goes to the first on the waiting list."""
    workshop = _lock_workshop(registration.workshop_id)
    current = _lock_registration(registration)
    if current.status == S.CANCELLED:
        return current
    if not current.is_cancellable_by_delegate:
        raise ValidationError(
            _("This registration is %(status)s and cannot be cancelled.")
            % {"status": current.get_status_display().lower()},
            code="transition",
        )
    return _give_up_seat(current, workshop, S.CANCELLED, RegistrationNotice.CANCELLED, by=by, notify=notify)


@transaction.atomic
def registration_check_in(*, registration: Registration, by: User) -> tuple[Registration, bool]:
    """Mark an approved delegate as arrived. Returns the registration and whether it was already marked."""
    current = _lock_registration(registration)
    if current.status != S.APPROVED:
        raise ValidationError(
            _("This registration is %(status)s: only approved delegates can be checked in.")
            % {"status": current.get_status_display().lower()},
            code="not_approved",
        )
    if current.checked_in_at is not None:
        return current, True
    current.checked_in_at = timezone.now()
    current.save(update_fields=["checked_in_at", "updated_at"])
    return current, False


@transaction.atomic
def workshop_fill_free_seats(*, workshop: Workshop, by: User | None = None) -> list[Registration]:
    """After the capacity grows, promote from the waiting list into the new seats."""
    return _fill_free_seats(_lock_workshop(workshop.pk), by=by)
