from django import forms

from outcomes.board_models import CooperationNeed, CooperationOffer


class NeedForm(forms.ModelForm):
    class Meta:
        model = CooperationNeed
        fields = ["sector", "description", "contact"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class OfferForm(forms.ModelForm):
    class Meta:
        model = CooperationOffer
        fields = ["sector", "modality", "capacity", "description", "contact"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
