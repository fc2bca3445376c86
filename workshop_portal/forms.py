from django.core.exceptions import ValidationError


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
