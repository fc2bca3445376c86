"""The workshop of the burst and its delegates: each approved, signed in, with a draft presentation
(the project's factories and services; the accounts in bulk) and a deck of their own."""

from dataclasses import dataclass
from pathlib import Path

from bench.burst.decks import deck_parts, write_deck_copy


@dataclass
class Delegate:
    """A signed-in delegate, their presentation, and the deck they upload."""

    presentation_id: int
    session: str
    deck: Path
    sha256: str
    pages: int
    csrf_cookie: str = ""
    csrf_token: str = ""


def create_workshop(count: int):
    """A workshop with a Kazakh country session, and `count` approved Kazakh delegates, each with a
    draft presentation in the host state's segment. Returns the workshop and the presentations."""
    from presentations.models import Presentation
    from presentations.services import presentation_create
    from sessions.enums import SegmentKind
    from testkit.factories import WorkshopFactory, approved_delegate, country_session, segment_of
    from workshop_portal.models import User

    workshop = WorkshopFactory(slug="bench-upload-burst", capacity=count)
    segment = segment_of(country_session(workshop, "KZ"), SegmentKind.HOST_STATE)
    # In bulk, without a password: hashing 100 passwords would take most of a minute.
    users = User.objects.bulk_create(
        User(email=f"burst-{n:03d}@example.org", password="!", first_name="Delegate", last_name=f"{n:03d}")
        for n in range(count)
    )
    presentations = []
    for number, user in enumerate(users):
        presenter = approved_delegate(workshop, "KZ", user=user)
        presentation = Presentation(presenter=presenter, segment=segment, title=f"Deck {number:03d}", abstract="A")
        presentations.append(presentation_create(presentation=presentation, by=user))
    return workshop, presentations


def signed_in_session(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def prepare_delegates(presentations, decks: Path, size_mb: float, slides: int, prefix: str) -> list[Delegate]:
    """Each presentation's presenter signed in, with a copy of the deck of their own."""
    parts = deck_parts(size_mb, slides)
    delegates = []
    for number, presentation in enumerate(presentations):
        deck = decks / f"{prefix}-{number:03d}.pptx"
        sha256 = write_deck_copy(parts, deck, owner=f"{prefix} delegate {number:03d}")
        session = signed_in_session(presentation.presenter.user)
        delegates.append(Delegate(presentation.pk, session, deck, sha256, pages=slides))
    return delegates
