"""The outbox in the admin: read-only, filtered by workshop, status, kind, language and date, searched
by address and subject; each email's text and HTML as sent; failed ones sent again."""

from csp.decorators import csp_exempt
from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communications.delivery import emails_send_again
from communications.models import OutboundEmail

# The HTML part is shown as the recipient's mail program shows it, and it can do nothing else: no
# script, no form, no request anywhere (pictures only as data: URLs), in a sandbox of its own.
HTML_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        from django.conf import settings

        return [(code, name) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["queued_at", "to_address", "subject", "kind", "language", "status", "attempts", "sent_at", "error"]
    list_filter = [
        "status",
        ("workshop", admin.RelatedOnlyFieldListFilter),
        "kind",
        LanguageFilter,
        "queued_at",
        "essential",
    ]
    list_select_related = ["workshop"]
    search_fields = ["to_address", "subject", "message_id", "user__email"]
    date_hierarchy = "queued_at"
    actions = ["send_again"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["status", "to_address", "user", "workshop", "language", "kind", "subject"]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "attempts",
                    "last_error_code",
                    "last_error",
                    "queued_at",
                    "next_attempt_at",
                    "handed_over_at",
                    "sent_at",
                ]
            },
        ),
        (
            _("As sent"),
            {
                "fields": [
                    "from_address",
                    "reply_to",
                    "message_id",
                    "headers",
                    "essential",
                    "automatic",
                    "redacted",
                    "body_removed_at",
                    "text_as_sent",
                    "html_link",
                    "attached_files",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [
            name
            for fieldset in self.fieldsets
            for name in fieldset[1]["fields"]
            if name not in ("text_as_sent", "html_link", "attached_files")
        ] + ["text_as_sent", "html_link", "attached_files"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # "change" only lets the action send again; no field is ever edited.
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("server's answer"))
    def error(self, obj):
        return obj.last_error[:120]

    @admin.display(description=_("text"))
    def text_as_sent(self, obj):
        return format_html('<pre class="email-text">{}</pre>', obj.text)

    @admin.display(description=_("HTML"))
    def html_link(self, obj):
        if not obj.html:
            return "-"
        url = reverse("admin:communications_outboundemail_html", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Show the HTML as sent"))

    @admin.display(description=_("attachments"))
    def attached_files(self, obj):
        files = [(f.filename, f.mimetype, filesizeformat(f.size)) for f in obj.attachments.order_by("filename")]
        return format_html_join(", ", "{} ({}, {})", files) if files else "-"

    def get_urls(self):
        html = self.admin_site.admin_view(csp_exempt()(self.html_view))
        return [path("<int:pk>/html/", html, name="communications_outboundemail_html"), *super().get_urls()]

    def html_view(self, request, pk):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        email = get_object_or_404(OutboundEmail, pk=pk)
        response = HttpResponse(email.html, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = HTML_POLICY
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    @admin.action(description=_("Send the selected failed emails again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = emails_send_again(queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count) % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email was not queued again: it was sent or is on its way, or it carried a "
                    "one-time link the outbox does not keep (the person asks for a new one).",
                    "%(count)d emails were not queued again: they were sent or are on their way, or they "
                    "carried a one-time link the outbox does not keep (the person asks for a new one).",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
