from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation
from delegations.selectors import delegations_with_counts
from delegations.services import delegation_check_seats, delegation_save


class DelegationAdminForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["workshop", "category", "member_state", "institution", "seats", "nomination_deadline"]

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
    list_display = ["__str__", "workshop", "category", "seats", "registered", "approved", "nomination_deadline"]
    list_editable = ["seats"]
    list_filter = ["workshop", "category"]
    search_fields = ["institution__name", "institution__acronym", "member_state__code"]
    autocomplete_fields = ["institution"]
    ordering = ["workshop", "category", "member_state__code", "institution__name"]

    def get_queryset(self, request):
        return delegations_with_counts(super().get_queryset(request))

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
