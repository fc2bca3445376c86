"""What the secretariat and the organisers find on their dashboard: for each workshop, the pages
their role opens (registrations, list of participants, badges, proceedings builds, the published
proceedings) and the state of its latest proceedings build.

Read in a fixed number of queries whatever the number of workshops and builds, and kept in the
page cache (workshop_portal/page_cache.py) under the stamps of workshops, permissions and builds.
Builds are read through the app registry: the proceedings app builds on this one, not the reverse.
"""

from functools import cached_property

from django.apps import apps
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from workshop_portal.models import User, Workshop

# The permission behind each link (the view checks the same).
LINK_PERMISSIONS = {
    "registrations": "registrations.view_registration",
    "participants": "registrations.view_participant_list",
    "badges": "registrations.add_badgebatch",
    "proceedings": "reports.view_proceedingsbuild",
}


class StaffDashboard:
    """Read when first used; a dashboard whose section is in the cache reads nothing."""

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def can(self) -> dict[str, bool]:
        return {link: self.user.has_perm(permission) for link, permission in LINK_PERMISSIONS.items()}

    @property
    def shown(self) -> bool:
        return any(self.can.values())

    @cached_property
    def workshops(self) -> list[Workshop]:
        """Newest first, each with `latest_build` (or None) and `has_published_proceedings`."""
        builds = apps.get_model("reports", "ProceedingsBuild").objects
        workshops = list(
            Workshop.objects.order_by("-start_date", "title").annotate(
                latest_build_id=Subquery(
                    builds.filter(workshop=OuterRef("pk")).order_by("-created_at", "-pk").values("pk")[:1]
                ),
                has_published_proceedings=Exists(builds.filter(workshop=OuterRef("pk"), is_published=True)),
            )
        )
        if not self.can["proceedings"]:
            return workshops
        wanted = [w.latest_build_id for w in workshops if w.latest_build_id]
        latest = {
            build.pk: build
            for build in builds.filter(pk__in=wanted).only(
                "pk", "workshop_id", "status", "page_count", "is_published", "created_at", "finished_at"
            )
        }
        for workshop in workshops:
            workshop.latest_build = latest.get(workshop.latest_build_id)
        return workshops

    def valid_until(self):
        """While a build is under way its state changes without a signal (the pipeline updates its
        row in place): the section is then rendered on every visit."""
        if any(getattr(w, "latest_build", None) and w.latest_build.is_pending for w in self.workshops):
            return timezone.now()
        return None
