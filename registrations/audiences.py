"""Who a message goes to: an organiser's audience filter turned into the people it names.

A message (communications.Message) stores its audience as a filter (`AudienceSpec`, JSON): the
registrations of its workshop by status, category, member state, institution and check-in, and
optionally one *group*. Groups come from the apps that own them, registered from their
`AppConfig.ready()` through `add_audience_group` (this app sits below them):

- a group that *narrows registrations* (presentations: session presenters, presenters without a
  file) adds a condition to the registrations query (a subquery, never a query of its own);
- a group of *people* outside the registrations (reports: rapporteurs; delegations: focal points)
  lists them in one query; the registration filters do not apply to them.

`audience_members` reads the audience in a fixed number of queries at any size: the people, and
for an optional message the addresses that unsubscribed (communications.unsubscribe), left out.
The result goes down to communications.messages, which never reads registrations.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from communications.messages import AudienceMember
from communications.unsubscribe import opted_out
from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from workshop_portal.models import User, Workshop


@dataclass(frozen=True)
class AudienceGroup:
    key: str
    label: str
    # (registrations, workshop, spec) -> registrations: a condition on the registrations.
    narrow: Callable[[QuerySet, Workshop, "AudienceSpec"], QuerySet] | None = None
    # (workshop, spec) -> members: people who are not (only) registrations.
    people: Callable[[Workshop, "AudienceSpec"], Iterable[AudienceMember]] | None = None
    # The group is about one working session (AudienceSpec.session).
    per_session: bool = False


_groups: dict[str, AudienceGroup] = {}


def add_audience_group(group: AudienceGroup) -> None:
    _groups[group.key] = group


def audience_groups() -> list[AudienceGroup]:
    return list(_groups.values())


@dataclass(frozen=True)
class AudienceSpec:
    """An audience filter as a message stores it: empty lists mean "any"."""

    statuses: tuple[str, ...] = (RegistrationStatus.APPROVED,)
    categories: tuple[str, ...] = ()
    member_states: tuple[int, ...] = ()
    institutions: tuple[int, ...] = ()
    checked_in: str = ""  # "", "yes", "no"
    group: str = ""
    session: int | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict | None) -> "AudienceSpec":
        data = data or {}
        statuses = tuple(s for s in data.get("statuses", [RegistrationStatus.APPROVED]) if s in RegistrationStatus)
        return cls(
            statuses=statuses,
            categories=tuple(c for c in data.get("categories", []) if c in ParticipantCategory),
            member_states=tuple(int(pk) for pk in data.get("member_states", [])),
            institutions=tuple(int(pk) for pk in data.get("institutions", [])),
            checked_in=data.get("checked_in", "") if data.get("checked_in") in ("yes", "no") else "",
            group=data.get("group", "") or "",
            session=int(data["session"]) if data.get("session") else None,
        )

    def to_json(self) -> dict:
        return {
            "statuses": list(self.statuses),
            "categories": list(self.categories),
            "member_states": list(self.member_states),
            "institutions": list(self.institutions),
            "checked_in": self.checked_in,
            "group": self.group,
            "session": self.session,
        }


def audience_registrations(workshop: Workshop, spec: AudienceSpec) -> QuerySet:
    """The registrations of `workshop` the filter names (before any group of people)."""
    registrations = Registration.objects.filter(workshop=workshop)
    if spec.statuses:
        registrations = registrations.filter(status__in=spec.statuses)
    if spec.categories:
        registrations = registrations.filter(category__in=spec.categories)
    if spec.member_states:
        registrations = registrations.filter(member_state_id__in=spec.member_states)
    if spec.institutions:
        registrations = registrations.filter(institution_id__in=spec.institutions)
    if spec.checked_in:
        registrations = registrations.filter(checked_in_at__isnull=spec.checked_in == "no")
    group = _groups.get(spec.group)
    if group is not None and group.narrow is not None:
        registrations = group.narrow(registrations, workshop, spec)
    return registrations


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else ""


def _registration_members(registrations: QuerySet) -> list[AudienceMember]:
    rows = registrations.order_by("participant_name", "pk").values_list(
        "email", "participant_name", "user_id", "user__email", "user__language", "user__first_name"
    )
    return [
        AudienceMember(
            address=email or account_email,
            language=language or _default_language(),
            user_id=user_id,
            first_name=first_name or _first_name(name),
            full_name=name,
        )
        for email, name, user_id, account_email, language, first_name in rows
    ]


def _default_language() -> str:
    return User().email_language  # the portal's default: the rule lives on User


def audience_members(workshop: Workshop, spec: AudienceSpec, *, essential: bool) -> list[AudienceMember]:
    """Every person the filter names, once per address, in a fixed number of queries. For an
    optional (non-essential) message, the addresses that unsubscribed are left out."""
    group = _groups.get(spec.group)
    if group is not None and group.people is not None:
        members = list(group.people(workshop, spec))
    else:
        members = _registration_members(audience_registrations(workshop, spec))
    unique, seen = [], set()
    for member in members:
        key = member.address.lower()
        if member.address and key not in seen:
            seen.add(key)
            unique.append(member)
    if not essential:
        gone = opted_out([member.address for member in unique], workshop.pk)
        unique = [member for member in unique if member.address.lower() not in gone]
    return unique


def member_of_user(user: User) -> AudienceMember:
    """The organiser as a recipient (a test sent to themselves reads as the audience's first)."""
    return AudienceMember(
        address=user.email,
        language=user.email_language,
        user_id=user.pk,
        first_name=user.first_name,
        full_name=user.get_full_name(),
    )
