"""The organisers' side of privacy: erasure requests, and the Workshop admin's purge action.

The ErasureRequest model keeps its workshop_portal app label (its admin URLs and permissions are
named after it); its admin lives here, with the services it calls.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from privacy.erasure import erasure_carry_out, erasure_refuse
from privacy.purge import workshop_purge_personal_data
from workshop_portal.admin import WorkshopAdmin
from workshop_portal.admin_actions import apply_to_each, counted, refusal_messages, report
from workshop_portal.enums import ErasureStatus
from workshop_portal.models import ErasureRequest, User, Workshop


def _already_decided(count: int) -> str:
    return ngettext(
        "%(count)d request was already decided and was left as it was.",
        "%(count)d requests were already decided and were left as they were.",
        count,
    )


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """Requests from people to erase their data: carry them out or refuse them (with a note)."""

    list_display = ["created_at", "email", "status", "decided_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["decided_by"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "email", "reason", "status", "created_at", "decided_at", "decided_by"]
    fields = ["email", "user", "reason", "status", "created_at", "decided_at", "decided_by", "note"]
    actions = ["carry_out", "refuse"]

    def has_add_permission(self, request):
        return False  # people ask from their "Your data" page

    def _decide(self, request, queryset, decide, done):
        """`decide` each open request; say how many were done, why others were refused, and skip the decided."""
        outcome = apply_to_each(
            queryset.filter(status=ErasureStatus.REQUESTED),
            decide,
            status_of=lambda erasure_request: erasure_request.status,
            name_of=lambda erasure_request: erasure_request.email,
        )
        # A refusal names the request by its address and says why, as the service put it.
        lines = [
            *refusal_messages(outcome, lambda n: "%(names)s: %(reason)s"),
            counted(messages.SUCCESS, outcome.changed, done),
            counted(messages.WARNING, queryset.exclude(status=ErasureStatus.REQUESTED).count(), _already_decided),
        ]
        report(self, request, lines)

    @admin.action(description=_("Carry out the erasure"), permissions=["change"])
    def carry_out(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda erasure_request: self._carry_out(request, erasure_request),
            lambda n: ngettext(
                "Carried out %(count)d erasure request: the account is closed and its personal data anonymised.",
                "Carried out %(count)d erasure requests: the accounts are closed and their personal data anonymised.",
                n,
            ),
        )

    def _carry_out(self, request, erasure_request) -> ErasureRequest:
        erasure_carry_out(request=erasure_request, by=request.user)
        account = User.objects.filter(pk=erasure_request.user_id).first()  # as anonymised
        if account is not None:
            self.log_change(
                request, account, gettext("Closed and anonymised the account: erasure request carried out.")
            )
        return erasure_request

    @admin.action(description=_("Refuse"), permissions=["change"])
    def refuse(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda erasure_request: erasure_refuse(request=erasure_request, by=request.user),
            lambda n: ngettext(
                "Refused %(count)d erasure request. Add a note saying why: the person sees it.",
                "Refused %(count)d erasure requests. Add a note to each saying why: the person sees it.",
                n,
            ),
        )


# The Workshop admin of workshop_portal, with the retention purge, which belongs to this app.
admin.site.unregister(Workshop)


@admin.register(Workshop)
class PrivacyWorkshopAdmin(WorkshopAdmin):
    actions = [*WorkshopAdmin.actions, "purge_personal_data"]

    def has_purge_personal_data_permission(self, request):
        return request.user.has_perm("workshop_portal.purge_personal_data")

    @admin.action(
        description=_("Purge personal data (after the retention period)"), permissions=["purge_personal_data"]
    )
    def purge_personal_data(self, request, queryset):
        for workshop in queryset:
            try:
                cleanup = workshop_purge_personal_data(workshop=workshop, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{workshop}: {' '.join(error.messages)}", messages.WARNING)
            else:
                summary = cleanup.describe() or _("nothing left to purge")
                self.message_user(
                    request,
                    _("%(workshop)s: personal data purged (%(summary)s).") % {"workshop": workshop, "summary": summary},
                    messages.SUCCESS,
                )
