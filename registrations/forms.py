from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from registrations.form_extensions import registration_form_extensions
from registrations.models import Registration
from workshop_portal.collation import collation_key
from workshop_portal.models import Institution, MemberState


class MemberStateSelect(forms.Select):
    """Marks the Central Asian states, so the form's script can offer the right ones per category."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        state = getattr(value, "instance", None)
        if state is not None:
            option["attrs"]["data-central-asian"] = "true" if state.is_central_asian else "false"
        return option


class InstitutionSelect(forms.Select):
    """Marks each institution's kind and state, so the form can filter them by category."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        institution = getattr(value, "instance", None)
        if institution is not None:
            option["attrs"]["data-kind"] = institution.kind
            option["attrs"]["data-state"] = institution.member_state_id or ""
        return option


class SortedByNameChoiceIterator(forms.models.ModelChoiceIterator):
    """Choices in alphabetical order of their label in the reader's language (member states'
    names come from django-countries, institutions' from their official forms), as a reader of
    that language sorts them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: collation_key(choice[1]))


class MemberStateChoiceField(forms.ModelChoiceField):
    iterator = SortedByNameChoiceIterator


class InstitutionChoiceField(forms.ModelChoiceField):
    iterator = SortedByNameChoiceIterator


class RegistrationForm(forms.ModelForm):
    member_state = MemberStateChoiceField(
        queryset=MemberState.objects.all(),
        required=False,
        label=_("Member state"),
        widget=MemberStateSelect,
        help_text=_("The state whose delegation you belong to."),
    )
    institution = InstitutionChoiceField(
        queryset=Institution.objects.select_related("member_state"),
        required=False,
        label=_("Institution"),
        widget=InstitutionSelect,
        help_text=_("Required for OIC and international institutions; optional for a state's delegation."),
    )

    class Meta:
        model = Registration
        fields = [
            "honorific",
            "participant_name",
            "position",
            "category",
            "member_state",
            "institution",
            "delegation_role",
            "email",
            "phone",
            "arrival_date",
            "departure_date",
            "dietary_needs",
            "access_needs",
            "consent_to_list",
        ]
        widgets = {
            "arrival_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "departure_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["data-registration-category"] = "true"
        self.helper = FormHelper()
        self.helper.form_id = "registration-form"
        self.helper.layout = Layout(
            Fieldset(_("About you"), "honorific", "participant_name", "position"),
            Fieldset(_("Whom you represent"), "category", "member_state", "institution", "delegation_role"),
            Fieldset(_("Contact"), "email", "phone"),
            Fieldset(_("Travel and needs"), "arrival_date", "departure_date", "dietary_needs", "access_needs"),
            Fieldset(_("List of participants"), "consent_to_list"),
        )
        self._add_extension_fields()
        self.helper.layout.append(Submit("submit", submit_label or _("Submit registration"), css_class="btn-primary"))

    def _add_extension_fields(self) -> None:
        """The workshop's own questions, from the apps that define them (registrations/form_extensions.py)."""
        self.extension_fields = {}
        if not self.instance.workshop_id:
            return
        registration = self.instance if self.instance.pk else None
        for extension in registration_form_extensions():
            names = []
            for name, field in extension.fields(self.instance.workshop, registration):
                self.fields[name] = field
                names.append(name)
            if names:
                self.extension_fields[extension.key] = names
                self.helper.layout.append(Fieldset(extension.legend(), *names))

    def save_extensions(self, registration: Registration) -> None:
        """Store the answers to the workshop's own questions; inside the registration's transaction."""
        extensions = {extension.key: extension for extension in registration_form_extensions()}
        for key, names in self.extension_fields.items():
            extensions[key].save(registration, {name: self.cleaned_data.get(name) for name in names})
