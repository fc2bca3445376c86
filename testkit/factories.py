import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from registrations.enums import DelegationRole, ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from sessions.enums import SegmentKind, SessionKind
from sessions.models import WorkingSession
from sessions.services import working_session_create
from workshop_portal.enums import InstitutionKind
from workshop_portal.models import Institution, MemberState, User, Workshop
from workshop_portal.roles import user_grant_role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Test Cooperation Institute {n}")
    acronym = factory.Sequence(lambda n: f"TCI{n}")
    kind = InstitutionKind.OIC


def member_state(code: str) -> MemberState:
    return MemberState.objects.get(code=code)


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A published two-day workshop a month from now, registration open."""

    class Meta:
        model = Workshop

    slug = factory.Sequence(lambda n: f"workshop-{n}")
    title = factory.Sequence(lambda n: f"Technical Cooperation Workshop {n}")
    host_institution = factory.LazyFunction(lambda: Institution.objects.get(acronym="CCO"))
    venue = "Conference centre"
    city = "Ankara"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda w: w.start_date + datetime.timedelta(days=1))
    time_zone = "Europe/Istanbul"
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    upload_deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=25))
    capacity = 100
    description = "A workshop for the tests."
    is_published = True


def country_session(
    workshop: Workshop, code: str, *, day: int = 0, start=(9, 0), end=(10, 30), **fields
) -> WorkingSession:
    """A country session created through the service, so its segments exist."""
    return working_session_create(
        session=WorkingSession(
            workshop=workshop,
            kind=SessionKind.COUNTRY,
            country=member_state(code),
            date=workshop.start_date + datetime.timedelta(days=day),
            start_time=datetime.time(*start),
            end_time=datetime.time(*end),
            **fields,
        )
    )


def special_session(workshop: Workshop, *, day: int = 1, start=(14, 0), end=(16, 0), **fields) -> WorkingSession:
    return working_session_create(
        session=WorkingSession(
            workshop=workshop,
            kind=SessionKind.SPECIAL,
            date=workshop.start_date + datetime.timedelta(days=day),
            start_time=datetime.time(*start),
            end_time=datetime.time(*end),
            **fields,
        )
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A submitted registration of a Kazakh delegate (override category, state, institution as needed)."""

    class Meta:
        model = Registration

    workshop = factory.SubFactory(WorkshopFactory)
    user = factory.SubFactory(UserFactory)
    participant_name = factory.Faker("name")
    position = "Head of Division"
    category = ParticipantCategory.CENTRAL_ASIAN_STATE
    member_state = factory.LazyFunction(lambda: member_state("KZ"))
    institution = None
    delegation_role = DelegationRole.MEMBER
    email = factory.LazyAttribute(lambda r: r.user.email)
    consent_to_list = True
    status = RegistrationStatus.SUBMITTED


def verified_user(email: str, **fields) -> User:
    """An account that can log in through allauth (its address is verified)."""
    user = UserFactory(email=email, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def staff_user(email: str, role: str) -> User:
    user = verified_user(email)
    user_grant_role(user=user, role=role)
    return user


def approved_delegate(workshop: Workshop, code: str = "KZ", **fields) -> Registration:
    """An approved registration of a delegate of the given member state (or pass category/institution)."""
    defaults = {"member_state": member_state(code)} if code else {}
    if code and not member_state(code).is_central_asian:
        defaults["category"] = ParticipantCategory.OIC_PARTNER_STATE
    defaults = {"status": RegistrationStatus.APPROVED, **defaults, **fields}
    return RegistrationFactory(workshop=workshop, **defaults)


def institution_delegate(workshop: Workshop, acronym: str = "IsDB") -> Registration:
    institution = Institution.objects.get(acronym=acronym)
    return RegistrationFactory(
        workshop=workshop,
        status=RegistrationStatus.APPROVED,
        category=ParticipantCategory.OIC_INSTITUTION
        if institution.kind == InstitutionKind.OIC
        else ParticipantCategory.INTERNATIONAL_INSTITUTION,
        member_state=None,
        institution=institution,
    )


def segment_of(session: WorkingSession, kind: str):
    return session.segments.get(kind=kind)


def host_state_presentation(code: str = "KZ", title: str = "Deck", **workshop_fields):
    """A draft presentation by an approved delegate of `code`, in its own country session's first segment."""
    from presentations.models import Presentation
    from presentations.services import presentation_create

    workshop = WorkshopFactory(**workshop_fields)
    session = country_session(workshop, code)
    presenter = approved_delegate(workshop, code)
    return presentation_create(
        presentation=Presentation(
            presenter=presenter, segment=segment_of(session, SegmentKind.HOST_STATE), title=title, abstract="A"
        ),
        by=presenter.user,
    )
