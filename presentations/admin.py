import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from presentations.enums import PresentationStatus
from presentations.models import Presentation, PresentationFile
from presentations.neutralise import neutralise_upload
from presentations.services import (
    presentation_accept_upload,
    presentation_check_rules,
    presentation_create,
    presentation_decide,
    presentation_update,
)
from presentations.validation import FileRejectedError, inspect_upload
from workshop_portal.admin_actions import apply_to_each, counted, refusal_messages, report
from workshop_portal.templatetags.portal import status_badge_html


class PresentationFileInline(admin.TabularInline):
    """Every version, newest first, with its conversion status. Versions are never edited."""

    model = PresentationFile
    fields = [
        "version",
        "download",
        "kind",
        "size",
        "page_count",
        "removed",
        "conversion",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-version"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("presentations:download", args=[obj.pk]), obj.original_name)

    @admin.display(description=_("removed from the file"))
    def removed(self, obj):
        if obj.withheld_reason:
            return format_html("<strong>{}</strong> {}", gettext("Withheld:"), obj.withheld_reason)
        if not obj.neutralised:
            return gettext("Stored before the current safety checks: withheld until they have run.")
        labels = obj.removed_content_labels
        if not labels:
            return "—"
        return format_html(
            "{} <ul>{}</ul>{}",
            gettext("We removed from this file:"),
            format_html_join("", "<li>{}</li>", ((label,) for label in labels)),
            gettext("The rest is unchanged."),
        )

    @admin.display(description=_("conversion"))
    def conversion(self, obj):
        badge = status_badge_html(obj.conversion_status, obj.get_conversion_status_display())
        if obj.conversion_error:
            return format_html("{} {}", badge, obj.conversion_error)
        return badge


class PresentationAdminForm(forms.ModelForm):
    new_file = forms.FileField(
        label=_("Upload a new version"),
        required=False,
        help_text=_("On the presenter's behalf: PDF, PPTX or DOCX. It becomes the newest version."),
    )

    class Meta:
        model = Presentation
        fields = ["segment", "presenter", "title", "abstract", "order"]

    def clean_new_file(self):
        upload = self.cleaned_data.get("new_file")
        if upload is not None:
            path = Path(upload.temporary_file_path())
            try:
                inspected = inspect_upload(path, max_bytes=settings.PRESENTATION_MAX_UPLOAD_BYTES)
                # The inert copy may still refuse the file (a program attached to a PDF): say so here.
                with tempfile.TemporaryDirectory(prefix="portal-neutralise-") as workdir:
                    neutralise_upload(path, inspected, Path(workdir))
            except FileRejectedError as error:
                raise forms.ValidationError(error.messages) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("segment") and cleaned.get("presenter"):
            candidate = Presentation(
                pk=self.instance.pk,
                segment=cleaned["segment"],
                presenter=cleaned["presenter"],
                status=self.instance.status,
            )
            # The same rules the service applies, shown on the form instead of after saving.
            presentation_check_rules(presentation=candidate)
        return cleaned


@admin.register(Presentation)
class PresentationAdmin(admin.ModelAdmin):
    form = PresentationAdminForm
    list_display = ["title", "presenter_name", "presenting_state", "session", "segment_name", "status_badge", "order"]
    list_editable = ["order"]
    list_filter = [
        "workshop",
        ("segment__session", admin.RelatedOnlyFieldListFilter),
        "segment_kind",
        ("presenting_state", admin.RelatedOnlyFieldListFilter),
        "status",
    ]
    list_select_related = ["presenter", "presenting_state", "segment__session__country", "workshop"]
    search_fields = ["title", "abstract", "presenter__participant_name"]
    autocomplete_fields = ["presenter"]
    ordering = ["workshop", "segment__session__date", "segment__session__start_time", "segment__order", "order"]
    actions = ["accept", "reject"]
    inlines = [PresentationFileInline]
    readonly_fields = ["status", "presenting_state", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["segment", "presenter", "title", "abstract", "order", "status", "presenting_state"]}),
        (_("File"), {"fields": ["new_file"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("presenter"), ordering="presenter__participant_name")
    def presenter_name(self, obj):
        return obj.presenter.display_name

    @admin.display(description=_("session"), ordering="segment__session")
    def session(self, obj):
        return obj.segment.session.display_title

    @admin.display(description=_("segment"), ordering="segment__order")
    def segment_name(self, obj):
        return obj.segment.display_title

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge_html(obj.status, obj.get_status_display())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "segment":
            kwargs["queryset"] = db_field.remote_field.model.objects.select_related(
                "session__country", "session__workshop"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The form showed the rules' messages already; the services apply them again under a lock.
        if change:
            presentation_update(presentation=obj, by=request.user)
        else:
            presentation_create(presentation=obj, by=request.user)
        upload = form.cleaned_data.get("new_file")
        if upload is not None:
            presentation_accept_upload(presentation=obj, uploaded_file=upload, by=request.user)

    def _decide(self, request, queryset, status, *, done, already, refused):
        outcome = apply_to_each(
            queryset,
            lambda presentation: presentation_decide(presentation=presentation, status=status, by=request.user),
            status_of=lambda presentation: presentation.status,
            name_of=lambda presentation: presentation.title,
        )
        lines = [counted(messages.SUCCESS, outcome.changed, done), counted(messages.INFO, outcome.unchanged, already)]
        report(self, request, lines + refusal_messages(outcome, refused))

    def has_decide_permission(self, request):
        return request.user.has_perm("presentations.decide_presentation")

    @admin.action(description=_("Accept the selected presentations"), permissions=["decide"])
    def accept(self, request, queryset):
        self._decide(
            request,
            queryset,
            PresentationStatus.ACCEPTED,
            done=lambda n: ngettext("Accepted %(count)d presentation.", "Accepted %(count)d presentations.", n),
            already=lambda n: ngettext(
                "%(count)d presentation was already accepted.", "%(count)d presentations were already accepted.", n
            ),
            refused=lambda n: ngettext(
                "%(count)d presentation could not be accepted (%(names)s): %(reason)s",
                "%(count)d presentations could not be accepted (%(names)s): %(reason)s",
                n,
            ),
        )

    @admin.action(description=_("Reject the selected presentations"), permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            PresentationStatus.REJECTED,
            done=lambda n: ngettext("Rejected %(count)d presentation.", "Rejected %(count)d presentations.", n),
            already=lambda n: ngettext(
                "%(count)d presentation was already rejected.", "%(count)d presentations were already rejected.", n
            ),
            refused=lambda n: ngettext(
                "%(count)d presentation could not be rejected (%(names)s): %(reason)s",
                "%(count)d presentations could not be rejected (%(names)s): %(reason)s",
                n,
            ),
        )
