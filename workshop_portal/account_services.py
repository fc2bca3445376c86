"""What staff do to people's accounts, each checked against workshop_portal/account_rights.py.

The admin calls these and records each change in the account's history; a refusal is a
ValidationError whose message names the reason, or PermissionDenied where the admin already hides
the way (a forged request).
"""

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from allauth.core import context
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from workshop_portal.account_rights import account_refusal, editable_account_fields, may_manage_roles
from workshop_portal.models import User
from workshop_portal.roles import ROLE_PERMISSIONS, user_grant_role, user_revoke_roles


def _changed_columns(account: User, original: User) -> set[str]:
    return {
        field.name
        for field in User._meta.concrete_fields
        if getattr(account, field.attname) != getattr(original, field.attname)
    }


@transaction.atomic
def account_update(*, actor: User, account: User, changed_fields, request=None) -> None:
    """Save the changes a staff member made to an account, if every one is within their rights.

    `changed_fields` are the form's changed fields (many-to-many ones included, saved by the
    caller afterwards in the same transaction); any other column that differs from the database
    is refused too, so a form that offers too much still cannot save it.
    """
    original = User.objects.select_for_update().get(pk=account.pk)
    forbidden = (set(changed_fields) | _changed_columns(account, original)) - editable_account_fields(actor, original)
    if forbidden:
        raise PermissionDenied(f"{actor.pk} may not change {sorted(forbidden)} of user {account.pk}")
    account.save()
    if account.email != original.email:
        _addresses_follow(account, request)


def _addresses_follow(account: User, request) -> None:
    """Keep allauth's addresses in step with a new User.email: the new one, unverified, replaces the rest.

    The old addresses go, so no password reset reaches them any more; the person confirms the new
    one (the link is sent once the change has committed) before signing in again.
    """
    EmailAddress.objects.filter(user=account).exclude(email__iexact=account.email).delete()
    address = EmailAddress.objects.filter(user=account, email__iexact=account.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=account, email=account.email, primary=True, verified=False)
    elif not address.primary:
        address.primary = True
        address.save(update_fields=["primary"])
    if not address.verified:
        transaction.on_commit(lambda: _send_confirmation(address, account, request))


def _send_confirmation(address: EmailAddress, account: User, request) -> None:
    # allauth reads the request from its own context, which is gone if this runs after the response.
    with context.request_context(request), translation.override(account.email_language):
        address.send_confirmation(request)


def _check_reachable(actor: User, account: User) -> None:
    refusal = account_refusal(actor, account)
    if refusal:
        raise ValidationError(refusal, code="rights")
    if not account.is_active:
        raise ValidationError(_("the account is deactivated or closed"), code="inactive")


def account_send_password_reset(*, actor: User, account: User, request) -> None:
    """Email the person a password-reset link, to their own address (allauth's reset, as if they had asked)."""
    _check_reachable(actor, account)
    form = ResetPasswordForm(data={"email": account.email})
    if not form.is_valid() or [user.pk for user in form.users] != [account.pk]:
        raise ValidationError(_("no password-reset email can be sent to this address"), code="address")
    with translation.override(account.email_language):
        form.save(request)


def account_send_verification(*, actor: User, account: User, request) -> None:
    """Send the link that confirms the person's address again (allauth's confirmation email)."""
    _check_reachable(actor, account)
    address = EmailAddress.objects.filter(user=account, email__iexact=account.email).first()
    if address is None:  # an account made in the admin or by createsuperuser has no row yet
        primary = not EmailAddress.objects.filter(user=account, primary=True).exists()
        address = EmailAddress.objects.create(user=account, email=account.email, primary=primary, verified=False)
    if address.verified:
        raise ValidationError(_("the address is already verified"), code="verified")
    _send_confirmation(address, account, request)


def account_grant_role(*, actor: User, account: User, role: str) -> bool:
    """Give `account` a staff role; True if that changed anything."""
    if not may_manage_roles(actor):
        raise PermissionDenied
    had = account.is_staff and account.groups.filter(name=role).exists()
    user_grant_role(user=account, role=role)
    return not had


def account_revoke_roles(*, actor: User, account: User) -> tuple[list[str], bool]:
    """Take both staff roles away from `account`: (the roles it held, whether it lost staff status)."""
    if not may_manage_roles(actor):
        raise PermissionDenied
    held = sorted(account.groups.filter(name__in=ROLE_PERMISSIONS).values_list("name", flat=True))
    staff_before = account.is_staff
    user_revoke_roles(user=account)
    return held, staff_before and not account.is_staff
