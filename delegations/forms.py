from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from delegations.models import Nomination, VisaLetterRequest
from registrations.forms import RegistrationForm
from workshop_portal.models import Institution


class NominationForm(forms.ModelForm):
    class Meta:
        model = Nomination
        fields = ["name", "email", "role", "language"]
        labels = {"language": _("Language of the invitation")}
        help_texts = {"language": _("The nominee's own choice applies when they already have an account.")}

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(settings.LANGUAGES)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label or _("Nominate"), css_class="btn-primary"))

    def _post_clean(self):
        # The service checks the nominee (quota, deadline, duplicates) and saves: not the form.
        pass


class NomineeRegistrationForm(RegistrationForm):
    """The registration form of a nominee: the delegation's category, state (or institution) and
    the role the focal point gave are filled in and cannot be changed."""

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "member_state", "delegation_role"):
            self.fields[name].disabled = True
        if delegation.institution_id:
            self.fields["institution"].disabled = True
        else:
            self.fields["institution"].queryset = Institution.objects.filter(member_state_id=delegation.member_state_id)


class VisaLetterRequestForm(forms.ModelForm):
    """The delegate's passport details and dates of stay; the service checks them against the
    workshop and saves (delegations.visa)."""

    class Meta:
        model = VisaLetterRequest
        fields = ["passport_name", "nationality", "passport_number", "passport_expiry", "stay_from", "stay_to"]
        widgets = {
            "passport_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stay_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stay_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "passport_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passport_number"].max_length = 40  # spaces and hyphens are taken out
        self.fields["passport_number"].widget.attrs["maxlength"] = 40
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label or _("Request the letter"), css_class="btn-primary"))

    def _post_clean(self):
        # The service checks the details against the workshop and saves: not the form.
        pass
