from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, FocalPoint, Nomination
from delegations.selectors import delegations_with_counts
from delegations.services import delegation_check_seats, delegation_save, focal_point_check_new, focal_point_designate
from workshop_portal.templatetags.portal import status_badge_html


class DelegationAdminForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = [
            "workshop",
            "category",
            "member_state",
            "institution",
            "seats",
            "nomination_deadline",
            "addressee",
            "addressee_fr",
            "addressee_ar",
            "addressee_ru",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # The service's rule (seats not below the approved delegates) as a field message.
        if cleaned.get("seats") is not None:
            try:
                delegation_check_seats(delegation=self.instance, seats=cleaned["seats"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    form = DelegationAdminForm
    list_display = [
        "__str__",
        "workshop",
        "category",
        "seats",
        "nominated",
        "registered",
        "approved",
        "nomination_deadline",
    ]
    list_editable = ["seats"]
    list_filter = ["workshop", "category"]
    search_fields = ["institution__name", "institution__acronym", "member_state__code"]
    autocomplete_fields = ["institution"]
    ordering = ["workshop", "category", "member_state__code", "institution__name"]

    def get_queryset(self, request):
        return delegations_with_counts(super().get_queryset(request))

    @admin.display(description=_("nominated"), ordering="nominated_count")
    def nominated(self, obj):
        return obj.nominated_count

    @admin.display(description=_("registered"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("approved"), ordering="approved_count")
    def approved(self, obj):
        return obj.approved_count

    def save_model(self, request, obj, form, change):
        try:
            delegation_save(delegation=obj)
        except ValidationError as error:
            # The form checked the same rule; an approval came in meanwhile.
            self.message_user(request, " ".join(error.messages), messages.ERROR)


class FocalPointAdminForm(forms.ModelForm):
    class Meta:
        model = FocalPoint
        fields = ["delegation", "email", "name", "language"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and cleaned.get("delegation") and cleaned.get("email"):
            try:
                focal_point_check_new(delegation=cleaned["delegation"], email=cleaned["email"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    """Organisers designate focal points here: the person is told by email (invited when they
    have no account yet)."""

    form = FocalPointAdminForm
    list_display = ["email", "name", "delegation", "workshop", "user", "accepted_at", "designated_by"]
    list_filter = [("delegation__workshop", admin.RelatedOnlyFieldListFilter)]
    list_select_related = [
        "delegation__workshop",
        "delegation__member_state",
        "delegation__institution",
        "user",
        "designated_by",
    ]
    search_fields = ["email", "name", "user__email"]
    autocomplete_fields = ["delegation"]
    readonly_fields = ["user", "accepted_at", "designated_by", "created_at"]

    @admin.display(description=_("workshop"), ordering="delegation__workshop")
    def workshop(self, obj):
        return obj.delegation.workshop

    def get_readonly_fields(self, request, obj=None):
        # The address is the invitation's: to invite someone else, designate them anew.
        if obj is not None:
            return [*self.readonly_fields, "delegation", "email"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "language"])
            return
        # The form checked the service's rules; a race (the same person designated twice at once)
        # ends in the database's constraint.
        saved = focal_point_designate(
            delegation=obj.delegation, email=obj.email, name=obj.name, language=obj.language, by=request.user
        )
        obj.pk = saved.pk


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    """Who nominated whom: focal points nominate on their delegation's page, the organisers read here."""

    list_display = ["name", "email", "role", "delegation", "workshop", "nominated_by", "status", "registration_status"]
    list_filter = ["workshop", "status", "role"]
    list_select_related = [
        "workshop",
        "delegation__member_state",
        "delegation__institution",
        "nominated_by",
        "registration",
    ]
    search_fields = ["name", "email", "nominated_by__email"]
    readonly_fields = [
        "workshop",
        "delegation",
        "name",
        "email",
        "role",
        "language",
        "status",
        "nominated_by",
        "user",
        "registration",
        "replaced_by",
        "created_at",
    ]
    exclude = ["token"]

    @admin.display(description=_("registration"))
    def registration_status(self, obj):
        if obj.registration_id is None:
            return ""
        return status_badge_html(obj.registration.status, obj.registration.get_status_display())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Letter settings and texts, and the visa letter requests: their own module.
from delegations import letter_admin  # noqa: E402, F401
