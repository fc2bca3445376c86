"""The admin of letters: each workshop's settings with its texts, and the visa letter requests.

Visa requests hold passport details: the list shows none of them (name, workshop, delegation,
status, dates only); the detail page shows them, read-only, to those who hold
delegations.view_visaletterrequest (the organisers). Nobody changes a request here: it is the
delegate's.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from delegations.enums import LetterKind
from delegations.letter_models import LetterSettings, LetterText, VisaLetterRequest
from delegations.letter_services import letter_image_rewrite, letter_settings_replaced_files
from delegations.letters import PLACEHOLDERS, letter_preview, letter_text_check
from workshop_portal.templatetags.portal import status_badge_html


class PrivateFileInput(forms.ClearableFileInput):
    """A file input for a private file: names the stored file without a link (private files have
    no URL; Django's own widget would ask for one)."""

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def format_value(self, value):
        return None  # the input below never shows the stored file: render() names it

    def render(self, name, value, attrs=None, renderer=None):
        field = forms.FileInput().render(name, None, attrs, renderer)
        if not self.is_initial(value):
            return field
        clear = ""
        if not self.is_required:
            checkbox = self.clear_checkbox_name(name)
            clear = format_html(
                ' <input type="checkbox" name="{}" id="{}"> <label for="{}">{}</label>',
                checkbox,
                self.clear_checkbox_id(checkbox),
                self.clear_checkbox_id(checkbox),
                self.clear_checkbox_label,
            )
        return format_html(
            '<p class="file-upload">{}: <span>{}</span>{}<br>{}: {}</p>',
            self.initial_text,
            value.name,
            clear,
            self.input_text,
            field,
        )


def _placeholder_help() -> str:
    return " ".join(
        f"{kind.label}: {', '.join('{' + name + '}' for name in PLACEHOLDERS[kind])}." for kind in LetterKind
    )


class LetterTextForm(forms.ModelForm):
    class Meta:
        model = LetterText
        fields = ["kind", "language", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12, "cols": 90})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and cleaned.get("body") is not None and "body" not in self.errors:
            try:
                letter_text_check(cleaned["kind"], cleaned["body"])
            except ValidationError as error:
                self.add_error("body", error)
        return cleaned


class LetterTextInline(admin.StackedInline):
    model = LetterText
    form = LetterTextForm
    extra = 0
    ordering = ["kind", "language"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        """The saved text as it reads in a letter (sanitised HTML, the values escaped)."""
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<div class="letter-preview" dir="auto">{}</div>', letter_preview(obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["body"].help_text = _(
            "Markdown (paragraphs, emphasis, lists). Placeholders: %(placeholders)s"
        ) % {"placeholders": _placeholder_help()}
        return formset


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = [
            "workshop",
            "reference_prefix",
            "letterhead",
            "signature",
            "signatory_name",
            "signatory_title",
            "signatory_name_fr",
            "signatory_title_fr",
            "signatory_name_ar",
            "signatory_title_ar",
            "signatory_name_ru",
            "signatory_title_ru",
        ]
        widgets = {"letterhead": PrivateFileInput, "signature": PrivateFileInput}

    def _clean_picture(self, name: str):
        value = self.cleaned_data.get(name)
        if isinstance(value, UploadedFile):
            return letter_image_rewrite(value, purpose=name)
        return value

    def clean_letterhead(self):
        return self._clean_picture("letterhead")

    def clean_signature(self):
        return self._clean_picture("signature")


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    """Per workshop: letterhead, signature, signatory and reference prefix, and the text of each
    letter in each language (laid out with default texts when the workshop is created)."""

    form = LetterSettingsForm
    inlines = [LetterTextInline]
    list_display = ["workshop", "reference_prefix", "signatory_name", "has_letterhead", "has_signature", "updated_at"]
    list_select_related = ["workshop"]
    search_fields = ["workshop__title", "workshop__slug"]

    def get_queryset(self, request):
        # The inline's previews read the workshop of each text: read with the settings, once.
        return super().get_queryset(request).select_related("workshop")

    fieldsets = [
        (None, {"fields": ["workshop", "reference_prefix", "letterhead", "signature"]}),
        (_("Signatory"), {"fields": ["signatory_name", "signatory_title"]}),
        (
            _("Signatory in the other languages"),
            {
                "fields": [
                    ("signatory_name_fr", "signatory_title_fr"),
                    ("signatory_name_ar", "signatory_title_ar"),
                    ("signatory_name_ru", "signatory_title_ru"),
                ],
                "description": _("An empty name or title falls back to the English one."),
            },
        ),
    ]

    @admin.display(description=_("letterhead"), boolean=True)
    def has_letterhead(self, obj):
        return bool(obj.letterhead)

    @admin.display(description=_("signature"), boolean=True)
    def has_signature(self, obj):
        return bool(obj.signature)

    def get_readonly_fields(self, request, obj=None):
        return ["workshop"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        before = LetterSettings.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        letter_settings_replaced_files(before=before, after=obj)


@admin.register(VisaLetterRequest)
class VisaLetterRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "holder", "workshop", "delegation", "status_badge", "created_at", "issued_at"]
    list_filter = [("registration__workshop", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = [
        "registration__workshop",
        "registration__member_state",
        "registration__institution",
    ]
    # By the delegate's name or address only: never by a passport detail.
    search_fields = ["registration__participant_name", "registration__email"]
    fields = [
        "registration",
        "status",
        "passport_name",
        "nationality",
        "passport_number",
        "passport_expiry",
        "stay_from",
        "stay_to",
        "created_at",
        "updated_at",
        "issued_at",
        "issued_by",
    ]
    readonly_fields = fields

    @admin.display(description=_("delegate"), ordering="registration__participant_name")
    def holder(self, obj):
        return obj.registration.display_name

    @admin.display(description=_("workshop"), ordering="registration__workshop")
    def workshop(self, obj):
        return obj.registration.workshop

    @admin.display(description=_("delegation"))
    def delegation(self, obj):
        return obj.registration.delegation

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge_html(obj.status, obj.get_status_display())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
