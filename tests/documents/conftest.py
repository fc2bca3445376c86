"""The documents tests' world (tests/documents/support.py)."""

import pytest

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_create, presentation_decide
from sessions.enums import SegmentKind
from testkit.factories import WorkshopFactory, approved_delegate, country_session, segment_of, staff_user, verified_user
from tests.documents.support import checked_in
from workshop_portal.roles import ORGANISERS, SECRETARIAT


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
