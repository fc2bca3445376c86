"""The demo workshop: Ankara, 22-23 February 2012, hosted by the COMCEC Coordination Office.

Everything about that workshop lives here and nowhere else; the portal itself knows no dates,
places or states. Seeding creates what is missing and leaves what exists alone, so running it
twice changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from sessions.enums import SessionKind
from sessions.models import WorkingSession
from sessions.services import working_session_create
from workshop_portal.models import Institution, MemberState, User, Workshop
from workshop_portal.services import workshop_save

DEMO_SLUG = "oic-central-asia-2012"
DEMO_ZONE = "Europe/Istanbul"

DESCRIPTION = """\
Two days for the technical-cooperation experts of OIC member states, OIC institutions and \
international partners to look closely at how cooperation with the five Central Asian states \
works in practice, and where it stalls.

Each Central Asian state has a working session of its own. The state opens it with the \
programmes under way in the country, the obstacles it meets and what it hopes for; partner \
member states each bring one practice that worked; international institutions explain their \
programmes in the region; an open discussion closes the session.

A final special session weighs what the five country sessions found, asks how cooperation with \
Central Asia can be made more efficient, and sets out partnership models worth trying next."""

# (state, day of the workshop, start, end, chair)
COUNTRY_SESSIONS = (
    ("KZ", 0, datetime.time(9, 30), datetime.time(11, 0), "Director General, COMCEC Coordination Office"),
    ("KG", 0, datetime.time(11, 15), datetime.time(12, 45), "Director General, SESRIC"),
    ("TJ", 0, datetime.time(14, 0), datetime.time(15, 30), "Representative of the Islamic Development Bank"),
    ("TM", 1, datetime.time(9, 30), datetime.time(11, 0), "Representative of the OIC General Secretariat"),
    ("UZ", 1, datetime.time(11, 15), datetime.time(12, 45), "Representative of the Islamic Development Bank"),
)
SPECIAL_SESSION = (1, datetime.time(14, 0), datetime.time(16, 0), "Director General, COMCEC Coordination Office")


@dataclass
class DemoSummary:
    workshop: Workshop
    session_count: int
    organiser_email: str
    organiser_password: str


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return Workshop(time_zone=DEMO_ZONE).local_datetime(day, datetime.time(hour, minute))


def demo_workshop_seed() -> Workshop:
    workshop = Workshop.objects.filter(slug=DEMO_SLUG).first()
    if workshop is not None:
        return workshop
    start = datetime.date(2012, 2, 22)
    workshop = Workshop(
        slug=DEMO_SLUG,
        title="Workshop on Technical Cooperation between OIC Member States and Central Asia",
        host_institution=Institution.objects.get(acronym="CCO"),
        venue="COMCEC Coordination Office, conference hall",
        city="Ankara",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        time_zone=DEMO_ZONE,
        registration_opens_at=_aware(datetime.date(2011, 12, 1), 9),
        registration_closes_at=_aware(datetime.date(2012, 2, 10), 17),
        upload_deadline=_aware(datetime.date(2012, 2, 17), 17),
        capacity=120,
        description=DESCRIPTION,
        is_published=True,
    )
    return workshop_save(workshop=workshop)


def demo_sessions_seed(workshop: Workshop) -> None:
    existing = {(s.kind, s.country_id) for s in workshop.working_sessions.all()}
    states = {state.code.code: state for state in MemberState.objects.central_asian()}
    for code, day, start, end, chair in COUNTRY_SESSIONS:
        state = states[code]
        if (SessionKind.COUNTRY, state.pk) in existing:
            continue
        working_session_create(
            session=WorkingSession(
                workshop=workshop,
                kind=SessionKind.COUNTRY,
                country=state,
                date=workshop.days[day],
                start_time=start,
                end_time=end,
                room="Main hall",
                chair=chair,
            )
        )
    if (SessionKind.SPECIAL, None) not in existing:
        day, start, end, chair = SPECIAL_SESSION
        working_session_create(
            session=WorkingSession(
                workshop=workshop,
                kind=SessionKind.SPECIAL,
                date=workshop.days[day],
                start_time=start,
                end_time=end,
                room="Main hall",
                chair=chair,
            )
        )


def demo_organiser_seed() -> User:
    """An organiser who can log into the admin. The password is reset so the printed login works."""
    user, _ = User.objects.get_or_create(
        email=settings.DEMO_ORGANISER_EMAIL, defaults={"first_name": "Demo", "last_name": "Organiser"}
    )
    user.is_staff = True
    user.is_superuser = True
    user.set_password(settings.DEMO_ORGANISER_PASSWORD)
    user.save()
    return user


@transaction.atomic
def demo_seed() -> DemoSummary:
    workshop = demo_workshop_seed()
    demo_sessions_seed(workshop)
    organiser = demo_organiser_seed()
    return DemoSummary(
        workshop=workshop,
        session_count=workshop.working_sessions.count(),
        organiser_email=organiser.email,
        organiser_password=settings.DEMO_ORGANISER_PASSWORD,
    )
