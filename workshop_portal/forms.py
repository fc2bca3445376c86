from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def form_add_service_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field, or above the form.

    Like Form.add_error, except that errors for fields the form does not have go on top instead
    of raising: services check more than any one form shows.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ErasureRequestForm(forms.Form):
    """A person asks for their account and personal data to be erased."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("If you wish, tell the secretariat why. Only the organisers read it."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account will be closed and my personal data erased, and that this cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm that you want your data erased.")},
    )
