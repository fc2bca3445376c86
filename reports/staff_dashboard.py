"""This app's part of the staff dashboard (registrations/staff_dashboard.py): each workshop's
proceedings builds, the state of its latest build and its published proceedings."""

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from reports.models import ProceedingsBuild
from workshop_portal.models import Workshop


class ProceedingsOnDashboard:
    name = "proceedings"
    permission = "reports.view_proceedingsbuild"
    status_template = "reports/_staff_dashboard_status.html"
    links_template = "reports/_staff_dashboard_links.html"

    def annotate(self, workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
        builds = ProceedingsBuild.objects.filter(workshop=OuterRef("pk"))
        return workshops.annotate(
            latest_build_id=Subquery(builds.order_by("-created_at", "-pk").values("pk")[:1]),
            has_published_proceedings=Exists(builds.filter(is_published=True)),
        )

    def attach(self, workshops: list[Workshop]) -> None:
        """Each workshop's `latest_build` (or None), in one query."""
        wanted = [workshop.latest_build_id for workshop in workshops if workshop.latest_build_id]
        latest = {
            build.pk: build
            for build in ProceedingsBuild.objects.filter(pk__in=wanted).only(
                "pk", "workshop_id", "status", "page_count", "is_published", "created_at", "finished_at"
            )
        }
        for workshop in workshops:
            workshop.latest_build = latest.get(workshop.latest_build_id)

    def under_way(self, workshop: Workshop) -> bool:
        # The pipeline updates a build's row in place, without a signal.
        return bool(workshop.latest_build and workshop.latest_build.is_pending)
