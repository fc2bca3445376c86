from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.erasure import REASON_MAX_LENGTH


class ErasureRequestForm(forms.Form):
    """A person asks for their account and personal data to be erased."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("If you wish, tell the secretariat why. Only the organisers read it."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account will be closed and my personal data erased, and that this cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm that you want your data erased.")},
    )
