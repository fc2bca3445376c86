"""The demo workshop: Ankara, 22-23 February 2012, hosted by the COMCEC Coordination Office.

Everything about that workshop lives here and nowhere else; the portal itself knows no dates,
places or states. Seeding creates what is missing and leaves what exists alone, so running it
twice changes nothing.
"""

import datetime
import functools
from collections import Counter
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import timezone

from delegations.services import delegation_of, delegation_save
from demo.delegations import demo_delegations_seed
from demo.documents import demo_documents_seed, demo_letter_documents_seed
from demo.files import demo_pdf, demo_pptx, photo_deck_pdf
from demo.followup import demo_followup_seed
from demo.letters import demo_letters_seed, demo_visa_requests_seed
from demo.people import (
    ANKARA_DELEGATES,
    ANKARA_PRESENTATIONS,
    COUNTRY_REPORT,
    DEMO_NATIONAL_INSTITUTIONS,
    SLIDES_BY_SEGMENT,
    SPECIAL_REPORT,
    UPCOMING_DELEGATES,
)
from demo.surveys import demo_surveys_seed
from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_accept_upload, presentation_create, presentation_decide
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.services import (
    registration_approve,
    registration_cancel,
    registration_decline,
    registration_submit,
)
from reports.models import SessionReport
from reports.services import report_save
from sessions.enums import SessionKind
from sessions.models import Segment, WorkingSession
from sessions.services import working_session_create
from workshop_portal.enums import InstitutionKind
from workshop_portal.models import Institution, MemberState, User, Workshop
from workshop_portal.roles import SECRETARIAT, user_grant_role
from workshop_portal.services import workshop_save

DEMO_SLUG = "oic-central-asia-2012"
UPCOMING_SLUG = "oic-central-asia-follow-up"
DEMO_ZONE = "Europe/Istanbul"
# Small enough that the demo shows a waiting list.
DEMO_CAPACITY = 36

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
    upcoming: Workshop
    session_count: int
    registration_counts: dict
    password: str
    organiser_email: str
    secretariat_email: str
    delegate_email: str
    focal_point_emails: list[str]
    certificate_code: str = ""  # the demo delegate's certificate of attendance, for /verify/<code>/
    prepared: Workshop | None = None  # the next workshop of the series, prepared from 2012 by cloning


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
        capacity=DEMO_CAPACITY,
        description=DESCRIPTION,
        is_published=True,
    )
    return workshop_save(workshop=workshop)


def demo_upcoming_workshop_seed() -> Workshop:
    """A follow-up workshop three months from now, open for registration, so delegates can try it."""
    workshop = Workshop.objects.filter(slug=UPCOMING_SLUG).first()
    if workshop is not None:
        return workshop
    today = timezone.localdate()
    start = today + datetime.timedelta(days=90)
    workshop = Workshop(
        slug=UPCOMING_SLUG,
        title="Follow-up Workshop on Partnership Models with Central Asia (demo)",
        host_institution=Institution.objects.get(acronym="SESRIC"),
        venue="SESRIC conference hall",
        city="Ankara",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        time_zone=DEMO_ZONE,
        registration_opens_at=_aware(today - datetime.timedelta(days=30), 9),
        registration_closes_at=_aware(start - datetime.timedelta(days=20), 17),
        upload_deadline=_aware(start - datetime.timedelta(days=7), 17),
        capacity=80,
        description=(
            "A demo of the next workshop of the same secretariat: registration is open, so you can sign up, "
            "register on behalf of a member state or an institution, and follow your registration."
        ),
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


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose; the demo's accounts share one password, so hash it once.
    return make_password(settings.DEMO_ORGANISER_PASSWORD)


def _demo_user(email: str, first_name: str, last_name: str) -> User:
    """A demo account with a verified address (allauth lets no one log in without one).

    The password is reset on every run so the printed logins work.
    """
    user, _ = User.objects.get_or_create(email=email, defaults={"first_name": first_name, "last_name": last_name})
    user.password = _demo_password_hash()
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_organiser_seed() -> User:
    """The organiser: a superuser, so every corner of the admin can be explored."""
    user = _demo_user(settings.DEMO_ORGANISER_EMAIL, "Demo", "Organiser")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def demo_institutions_seed() -> dict[str, Institution]:
    states = {state.code.code: state for state in MemberState.objects.all()}
    for name, acronym, code in DEMO_NATIONAL_INSTITUTIONS:
        Institution.objects.get_or_create(
            name=name, defaults={"acronym": acronym, "kind": InstitutionKind.NATIONAL, "member_state": states[code]}
        )
    return {i.acronym: i for i in Institution.objects.exclude(acronym="")}


def _email_for(name: str, index: int) -> str:
    return f"delegate{index:02d}@demo.example.org"


def demo_registrations_seed(workshop: Workshop, people, *, organiser: User, decide: bool, offset: int = 0) -> None:
    """Register the people (once), then, for the past workshop, decide as the organisers did."""
    if workshop.registrations.exists():
        return
    institutions = demo_institutions_seed()
    states = {state.code.code: state for state in MemberState.objects.all()}
    registrations = []
    for index, (name, honorific, position, category, code, acronym, role) in enumerate(people, start=offset + 1):
        first, _, last = name.partition(" ")
        user = _demo_user(_email_for(name, index), first, last)
        registration = Registration(
            workshop=workshop,
            user=user,
            participant_name=name,
            honorific=honorific,
            position=position,
            category=category,
            member_state=states[code] if code else None,
            institution=institutions.get(acronym) if acronym else None,
            delegation_role=role,
            email=user.email,
            arrival_date=workshop.start_date - datetime.timedelta(days=1),
            departure_date=workshop.end_date + datetime.timedelta(days=1),
            consent_to_list=index % 9 != 0,
        )
        # The organiser registers them, so the past workshop's closed window does not stand in the way.
        registrations.append(registration_submit(registration=registration, by=organiser, notify=False))
    if not decide:
        return
    demo_quotas_fit(registrations)
    for registration in registrations[:-4]:
        registration_approve(registration=registration, by=organiser, notify=False)
    registration_decline(registration=registrations[-4], by=organiser, notify=False)
    # One approved delegate withdrew; the first on the waiting list took the seat.
    registration_cancel(registration=registrations[2], by=registrations[2].user, notify=False)


def demo_quotas_fit(registrations: list[Registration]) -> None:
    """The past workshop ran before quotas: each delegation offers a seat to every delegate it sent,
    so the organisers' decisions follow the capacity alone, as they did."""
    wanted = Counter()
    delegations = {}
    for registration in registrations:
        delegation = delegation_of(registration)
        if delegation is not None:
            wanted[delegation.pk] += 1
            delegations[delegation.pk] = delegation
    for pk, count in wanted.items():
        delegation = delegations[pk]
        if delegation.seats < count:
            delegation.seats = count
            delegation_save(delegation=delegation)


def demo_presentations_seed(workshop: Workshop, *, organiser: User) -> None:
    """The decks of the Ankara workshop, uploaded by the organiser on the presenters' behalf."""
    if Presentation.objects.filter(workshop=workshop).exists():
        return
    presenters = {r.participant_name: r for r in workshop.registrations.filter(status=RegistrationStatus.APPROVED)}
    segments = {
        (segment.session.country.code.code, segment.kind): segment
        for segment in Segment.objects.filter(
            session__workshop=workshop, session__kind=SessionKind.COUNTRY
        ).select_related("session__country")
    }
    for name, code, kind, title, file_format, status in ANKARA_PRESENTATIONS:
        presenter = presenters[name]
        presentation = presentation_create(
            presentation=Presentation(
                segment=segments[(code, kind)],
                presenter=presenter,
                title=title,
                abstract=_demo_abstract(title, presenter),
            ),
            by=organiser,
        )
        slides = SLIDES_BY_SEGMENT[kind]
        byline = f"{presenter.display_name}, {presenter.delegation}"
        if file_format == "pptx":
            upload = SimpleUploadedFile("slides.pptx", demo_pptx(title, byline, slides))
        elif file_format == "photos":
            # Three photographs at 220 dpi (3.5 MB): above the web edition's 150 dpi, so it shrinks them.
            deck = photo_deck_pdf(3, title=f"{title}: the field visit", dpi=220, seed=len(title))
            upload = SimpleUploadedFile(f"{title[:40]}.pdf", deck)
        else:
            upload = SimpleUploadedFile(f"{title[:40]}.pdf", demo_pdf(title, byline, slides))
        presentation_accept_upload(presentation=presentation, uploaded_file=upload, by=organiser)
        if status == PresentationStatus.ACCEPTED:
            presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser)


def _demo_abstract(title: str, presenter: Registration) -> str:
    return (
        f"{presenter.display_name} ({presenter.delegation}) presents “{title}”: what was done, with which "
        "partners, what stood in the way, and what the experience suggests for cooperation between OIC "
        "member states and Central Asia."
    )


def demo_reports_seed(workshop: Workshop, *, organiser: User) -> None:
    """A rapporteur per session and a final report for each, so the proceedings read like the real thing."""
    if SessionReport.objects.filter(session__workshop=workshop).exists():
        return
    for index, session in enumerate(workshop.working_sessions.select_related("country").order_by("date", "start_time")):
        rapporteur = _demo_user(f"rapporteur{index + 1}@demo.example.org", "Rapporteur", str(index + 1))
        session.rapporteur = rapporteur
        session.save(update_fields=["rapporteur"])
        texts = SPECIAL_REPORT if session.kind == SessionKind.SPECIAL else COUNTRY_REPORT
        state = session.country.name if session.country_id else ""
        report = SessionReport(session=session, is_final=True)
        for name, text in texts.items():
            setattr(report, name, text.format(state=state))
        report_save(report=report, by=organiser)


def demo_secretariat_seed() -> User:
    user = _demo_user("secretariat@demo.example.org", "Demo", "Secretariat")
    user_grant_role(user=user, role=SECRETARIAT)
    return user


@transaction.atomic
def demo_seed() -> DemoSummary:
    workshop = demo_workshop_seed()
    demo_sessions_seed(workshop)
    upcoming = demo_upcoming_workshop_seed()
    demo_sessions_seed(upcoming)
    organiser = demo_organiser_seed()
    secretariat = demo_secretariat_seed()
    demo_registrations_seed(workshop, ANKARA_DELEGATES, organiser=organiser, decide=True)
    demo_registrations_seed(
        upcoming, UPCOMING_DELEGATES, organiser=organiser, decide=False, offset=len(ANKARA_DELEGATES)
    )
    focal_points = demo_delegations_seed(upcoming, organiser=organiser, make_user=_demo_user)
    demo_letters_seed(workshop)
    demo_letters_seed(upcoming)
    demo_visa_requests_seed(workshop)
    demo_presentations_seed(workshop, organiser=organiser)
    demo_reports_seed(workshop, organiser=organiser)
    certificate = demo_documents_seed(workshop, organiser=organiser, delegate_email=_email_for("", 1))
    demo_letter_documents_seed(workshop, upcoming, organiser=organiser)
    demo_surveys_seed(workshop)  # a closed evaluation answered by the approved delegates
    # Recommendations followed up, the cooperation board, the next workshop prepared by cloning.
    prepared = demo_followup_seed(workshop, upcoming, organiser=organiser)
    counts = dict(
        workshop.registrations.order_by()
        .values_list("status")
        .annotate(n=models.Count("pk"))
        .values_list("status", "n")
    )
    return DemoSummary(
        workshop=workshop,
        upcoming=upcoming,
        session_count=workshop.working_sessions.count(),
        registration_counts={RegistrationStatus(k).label: v for k, v in sorted(counts.items())},
        password=settings.DEMO_ORGANISER_PASSWORD,
        organiser_email=organiser.email,
        secretariat_email=secretariat.email,
        delegate_email=_email_for("", 1),
        focal_point_emails=focal_points,
        certificate_code=certificate.code if certificate else "",
        prepared=prepared,
    )
