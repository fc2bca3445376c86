from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.followup_enums import AddresseeKind, FollowUpStatus
from outcomes.followup_models import Recommendation
from sessions.enums import SessionKind
from sessions.models import WorkingSession


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["text", "addressee_kind", "member_state", "institution", "session", "priority"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workshop = workshop
        self.fields["session"].queryset = WorkingSession.objects.filter(
            workshop=workshop, kind=SessionKind.COUNTRY
        ).select_related("country")
        self.fields["member_state"].help_text = _("When it is addressed to a member state.")
        self.fields["institution"].help_text = _("When it is addressed to an institution.")

    def clean(self):
        data = super().clean()
        kind = data.get("addressee_kind")
        if kind == AddresseeKind.MEMBER_STATE and not data.get("member_state"):
            self.add_error("member_state", _("Choose the member state it is addressed to."))
        if kind == AddresseeKind.INSTITUTION and not data.get("institution"):
            self.add_error("institution", _("Choose the institution it is addressed to."))
        # A state or institution chosen for another kind of addressee is left out, not an error.
        if kind != AddresseeKind.MEMBER_STATE:
            data["member_state"] = None
        if kind != AddresseeKind.INSTITUTION:
            data["institution"] = None
        return data


class RecommendationUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=FollowUpStatus.choices,
        error_messages={"invalid_choice": _("Choose one of: agreed, in progress, done, dropped.")},
    )
    on = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate)
    note = forms.CharField(label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
