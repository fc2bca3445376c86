"""A workshop with checked-in participants and a presenter, for the documents tests."""

import pytest

from documents.enums import DocumentKind
from documents.kinds import kind_spec
from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_create, presentation_decide
from registrations.services import registration_check_in
from sessions.enums import SegmentKind
from tests.i18n_support import pdf_text as pages_text
from testkit.factories import (
    WorkshopFactory,
    approved_delegate,
    country_session,
    segment_of,
    staff_user,
    verified_user,
)
from workshop_portal.roles import ORGANISERS, SECRETARIAT

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


@pytest.fixture
def world(db):
    workshop = WorkshopFactory(slug="doc-workshop", title="Workshop on Cooperation", city="Ankara")
    session = country_session(workshop, "KZ")
    organiser = staff_user("organiser@example.org", ORGANISERS)
    secretariat = staff_user("secretariat@example.org", SECRETARIAT)
    aigerim = checked_in(workshop, "aigerim@example.org", name="Aigerim Bekova", language="ru", by=organiser)
    omar = checked_in(workshop, "omar@example.org", name="Omar Haddad", language="ar", code="TR", by=organiser)
    claire = checked_in(workshop, "claire@example.org", name="Claire Martin", language="fr", code="TR", by=organiser)
    absent = approved_delegate(workshop, "KZ", user=verified_user("absent@example.org"), participant_name="Never Came")
    presentation = presentation_create(
        presentation=Presentation(
            presenter=aigerim,
            segment=segment_of(session, SegmentKind.HOST_STATE),
            title="Kazakhstan as a partner",
            abstract="What Kazakhstan offers.",
        ),
        by=aigerim.user,
    )
    presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser)
    return {
        "workshop": workshop,
        "organiser": organiser,
        "secretariat": secretariat,
        "aigerim": aigerim,
        "omar": omar,
        "claire": claire,
        "absent": absent,
        "presentation": presentation,
    }
