"""The audiences of messages (registrations.audiences): each filter and group names the right
people, once per address, without those who unsubscribed from optional messages, and reads the
same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communications.unsubscribe import opt_out
from delegations.models import FocalPoint
from presentations.enums import FileKind, PresentationStatus
from presentations.models import Presentation, PresentationFile
from registrations.audiences import AudienceSpec, audience_members
from registrations.enums import ParticipantCategory, RegistrationStatus
from sessions.enums import SegmentKind
from testkit.factories import (
    UserFactory,
    WorkshopFactory,
    approved_delegate,
    country_session,
    institution_delegate,
    segment_of,
)
from tests.delegations.support import state_delegation

pytestmark = pytest.mark.django_db


def _addresses(workshop, essential=True, **spec):
    return sorted(
        m.address.lower() for m in audience_members(workshop, AudienceSpec.from_json(spec), essential=essential)
    )


def _present(registration, session, *, with_file=False, status=PresentationStatus.SUBMITTED):
    presentation = Presentation.objects.create(
        segment=segment_of(session, SegmentKind.HOST_STATE),
        presenter=registration,
        title="Deck",
        abstract="A",
        status=status,
        workshop=session.workshop,
        presenting_state=registration.member_state,
    )
    if with_file:
        PresentationFile.objects.create(
            presentation=presentation,
            version=1,
            file="presentations/deck.pdf",
            original_name="deck.pdf",
            kind=FileKind.PDF,
            size=1000,
            sha256="0" * 64,
        )
    return presentation


def _user(email, **fields):
    return UserFactory(email=email, **fields)


def test_filters_by_status_category_state_institution_and_check_in():
    workshop = WorkshopFactory()
    kz = approved_delegate(workshop, "KZ", user=_user("kz@example.org"))
    tr = approved_delegate(workshop, "TR", user=_user("tr@example.org"))
    isdb = institution_delegate(workshop, "IsDB")
    approved_delegate(workshop, "KZ", user=_user("waiting@example.org"), status=RegistrationStatus.WAITLISTED)
    approved_delegate(WorkshopFactory(), "KZ", user=_user("elsewhere@example.org"))  # another workshop
    kz.checked_in_at = timezone.now()
    kz.save()
    assert _addresses(workshop) == sorted(["kz@example.org", "tr@example.org", isdb.email])
    assert _addresses(workshop, statuses=["waitlisted"]) == ["waiting@example.org"]
    assert len(_addresses(workshop, statuses=[])) == 4  # every status
    assert _addresses(workshop, categories=[ParticipantCategory.OIC_PARTNER_STATE]) == ["tr@example.org"]
    assert _addresses(workshop, member_states=[kz.member_state_id, tr.member_state_id]) == [
        "kz@example.org",
        "tr@example.org",
    ]
    assert _addresses(workshop, institutions=[isdb.institution_id]) == [isdb.email]
    assert _addresses(workshop, checked_in="yes") == ["kz@example.org"]
    assert _addresses(workshop, checked_in="no") == sorted(["tr@example.org", isdb.email])


def test_presenters_of_a_session_presenters_without_a_file_rapporteurs_and_focal_points():
    workshop = WorkshopFactory()
    kz_session, uz_session = (
        country_session(workshop, "KZ"),
        country_session(workshop, "UZ", start=(11, 0), end=(12, 0)),
    )
    with_file = approved_delegate(workshop, "KZ", user=_user("file@example.org"))
    without = approved_delegate(workshop, "UZ", user=_user("nofile@example.org"))
    withdrawn = approved_delegate(workshop, "KZ", user=_user("withdrawn@example.org"))
    approved_delegate(workshop, "KZ", user=_user("listener@example.org"))
    _present(with_file, kz_session, with_file=True)
    _present(without, uz_session)
    _present(withdrawn, kz_session, status=PresentationStatus.WITHDRAWN)
    assert _addresses(workshop, group="presenters") == ["file@example.org", "nofile@example.org"]
    assert _addresses(workshop, group="presenters", session=kz_session.pk) == ["file@example.org"]
    assert _addresses(workshop, group="presenters_without_file") == ["nofile@example.org"]
    assert _addresses(workshop, group="presenters_without_file", session=kz_session.pk) == []

    kz_session.rapporteur = _user("rapporteur@example.org", language="ru", first_name="Olga")
    kz_session.save()
    [rapporteur] = audience_members(workshop, AudienceSpec.from_json({"group": "rapporteurs"}), essential=True)
    assert (rapporteur.address, rapporteur.language, rapporteur.first_name) == ("rapporteur@example.org", "ru", "Olga")
    assert _addresses(workshop, group="rapporteurs", session=uz_session.pk) == []

    delegation = state_delegation(workshop, "TR", seats=2)
    FocalPoint.objects.create(delegation=delegation, email="invited@example.org", name="Ayse Demir", language="fr")
    account = _user("fp@example.org", language="ar", first_name="Omar")
    FocalPoint.objects.create(
        delegation=state_delegation(workshop, "EG", seats=2), email="fp@example.org", user=account
    )
    members = audience_members(workshop, AudienceSpec.from_json({"group": "focal_points"}), essential=True)
    assert [(m.address, m.language, m.first_name) for m in members] == [
        ("fp@example.org", "ar", "Omar"),
        ("invited@example.org", "fr", "Ayse"),
    ]
    assert _addresses(workshop, group="focal_points", member_states=[delegation.member_state_id]) == [
        "invited@example.org"
    ]


def test_one_copy_per_address_and_no_optional_message_to_who_unsubscribed():
    workshop = WorkshopFactory()
    approved_delegate(workshop, "KZ", user=_user("a@example.org"))
    approved_delegate(workshop, "TR", user=_user("b@example.org"), email="A@example.org")  # same inbox
    approved_delegate(workshop, "UZ", user=_user("c@example.org"))
    approved_delegate(workshop, "TJ", user=_user("d@example.org"))
    opt_out("c@example.org", workshop.pk)
    opt_out("d@example.org", None)
    assert _addresses(workshop) == ["a@example.org", "c@example.org", "d@example.org"]
    assert _addresses(workshop, essential=False) == ["a@example.org"]


def _queries(workshop, spec, essential):
    with CaptureQueriesContext(connection) as queries:
        members = audience_members(workshop, AudienceSpec.from_json(spec), essential=essential)
    return len(members), len(queries)


@pytest.mark.parametrize(
    ("spec", "essential"),
    [({}, False), ({"group": "presenters_without_file"}, True), ({"group": "focal_points"}, False)],
)
def test_the_audience_is_read_in_the_same_number_of_queries_at_any_size(spec, essential):
    counts = []
    for size in (3, 30):
        workshop = WorkshopFactory()
        session = country_session(workshop, "KZ")
        delegation = state_delegation(workshop, "KZ", seats=size)
        for index in range(size):
            registration = approved_delegate(workshop, "KZ", user=_user(f"p{size}-{index}@example.org"))
            _present(registration, session)
            FocalPoint.objects.create(delegation=delegation, email=f"fp{size}-{index}@example.org")
        found, queries = _queries(workshop, spec, essential)
        assert found == size
        counts.append(queries)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 2
