"""A workshop with checked-in participants and a presenter, for the documents tests."""

from documents.enums import DocumentKind
from documents.kinds import kind_spec
from registrations.services import registration_check_in
from testkit.factories import (
    approved_delegate,
    verified_user,
)
from tests.i18n_support import pdf_text as pages_text

ATTENDANCE = DocumentKind.CERTIFICATE_ATTENDANCE
PRESENTER = DocumentKind.CERTIFICATE_PRESENTER


def checked_in(workshop, email, *, language="", code="KZ", name=None, by=None, **fields):
    user = verified_user(email, language=language)
    registration = approved_delegate(workshop, code, user=user, participant_name=name or email.split("@")[0], **fields)
    registration_check_in(registration=registration, by=by or user)
    registration.refresh_from_db()
    return registration


def target_of(workshop, kind, registration):
    return next(t for t in kind_spec(kind).targets(workshop) if t.registration.pk == registration.pk)


def pdf_text(data: bytes) -> str:
    """The PDF's text as a reader sees it (whitespace folded, presentation forms and isolates dropped)."""
    return " ".join(pages_text(data))
