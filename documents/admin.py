from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from documents.models import DocumentBatch, IssuedDocument
from documents.services import document_issue_for_holder, document_revoke


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("valid", _("Valid")), ("revoked", _("Revoked or replaced"))]

    def queryset(self, request, queryset):
        if self.value() == "valid":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ["holder_name", "kind", "workshop", "language", "issued_at", "validity", "download_link"]
    list_filter = ["workshop", "kind", ValidityFilter, "revocation", "language"]
    list_select_related = ["workshop"]
    search_fields = ["holder_name", "=code"]
    date_hierarchy = "issued_at"
    actions = ["issue_again", "revoke"]
    fields = [
        "workshop",
        "kind",
        "holder_name",
        "language",
        "registration",
        "member_state",
        "institution",
        "code",
        "verify_link",
        "download_link",
        "size",
        "sha256",
        "batch",
        "issued_at",
        "issued_by",
        "revoked_at",
        "revoked_by",
        "revocation",
        "revocation_reason",
        "superseded_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # documents are issued by the services (a batch, or issuing one again), never typed in

    def has_change_permission(self, request, obj=None):
        return False  # the file facts are what was issued; revoking is the action below

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted document's code would answer "unknown": revoke it instead

    @admin.display(description=_("validity"), boolean=True)
    def validity(self, document):
        return document.revoked_at is None

    @admin.display(description=_("file"))
    def download_link(self, document):
        if not document.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("documents:download", args=[document.pk]), _("Download PDF"))

    @admin.display(description=_("verification page"))
    def verify_link(self, document):
        return format_html('<a href="{0}">{0}</a>', reverse("documents:verify", args=[document.code]))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("documents.revoke_issueddocument"):
            actions.pop("revoke", None)
            actions.pop("issue_again", None)
        return actions

    @admin.action(description=_("Issue the selected documents again, as their holders' records read today"))
    def issue_again(self, request, queryset):
        """After a name is corrected: a new document each, the old one marked replaced (its code says so)."""
        issued = 0
        for document in queryset.filter(revoked_at__isnull=True).select_related("workshop"):
            try:
                document_issue_for_holder(
                    workshop=document.workshop, kind=document.kind, holder_key=document.holder_key, by=request.user
                )
            except ValidationError as failure:
                self.message_user(request, f"{document}: {failure.messages[0]}", messages.WARNING)
            else:
                issued += 1
        self.message_user(
            request,
            ngettext("%(count)d document issued again.", "%(count)d documents issued again.", issued)
            % {"count": issued},
            messages.SUCCESS,
        )

    @admin.action(description=_("Revoke the selected documents"))
    def revoke(self, request, queryset):
        current = list(queryset.filter(revoked_at__isnull=True).select_related("workshop"))
        error = ""
        if "apply" in request.POST:
            reason = request.POST.get("reason", "").strip()
            if reason:
                revoked = 0
                for document in current:
                    try:
                        document_revoke(document=document, by=request.user, reason=reason)
                    except ValidationError as failure:
                        self.message_user(request, f"{document}: {failure.messages[0]}", messages.WARNING)
                    else:
                        revoked += 1
                self.message_user(
                    request,
                    ngettext("%(count)d document revoked.", "%(count)d documents revoked.", revoked)
                    % {"count": revoked},
                    messages.SUCCESS,
                )
                return None
            error = _("Give the reason for revoking the document.")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke documents"),
            "opts": self.model._meta,
            "documents": current,
            "already_revoked": queryset.count() - len(current),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "error": error,
            "reason": request.POST.get("reason", ""),
        }
        return TemplateResponse(request, "admin/documents/revoke_confirmation.html", context)


@admin.register(DocumentBatch)
class DocumentBatchAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "workshop",
        "status",
        "progress_done",
        "progress_total",
        "issued_count",
        "created_at",
    ]
    list_filter = ["workshop", "kind", "status"]
    list_select_related = ["workshop"]
    readonly_fields = [field.name for field in DocumentBatch._meta.fields]

    def has_add_permission(self, request):
        return False  # started from the workshop's documents page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # its ZIP goes with the retention purge or an erasure (documents/privacy.py)
