"""Reads of registrations, shaped so each page costs the same number of queries at any size."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from workshop_portal.collation import collation_key
from workshop_portal.models import INSTITUTION_NAME_FIELDS, Institution, User, Workshop, member_state_name
from workshop_portal.page_cache import ALL, cached, person_scope
from workshop_portal.roles import permissions_held

# What the apps above this one show with each of a person's registrations (presentations: its
# presentations and their files), as prefetch lookups from the registrations. Filled from their
# AppConfig.ready: this app does not know the apps that build on it.
_registration_contents: list[Callable[[], list[Prefetch | str]]] = []


def add_registration_contents(lookups: Callable[[], list[Prefetch | str]]) -> None:
    if lookups not in _registration_contents:
        _registration_contents.append(lookups)
        _registrations_shape.cache_clear()
        _dashboard_shape.cache_clear()


def registrations_of_user(*, user: User) -> QuerySet[Registration]:
    """A person's registrations for their dashboard, newest workshop first, each with its workshop,
    the state and institution it names (Registration.delegation_parts) and what the apps above
    show with it (its presentations)."""
    return _registrations_shape().filter(user=user)


@functools.cache
def _registrations_shape() -> QuerySet[Registration]:
    """registrations_of_user's read without its person: built once a process (its joins, columns
    and the apps' prefetches cost more to set up than the queries take to run), filtered per
    person. The apps register their contents from their AppConfig.ready, before any request."""
    return (
        Registration.objects.select_related("workshop", "member_state", "institution")
        .prefetch_related(*(lookup for contents in _registration_contents for lookup in contents()))
        .order_by("-workshop__start_date")
    )


# What the dashboard shows of each registration, its workshop, state and institution
# (registrations/dashboard.html and the apps' parts of it): some sixty columns fewer to name,
# fetch and convert than the whole rows.
_DASHBOARD_FIELDS = (
    "workshop", "user", "status", "category", "member_state", "institution",
    "workshop__slug", "workshop__title", "workshop__start_date", "workshop__end_date", "workshop__city",
    "member_state__code", *(f"institution__{name}" for name in INSTITUTION_NAME_FIELDS),
)  # fmt: skip


@functools.cache
def _dashboard_shape() -> QuerySet[Registration]:
    """registrations_of_user's read with only the columns the dashboard shows, built once a process."""
    return _registrations_shape().only(*_DASHBOARD_FIELDS)


def registration_get_own(*, user: User, pk: int) -> Registration | None:
    """A delegate's own registration; someone else's is as good as missing (404, not 403). Its
    pages (details, edit, cancel) show none of the presentations the dashboard lists with it."""
    return (
        Registration.objects.filter(user=user, pk=pk)
        .select_related("workshop", "member_state", "institution", "institution__member_state")
        .first()
    )


def registration_status_counts(*, queryset: QuerySet[Registration]) -> dict[str, int]:
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in RegistrationStatus.values}


def user_is_approved_participant(*, user: User, workshop: Workshop) -> bool:
    return (
        user.is_authenticated
        and Registration.objects.filter(workshop=workshop, user=user, status=RegistrationStatus.APPROVED).exists()
    )


class ListedParticipant(NamedTuple):
    """One line of the list of participants (page and PDF): what it shows of a registration."""

    display_name: str
    position: str
    delegation_role: str


@dataclass
class InstitutionGroup:
    heading: str
    participants: list[ListedParticipant] = field(default_factory=list)


@dataclass
class DelegationGroup:
    heading: str
    institutions: list[InstitutionGroup] = field(default_factory=list)

    @property
    def size(self):
        return sum(len(group.participants) for group in self.institutions)


# Institutional delegations come after the member states, in this order.
_NON_STATE_ORDER = [
    ParticipantCategory.OIC_INSTITUTION,
    ParticipantCategory.INTERNATIONAL_INSTITUTION,
    ParticipantCategory.OBSERVER,
    ParticipantCategory.SECRETARIAT,
]
_NON_STATE_HEADINGS = {
    ParticipantCategory.OIC_INSTITUTION: ParticipantCategory.OIC_INSTITUTION.label,
    ParticipantCategory.INTERNATIONAL_INSTITUTION: ParticipantCategory.INTERNATIONAL_INSTITUTION.label,
    ParticipantCategory.OBSERVER: ParticipantCategory.OBSERVER.label,
    ParticipantCategory.SECRETARIAT: ParticipantCategory.SECRETARIAT.label,
}
_LISTED_FIELDS = (
    "honorific", "participant_name", "position", "delegation_role", "category", "member_state__code",
    "institution_id", "institution__member_state__code", *(f"institution__{name}" for name in INSTITUTION_NAME_FIELDS),
)  # fmt: skip


class _Headings:
    """The delegation key and the institution heading of each line, worked out once per state, per
    category and per institution of the list, not once per delegate (a state's name is translated,
    and keyed)."""

    def __init__(self):
        self.states: dict[str, tuple] = {}
        self.categories: dict[str, tuple] = {}
        self.institutions: dict[int, str] = {}

    def delegation(self, state_code: str | None, category: str) -> tuple:
        if state_code:
            key = self.states.get(state_code)
            if key is None:
                name = member_state_name(state_code)
                key = self.states[state_code] = (0, collation_key(name), name)
            return key
        key = self.categories.get(category)
        if key is None:
            kind = ParticipantCategory(category)
            if kind in (ParticipantCategory.CENTRAL_ASIAN_STATE, ParticipantCategory.OIC_PARTNER_STATE):
                kind = ParticipantCategory.OBSERVER
            key = self.categories[category] = (1, _NON_STATE_ORDER.index(kind), str(_NON_STATE_HEADINGS[kind]))
        return key

    def institution(self, pk: int | None, names: list[str]) -> str:
        if not pk:
            return ""
        heading = self.institutions.get(pk)
        if heading is None:
            institution = Institution(pk=pk, **dict(zip(INSTITUTION_NAME_FIELDS, names, strict=True)))
            heading = self.institutions[pk] = institution.localized_name
        return heading


@functools.cache
def _listed_rows() -> QuerySet[Registration]:
    """The listed registrations' columns the list shows: the read's shape, built once a process (its
    joins and columns cost more to set up than the query takes to run); each workshop filters a
    copy. Sorted in Python, by names as a reader sorts them: no ORDER BY (the default one joins the
    workshop)."""
    return Registration.objects.listed().order_by().values_list(*_LISTED_FIELDS)


def participant_list(*, workshop: Workshop) -> list[DelegationGroup]:
    """Approved participants who consented, grouped by member state then institution.

    Member states come first, sorted by their name as a reader of the active language sorts; OIC institutions,
    international institutions, observers and the secretariat follow. Heads of delegation lead
    their group. One query, whatever the size, read as values: a list of hundreds does not build
    a registration, its state and its institution for each line.
    """
    rows = _listed_rows().filter(workshop=workshop)
    headings = _Headings()
    language = get_language() or settings.LANGUAGE_CODE  # asked once, not for each of hundreds of names
    groups: dict[tuple, dict[str, list[tuple]]] = {}
    for honorific, name, position, role, category, state_code, institution_id, institution_state, *names in rows:
        # The state the delegate speaks for, directly or through a national institution (as represented_state).
        key = headings.delegation(state_code or institution_state, category)
        institution = headings.institution(institution_id, names)
        line = ListedParticipant(display_name=f"{honorific} {name}".strip(), position=position, delegation_role=role)
        order = (role != "head", collation_key(name, language))  # heads of delegation first
        groups.setdefault(key, {}).setdefault(institution, []).append((*order, line))

    result = []
    for key in sorted(groups):
        delegation = DelegationGroup(heading=key[2])
        for institution in sorted(groups[key], key=lambda name: (name != "", collation_key(name, language))):
            people = [line for *_order, line in sorted(groups[key][institution], key=lambda entry: entry[:2])]
            delegation.institutions.append(InstitutionGroup(heading=institution, participants=people))
        result.append(delegation)
    return result


def approved_registrations_for_badges(*, workshop: Workshop) -> list[Registration]:
    """Every approved delegate, consent or not: a badge is for the door, not for publication."""
    return list(
        Registration.objects.approved()
        .filter(workshop=workshop)
        .select_related("member_state", "institution", "institution__member_state")
        .order_by("participant_name")
    )


@dataclass(frozen=True)
class ParticipantListAccess:
    may_see: bool
    can_download: bool


VIEW_PARTICIPANT_LIST = "registrations.view_participant_list"
DOWNLOAD_PARTICIPANT_LIST = "registrations.download_participant_list"


def participant_list_access(*, user: User, workshop: Workshop) -> ParticipantListAccess:
    """Whether a person may see a workshop's list of participants (an approved participant, or a
    holder of the permission) and download it. Kept in the page cache until their registrations
    or anyone's permissions change: it is asked on every view of the list."""

    def decide():
        held = permissions_held(user, (VIEW_PARTICIPANT_LIST, DOWNLOAD_PARTICIPANT_LIST))
        access = ParticipantListAccess(
            may_see=VIEW_PARTICIPANT_LIST in held or user_is_approved_participant(user=user, workshop=workshop),
            can_download=DOWNLOAD_PARTICIPANT_LIST in held,
        )
        return access, None

    key = f"participant-list-access:{user.pk}:{workshop.pk}"
    return cached(key, (person_scope(user.pk), ALL), decide)


class ParticipantListing:
    """A workshop's list of participants, read when first used: a page whose list is in the
    cache reads nothing."""

    def __init__(self, workshop: Workshop):
        self.workshop = workshop

    @cached_property
    def groups(self) -> list[DelegationGroup]:
        return participant_list(workshop=self.workshop)

    @cached_property
    def total(self) -> int:
        return sum(group.size for group in self.groups)


class Dashboard:
    """What a delegate's dashboard shows, read when first used: their registrations (newest
    workshop first) and the published workshops still open to them."""

    def __init__(self, user: User):
        self.user = user
        self.now = timezone.now()

    @cached_property
    def registrations(self) -> list[Registration]:
        # Whether they are a rapporteur is read with them (the same for each row): a query less.
        rapporteur = Exists(self.user.rapporteur_sessions.order_by())
        return list(_dashboard_shape().filter(user=self.user).annotate(user_is_rapporteur=rapporteur))

    @cached_property
    def is_rapporteur(self) -> bool:
        """Whether they are the rapporteur of a session (the dashboard links to their reports)."""
        if self.registrations:
            return bool(self.registrations[0].user_is_rapporteur)
        return self.user.rapporteur_sessions.exists()  # no registration to read it with

    @cached_property
    def _windows_not_closed(self) -> list[Workshop]:
        return list(Workshop.objects.published().filter(registration_closes_at__gt=self.now).order_by("start_date"))

    @cached_property
    def open_workshops(self) -> list[Workshop]:
        registered = {registration.workshop_id for registration in self.registrations}
        return [
            workshop
            for workshop in self._windows_not_closed
            if workshop.registration_opens_at <= self.now and workshop.pk not in registered
        ]

    @cached_property
    def has_approved(self) -> bool:
        return any(registration.status == RegistrationStatus.APPROVED for registration in self.registrations)

    def valid_until(self):
        """The next moment a workshop's registration opens or closes: the list of open ones changes."""
        moments = [
            moment
            for workshop in self._windows_not_closed
            for moment in (workshop.registration_opens_at, workshop.registration_closes_at)
            if moment > self.now
        ]
        return min(moments, default=None)


# --- Audiences of the scheduled reminders (reports/reminders.py) --------------------------------

_REMINDER_USER_FIELDS = ("id", "email", "language", "first_name", "last_name")


def reminder_unregistered_people(*, workshop: Workshop) -> QuerySet[User]:
    """People with an active account (organisers aside) who have confirmed their address and have
    not registered for `workshop`, in any status: whom "registration closes soon" is for. An address
    nobody confirmed may be a stranger's, typed by someone else at sign-up: it gets nothing from us
    but the confirmation link. One query."""
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return (
        User.objects.filter(Exists(confirmed), is_active=True, is_staff=False)
        .exclude(registrations__workshop=workshop)
        .only(*_REMINDER_USER_FIELDS)
        .order_by("pk")
    )


def reminder_approved_participants(*, workshop: Workshop) -> list[User]:
    """The approved participants of `workshop` (the day before it starts), each with
    `reminder_address`: the registration's contact address, as every registration email uses,
    else the account's. One query."""
    registrations = (
        Registration.objects.filter(workshop=workshop, status=RegistrationStatus.APPROVED, user__is_active=True)
        .select_related("user")
        .only("email", *(f"user__{name}" for name in _REMINDER_USER_FIELDS))
        .order_by("user_id")
    )
    people = []
    for registration in registrations:
        registration.user.reminder_address = registration.email or registration.user.email
        people.append(registration.user)
    return people
