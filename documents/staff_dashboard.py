"""This app's part of the staff dashboard (registrations/staff_dashboard.py): a link to each
workshop's certificates and letters.

No count of documents: the section is cached under the workshops' stamp, which a batch of hundreds
of documents would renew hundreds of times, and with it every public page; the link's page counts.
"""

from django.db.models import QuerySet

from workshop_portal.models import Workshop


class DocumentsOnDashboard:
    name = "documents"
    permission = "documents.view_issueddocument"
    status_template = "documents/_staff_dashboard_status.html"
    links_template = "documents/_staff_dashboard_links.html"

    def annotate(self, workshops: QuerySet[Workshop]) -> QuerySet[Workshop]:
        return workshops

    def attach(self, workshops: list[Workshop]) -> None:
        return None

    def under_way(self, workshop: Workshop) -> bool:
        return False
