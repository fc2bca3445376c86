from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from presentations.enums import PresentationStatus
from presentations.models import Presentation, PresentationFile
from presentations.services import (
    presentation_accept_upload,
    presentation_check_rules,
    presentation_create,
    presentation_decide,
    presentation_update,
)
from presentations.validation import FileRejectedError, inspect_upload
from workshop_portal.admin_actions import apply_to_each
from workshop_portal.templatetags.portal import status_badge_html


class PresentationFileInline(admin.TabularInline):
    """Every version, newest first, with its conversion status. Versions are never edited."""

    model = PresentationFile
    fields = ["version", "download", "kind", "size", "page_count", "conversion", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-version"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("presentations:download", args=[obj.pk]), obj.original_name)

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
            try:
                inspect_upload(Path(upload.temporary_file_path()), max_bytes=settings.PRESENTATION_MAX_UPLOAD_BYTES)
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

    def _decide(self, request, queryset, status):
        apply_to_each(
            self,
            request,
            queryset,
            lambda presentation: presentation_decide(presentation=presentation, status=status, by=request.user),
            status_of=lambda presentation: presentation.status,
            name_of=lambda presentation: presentation.title,
            done_message=lambda n: (
                ngettext("%(count)d presentation changed status.", "%(count)d presentations changed status.", n)
                % {"count": n}
            ),
        )

    def has_decide_permission(self, request):
        return request.user.has_perm("presentations.decide_presentation")

    @admin.action(description=_("Accept the selected presentations"), permissions=["decide"])
    def accept(self, request, queryset):
        self._decide(request, queryset, PresentationStatus.ACCEPTED)

    @admin.action(description=_("Reject the selected presentations"), permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(request, queryset, PresentationStatus.REJECTED)
