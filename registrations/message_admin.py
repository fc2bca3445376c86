"""Messages to an audience in the admin (communications.Message): write the texts per language,
choose the audience, then "Preview and send": the count, a copy rendered for a real recipient in
their language, what would stop the send, "Send a test to me" and "Send". The admin lives here,
not in communications, because the audience is read here (registrations.audiences)."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communications.enums import MessageStatus
from communications.messages import PLACEHOLDERS, message_text_check
from communications.models import Message, MessageText
from registrations.audiences import AudienceSpec, audience_groups
from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.message_sending import message_preview, message_send, message_send_test
from workshop_portal.models import Institution, MemberState

PLACEHOLDER_HELP = _("Placeholders: %(names)s. Anything else in braces is refused.") % {
    "names": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
}


class MessageTextForm(forms.ModelForm):
    class Meta:
        model = MessageText
        fields = ["language", "subject", "body"]
        help_texts = {"body": PLACEHOLDER_HELP}

    def clean_subject(self):
        message_text_check(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_body(self):
        message_text_check(self.cleaned_data["body"])
        return self.cleaned_data["body"]


class MessageTextFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        languages = [
            form.cleaned_data.get("language")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        doubled = sorted({language for language in languages if language and languages.count(language) > 1})
        if doubled:
            raise ValidationError(
                _("One text per language: %(languages)s is written twice.") % {"languages": ", ".join(doubled)},
                code="language_twice",
            )


class MessageTextInline(admin.StackedInline):
    model = MessageText
    form = MessageTextForm
    formset = MessageTextFormSet
    extra = 1
    min_num = 1

    def _editable(self, obj):
        return obj is None or obj.status == MessageStatus.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


def _session_choices():
    # Through the app registry: sessions shares this app's row (docs/architecture.md).
    sessions = apps.get_model("worksessions", "WorkingSession").objects.select_related("workshop")
    return [("", "---------")] + [
        (s.pk, f"{s.workshop.title}: {s.title}") for s in sessions.order_by("workshop", "order")
    ]


class MessageForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(
        label=_("registration statuses"),
        choices=RegistrationStatus.choices,
        required=False,
        initial=[RegistrationStatus.APPROVED],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every status."),
    )
    categories = forms.MultipleChoiceField(
        label=_("participant categories"),
        choices=ParticipantCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )
    member_states = forms.ModelMultipleChoiceField(
        label=_("member states"), queryset=MemberState.objects.all(), required=False
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("institutions"), queryset=Institution.objects.all(), required=False
    )
    checked_in = forms.ChoiceField(
        label=_("arrived"),
        choices=[("", _("Whether or not they arrived")), ("yes", _("Checked in")), ("no", _("Not checked in"))],
        required=False,
    )
    group = forms.ChoiceField(label=_("only"), required=False)
    session = forms.TypedChoiceField(label=_("working session"), required=False, coerce=int, empty_value=None)

    class Meta:
        model = Message
        fields = ["workshop", "title", "essential"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Everyone the filters above name"))] + [
            (group.key, group.label) for group in audience_groups()
        ]
        self.fields["group"].help_text = _(
            "Rapporteurs and focal points are chosen by workshop (and member state) only."
        )
        self.fields["session"].choices = _session_choices()
        if self.instance.pk:
            spec = AudienceSpec.from_json(self.instance.audience)
            self.initial.update(
                statuses=list(spec.statuses),
                categories=list(spec.categories),
                member_states=list(spec.member_states),
                institutions=list(spec.institutions),
                checked_in=spec.checked_in,
                group=spec.group,
                session=spec.session,
            )

    def clean(self):
        cleaned = super().clean()
        session = cleaned.get("session")
        workshop = cleaned.get("workshop")
        if session and workshop:
            model = apps.get_model("worksessions", "WorkingSession")
            if not model.objects.filter(pk=session, workshop=workshop).exists():
                self.add_error("session", _("This working session is not part of the message's workshop."))
        return cleaned

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance.audience = AudienceSpec(
            statuses=tuple(data.get("statuses") or ()),
            categories=tuple(data.get("categories") or ()),
            member_states=tuple(state.pk for state in data.get("member_states") or ()),
            institutions=tuple(institution.pk for institution in data.get("institutions") or ()),
            checked_in=data.get("checked_in") or "",
            group=data.get("group") or "",
            session=data.get("session"),
        ).to_json()
        return super().save(commit)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    form = MessageForm
    inlines = [MessageTextInline]
    list_display = ["title", "workshop", "status", "essential", "recipient_count", "sent_at"]
    list_filter = ["status", ("workshop", admin.RelatedOnlyFieldListFilter), "essential"]
    list_select_related = ["workshop"]
    search_fields = ["title", "texts__subject"]
    readonly_fields = ["preview_link", "status", "recipient_count", "sent_at", "sent_by", "created_by"]
    fieldsets = [
        (None, {"fields": ["preview_link", "workshop", "title", "essential"]}),
        (
            _("Audience"),
            {"fields": ["statuses", "categories", "member_states", "institutions", "checked_in", "group", "session"]},
        ),
        (_("Sending"), {"fields": ["status", "recipient_count", "sent_at", "sent_by", "created_by"]}),
    ]
    autocomplete_fields = []

    @admin.display(description=_("preview and send"))
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the message first: its preview shows who receives it and what they read.")
        label = _("Preview and send") if obj.status == MessageStatus.DRAFT else _("Preview")
        return format_html('<a class="button" href="{}">{}</a>', self._url("preview", obj.pk), label)

    def _url(self, name, pk):
        return reverse(f"admin:communications_message_{name}", args=[pk])

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != MessageStatus.DRAFT:
            return [*self.readonly_fields, "workshop", "title", "essential"]
        return self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.status != MessageStatus.DRAFT:
            return [(None, {"fields": ["preview_link", "workshop", "title", "essential"]}), self.fieldsets[2]]
        return self.fieldsets

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == MessageStatus.DRAFT) and super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # A sent message is the record of what was sent: shown, never changed.
        return (obj is None or obj.status == MessageStatus.DRAFT) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if obj.status != MessageStatus.DRAFT:
            raise PermissionDenied  # a sent message is the record of what was sent
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return HttpResponseRedirect(self._url("preview", obj.pk))

    def response_change(self, request, obj):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_change(request, obj)
        return HttpResponseRedirect(self._url("preview", obj.pk))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="communications_message_preview"),
            path("<int:pk>/send-test/", view(self.send_test_view), name="communications_message_send_test"),
            path("<int:pk>/send/", view(self.send_view), name="communications_message_send"),
            *super().get_urls(),
        ]

    def _message(self, request, pk, *, change=False):
        message = get_object_or_404(Message.objects.select_related("workshop"), pk=pk)
        # "change" in general (not of this message): a second click on a sent one is told so.
        allowed = self.has_change_permission(request) if change else self.has_view_permission(request, message)
        if not allowed:
            raise PermissionDenied
        return message

    def preview_view(self, request, pk):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        message = self._message(request, pk)
        preview = message_preview(message, request.GET.get("recipient"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Preview: %(title)s") % {"title": message.title},
            "message": message,
            "preview": preview,
            "can_send": self.has_change_permission(request, message),
        }
        return TemplateResponse(request, "admin/communications/message/preview.html", context)

    def send_test_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        message = self._message(request, pk, change=True)
        try:
            message_send_test(message, by=request.user, recipient=request.POST.get("recipient"))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("A test copy is on its way to %(address)s.") % {"address": request.user.email})
        return HttpResponseRedirect(self._url("preview", pk))

    def send_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        message = self._message(request, pk, change=True)
        try:
            count = message_send(message, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(self._url("preview", pk))
        self.message_user(
            request,
            ngettext(
                "The message is being sent to %(count)d recipient; the outbox lists each email.",
                "The message is being sent to %(count)d recipients; the outbox lists each email.",
                count,
            )
            % {"count": count},
        )
        return HttpResponseRedirect(reverse("admin:communications_message_change", args=[pk]))
