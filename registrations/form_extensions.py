"""Fields that higher apps add to the registration form, and their columns in the exports.

The registration questions of a workshop (outcomes/registration_questions.py) are defined above
this app, so the form asks them through this registry instead of importing them. An extension:
- fields(workshop, registration or None) -> [(field name, form field with its initial value)];
- legend() -> the heading of their fieldset;
- save(registration, values) -> stores the cleaned values of its fields; called in the transaction
  that saves the registration, may raise ValidationError (then nothing is saved);
- export_columns(registrations) -> [(title, value(registration))] for the CSV/XLSX exports, reading
  what they need for all those registrations at once.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RegistrationFormExtension:
    key: str
    fields: Callable
    legend: Callable
    save: Callable
    export_columns: Callable


_extensions: dict[str, RegistrationFormExtension] = {}


def add_registration_form_extension(extension: RegistrationFormExtension) -> None:
    """Called at ready(); registering the same key again replaces it."""
    _extensions[extension.key] = extension


def registration_form_extensions() -> list[RegistrationFormExtension]:
    return list(_extensions.values())
