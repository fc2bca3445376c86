"""What the secretariat and the organisers find on their dashboard: for each workshop, the pages
their role opens (registrations, list of participants, badges) and what the apps above this one
add to it (reports: the proceedings builds and the state of the latest one).

Read in a fixed number of queries whatever the number of workshops, and kept in the page cache
(workshop_portal/page_cache.py) under the stamps of workshops, permissions and builds. An app above
this one adds its part through `add_workshop_part` (from its AppConfig.ready): this app does not
know the apps that build on it.
"""

from functools import cached_property
from typing import Protocol

from django.db.models import QuerySet
from django.utils import timezone

from workshop_portal.models import User, Workshop

# The permission behind each of this app's links (the view checks the same).
LINK_PERMISSIONS = {
    "registrations": "registrations.view_registration",
    "participants": "registrations.view_participant_list",
    "badges": "registrations.add_badgebatch",
    "messages": "communications.add_message",
}


class WorkshopPart(Protocol):
    """What an app above this one shows of each workshop on the staff dashboard."""

    name: str  # its key in StaffDashboard.can
    permission: str  # who sees it
    status_template: str  # a line under the workshop's dates
    links_template: str  # buttons after this app's own

    def annotate(self, workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
        """Adds what the part needs to the one query of the workshops."""

    def attach(self, workshops: list[Workshop]) -> None:
        """Completes the workshops for a person who sees the part, in a fixed number of queries."""

    def under_way(self, workshop: Workshop) -> bool:
        """Whether what it shows of this workshop changes without a signal (then never cached)."""


_parts: list[WorkshopPart] = []


def add_workshop_part(part: WorkshopPart) -> None:
    if all(known.name != part.name for known in _parts):
        _parts.append(part)


class StaffDashboard:
    """Read when first used; a dashboard whose section is in the cache reads nothing."""

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def can(self) -> dict[str, bool]:
        permissions = {**LINK_PERMISSIONS, **{part.name: part.permission for part in _parts}}
        return {link: self.user.has_perm(permission) for link, permission in permissions.items()}

    @property
    def shown(self) -> bool:
        return any(self.can.values())

    @cached_property
    def parts(self) -> list[WorkshopPart]:
        """The parts this person sees, in the order the apps added them."""
        return [part for part in _parts if self.can[part.name]]

    @cached_property
    def workshops(self) -> list[Workshop]:
        """Newest first, each with what the parts this person sees have attached."""
        queryset = Workshop.objects.order_by("-start_date", "title")
        for part in _parts:
            queryset = part.annotate(queryset)
        workshops = list(queryset)
        for part in self.parts:
            part.attach(workshops)
        return workshops

    def valid_until(self):
        """While something a part shows is under way (a build) it changes without a signal: the
        section is then rendered on every visit."""
        if any(part.under_way(workshop) for part in self.parts for workshop in self.workshops):
            return timezone.now()
        return None
