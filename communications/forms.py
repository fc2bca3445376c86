from django import forms
from django.utils.translation import gettext_lazy as _

from workshop_portal.models import Workshop


class EmailPreferencesForm(forms.Form):
    optional_messages = forms.BooleanField(
        label=_("Send me optional messages from the organisers (announcements, news)"),
        required=False,
        help_text=_("Decisions on your registration and deadlines always reach you."),
    )
    resubscribe_workshop = forms.ModelChoiceField(
        queryset=Workshop.objects.all(), required=False, widget=forms.HiddenInput
    )
