"""A person's request to be erased, and the organisers' decision: carry it out, or refuse it.

Carrying it out calls every registered source (workshop_portal.personal_data) in one transaction;
files are deleted only once it has committed, so a refusal or a failure leaves nothing half-done.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.notices import erasure_request_notify
from workshop_portal import personal_data
from workshop_portal.account_rights import account_closure_refusal
from workshop_portal.dates import format_day
from workshop_portal.enums import ErasureStatus
from workshop_portal.models import ErasureRequest, User
from workshop_portal.personal_data import Cleanup
from workshop_portal.privacy import erased_email

REASON_MAX_LENGTH = 2000


def erasure_request_latest(*, user: User) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user=user).order_by("-created_at", "-pk").first()


def erasure_request_create(*, user: User, reason: str = "") -> ErasureRequest:
    """A person asks for their data to be erased. The organisers are told by email (the outbox)."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to %(count)d characters or fewer.") % {"count": REASON_MAX_LENGTH}}
        )
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time per person
        existing = ErasureRequest.objects.filter(user=user, status=ErasureStatus.REQUESTED).first()
        if existing is not None:
            raise ValidationError(_already_requested(existing), code="exists")
        try:
            with transaction.atomic():
                request = ErasureRequest.objects.create(user=user, email=user.email, reason=reason)
        except IntegrityError:
            # A double click raced past the check; the constraint kept one request.
            existing = ErasureRequest.objects.get(user=user, status=ErasureStatus.REQUESTED)
            raise ValidationError(_already_requested(existing), code="exists") from None
        # The organisers' emails are queued in the outbox in the request's own transaction.
        erasure_request_notify(request_id=request.pk)
    return request


def _already_requested(existing: ErasureRequest) -> str:
    return _("You asked for your data to be erased on %(date)s; the secretariat is handling it.") % {
        "date": format_day(existing.created_at)
    }


def _lock_open_request(request: ErasureRequest) -> ErasureRequest:
    current = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != ErasureStatus.REQUESTED:
        raise ValidationError(
            _("This request is already %(status)s.") % {"status": current.get_status_display().lower()},
            code="decided",
        )
    return current


def _erase_account(user: User, *, by: User, cleanup: Cleanup) -> None:
    """Every source's part of the person, the account last; refused for oneself, a superuser, or beyond rights."""
    if user.pk == by.pk:
        raise ValidationError(_("Another organiser must carry out the erasure of your own data."))
    if user.is_superuser:
        raise ValidationError(
            _("%(email)s is a superuser: take that status away first, then carry out the erasure.")
            % {"email": user.email}
        )
    refusal = account_closure_refusal(by, user)
    if refusal:
        raise ValidationError(refusal, code="rights")
    for source in reversed(personal_data.sources()):
        source.erase(user, cleanup)
    # The person's other requests hold their old address and words too.
    ErasureRequest.objects.filter(user=user).update(email=user.email, reason="")


def erasure_carry_out(*, request: ErasureRequest, by: User) -> Cleanup:
    """Erase the person's account and personal data, as every app's source says; close the request."""
    if not by.has_perm("workshop_portal.change_erasurerequest"):
        raise PermissionDenied
    with transaction.atomic():
        current = _lock_open_request(request)
        cleanup = Cleanup(by=by)
        user = User.objects.select_for_update().filter(pk=current.user_id).first() if current.user_id else None
        if user is not None:
            _erase_account(user, by=by, cleanup=cleanup)
        current.refresh_from_db(fields=["email", "reason"])
        current.status = ErasureStatus.CARRIED_OUT
        current.decided_at = cleanup.now
        current.decided_by = by
        current.reason = ""
        if user is None:
            current.email = erased_email(current.pk)
            current.note = current.note or _("The account no longer existed.")
        current.save()
        cleanup.schedule_file_deletion()
    request.refresh_from_db()
    return cleanup


def erasure_refuse(*, request: ErasureRequest, by: User, note: str = "") -> ErasureRequest:
    if not by.has_perm("workshop_portal.change_erasurerequest"):
        raise PermissionDenied
    with transaction.atomic():
        current = _lock_open_request(request)
        current.status = ErasureStatus.REFUSED
        current.decided_at = timezone.now()
        current.decided_by = by
        if note:
            current.note = note
        current.save()
    request.refresh_from_db()
    return current
