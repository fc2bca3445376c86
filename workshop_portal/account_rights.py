"""Who may change whose account: the one rule the admin's forms, views and actions and the services use.

Nobody changes an account that holds rights they do not hold themselves. A superuser manages every
account. Anyone else allowed to change users (an organiser) helps the people who hold no rights,
the delegates: corrects a name or a language, deactivates an account, sends the email-verification
link again or a password-reset email to the person's own address. On their own account they change
their name and language; on another staff member's or a superuser's, nothing.

Three things are a superuser's alone, whoever the account: setting a password, changing an email
address (a password reset then goes to the new address: that is a takeover), and granting or
removing a role (groups, staff status, permissions). People change their own password and address
through allauth's pages, which ask for the current password or a verified address.
"""

from django.utils.translation import gettext as _

CHANGE_USER = "workshop_portal.change_user"

# What a helper who is not a superuser may change on a delegate's account, and on their own.
DELEGATE_FIELDS = frozenset({"first_name", "last_name", "language", "is_active"})
OWN_FIELDS = frozenset({"first_name", "last_name", "language"})
# Everything the user change form offers: a superuser's.
ALL_FIELDS = frozenset(
    {
        "email",
        "password",
        "first_name",
        "last_name",
        "language",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
    }
)


def holds_rights(user) -> bool:
    """More than a delegate: superuser or staff status, a role, or a permission of their own."""
    return user.is_superuser or user.is_staff or user.groups.exists() or user.user_permissions.exists()


def _may_change_users(actor) -> bool:
    # has_perm is False for an inactive account, superuser or not.
    return actor.is_authenticated and actor.has_perm(CHANGE_USER)


def account_refusal(actor, target) -> str:
    """Why `actor` may not manage `target`'s account (sentence fragment, for a message), or "" if they may."""
    if not _may_change_users(actor):
        return _("you may not change people's accounts")
    if actor.is_superuser:
        return ""
    if target.is_superuser:
        return _("only a superuser manages a superuser's account")
    if holds_rights(target):
        return _("only a superuser manages staff accounts")
    return ""


def may_manage_account(actor, target) -> bool:
    return not account_refusal(actor, target)


def editable_account_fields(actor, target) -> frozenset[str]:
    """The fields of `target`'s account that `actor` may change (empty: none, the page is read-only)."""
    if not _may_change_users(actor):
        return frozenset()
    if actor.is_superuser:
        return ALL_FIELDS
    if target.pk == actor.pk:
        return OWN_FIELDS
    if may_manage_account(actor, target):
        return DELEGATE_FIELDS
    return frozenset()


def may_change_account(actor, target) -> bool:
    return bool(editable_account_fields(actor, target))


def may_set_password(actor, target) -> bool:
    """Only a superuser sets a password in the admin (no one else's, not a delegate's, not their own)."""
    return actor.is_authenticated and actor.is_active and actor.is_superuser


def may_manage_roles(actor) -> bool:
    """Granting or removing a role hands out or takes away rights: a superuser's decision."""
    return actor.is_authenticated and actor.is_active and actor.is_superuser


def account_closure_refusal(actor, target) -> str:
    """Why `actor` may not close and anonymise `target`'s account on their erasure request, or ""."""
    if actor.is_superuser or not holds_rights(target):
        return ""
    return _("%(email)s holds staff rights: only a superuser carries out the erasure of a staff account.") % {
        "email": target.email
    }
