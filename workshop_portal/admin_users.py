"""The admin of people's accounts, bounded by workshop_portal/account_rights.py.

The page shows only the fields, buttons and actions the signed-in person may use, and every
request is checked again on the server: the form holds only the fields they may change, the
service refuses any other change, and each action checks each account. Every change is
recorded in the account's history (who, what, when).
"""

from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from workshop_portal.account_rights import (
    editable_account_fields,
    may_change_account,
    may_manage_roles,
    may_set_password,
)
from workshop_portal.account_services import (
    account_grant_role,
    account_revoke_roles,
    account_send_password_reset,
    account_send_verification,
    account_update,
)
from workshop_portal.admin_actions import BulkOutcome, refusal_messages, report
from workshop_portal.models import User
from workshop_portal.roles import ORGANISERS, ROLE_LABELS, SECRETARIAT


def _skipped(count: int) -> str:
    return ngettext(
        "%(count)d person skipped: %(reason)s (%(names)s).",
        "%(count)d people skipped: %(reason)s (%(names)s).",
        count,
    )


class AccountChangeForm(UserChangeForm):
    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        # allauth's own table must not hold the address for someone else (a reset would go there).
        if EmailAddress.objects.filter(email__iexact=email).exclude(user=self.instance).exists():
            raise ValidationError(_("This address belongs to another account."), code="taken")
        return email


PERMISSIONS_FIELDS = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]
# Not a superuser: no password field (its button leads to a page only superusers may use).
HELPER_FIELDSETS = [
    (
        None,
        {
            "fields": ["email"],
            "description": gettext_lazy(
                "Only a superuser changes an email address, a password or a role. People change their own "
                "address and password from their account pages; you can send them a password-reset email "
                "or the verification link again from the list of users."
            ),
        },
    ),
    (gettext_lazy("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
    (gettext_lazy("Permissions"), {"fields": PERMISSIONS_FIELDS}),
    (gettext_lazy("Important dates"), {"fields": ["last_login", "date_joined"]}),
]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "language"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (gettext_lazy("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
        (gettext_lazy("Permissions"), {"fields": PERMISSIONS_FIELDS}),
        (gettext_lazy("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["send_password_reset", "send_verification", "make_organiser", "make_secretariat", "revoke_roles"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    # --- What the page shows and accepts --------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        # Without the right to change this account the page opens read-only, and a POST is refused.
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change_account(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Deleting an account (or a selection of them) is a superuser's, whoever holds "delete user".
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_manage_roles_permission(self, request):
        return may_manage_roles(request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return HELPER_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return super().get_readonly_fields(request, obj)
        editable = editable_account_fields(request.user, obj)
        shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        return [name for name in shown if name not in editable and name != "password"]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        email_changed = "email" in form.changed_data
        account_update(actor=request.user, account=obj, changed_fields=form.changed_data, request=request)
        if email_changed:
            self.message_user(
                request,
                _("%(email)s must confirm the new address before signing in: a confirmation link was sent to it.")
                % {"email": obj.email},
                messages.WARNING,
            )

    def user_change_password(self, request, id, form_url=""):
        # Django lets anyone who may change the account set its password: here only a superuser does.
        if not may_set_password(request.user, self.get_object(request, unquote(id))):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    # --- Actions, one account at a time ---------------------------------------------------------

    def _for_each(self, request, queryset, service, *, log, done) -> None:
        """Run `service(account)` on each selected account, log each change, and report the skipped ones."""
        outcome = BulkOutcome()
        for account in queryset:
            try:
                service(account)
            except ValidationError as error:
                outcome.refused[" ".join(error.messages)].append(account.email)
                continue
            self.log_change(request, account, log(account))
            outcome.changed.append(account)
        count = len(outcome.changed)
        lines = [(messages.SUCCESS if count else messages.INFO, done(count) % {"count": count})]
        report(self, request, [*lines, *refusal_messages(outcome, _skipped)])

    @admin.action(
        description=gettext_lazy("Send a password-reset email to the selected people"), permissions=["change"]
    )
    def send_password_reset(self, request, queryset):
        self._for_each(
            request,
            queryset,
            lambda account: account_send_password_reset(actor=request.user, account=account, request=request),
            log=lambda account: _("Sent a password-reset email to %(email)s.") % {"email": account.email},
            done=lambda count: ngettext(
                "Sent a password-reset email to %(count)d person.",
                "Sent a password-reset email to %(count)d people.",
                count,
            ),
        )

    @admin.action(description=gettext_lazy("Send the email verification link again"), permissions=["change"])
    def send_verification(self, request, queryset):
        self._for_each(
            request,
            queryset,
            lambda account: account_send_verification(actor=request.user, account=account, request=request),
            log=lambda account: _("Sent the email verification link to %(email)s.") % {"email": account.email},
            done=lambda count: ngettext(
                "Sent the verification link to %(count)d person.",
                "Sent the verification link to %(count)d people.",
                count,
            ),
        )

    def _grant(self, request, queryset, role):
        for account in queryset:
            if account_grant_role(actor=request.user, account=account, role=role):
                self.log_change(request, account, _("Gave the role %(role)s.") % {"role": ROLE_LABELS[role]})
        self.message_user(
            request,
            _("%(count)d people now have the role %(role)s.") % {"count": len(queryset), "role": ROLE_LABELS[role]},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Give the selected people the organiser role"), permissions=["manage_roles"])
    def make_organiser(self, request, queryset):
        self._grant(request, queryset, ORGANISERS)

    @admin.action(
        description=gettext_lazy("Give the selected people the secretariat role"), permissions=["manage_roles"]
    )
    def make_secretariat(self, request, queryset):
        self._grant(request, queryset, SECRETARIAT)

    @admin.action(
        description=gettext_lazy("Take the organiser and secretariat roles away"), permissions=["manage_roles"]
    )
    def revoke_roles(self, request, queryset):
        changed = 0
        for account in queryset:
            held, lost_staff = account_revoke_roles(actor=request.user, account=account)
            taken = []
            if held:
                roles = ", ".join(str(ROLE_LABELS[name]) for name in held)
                taken.append(_("Took away the roles: %(roles)s.") % {"roles": roles})
            if lost_staff:
                taken.append(_("Took away staff status (entry to the admin)."))
            if taken:
                self.log_change(request, account, " ".join(taken))
                changed += 1
        self.message_user(
            request,
            ngettext("Roles taken away from %(count)d person.", "Roles taken away from %(count)d people.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )
