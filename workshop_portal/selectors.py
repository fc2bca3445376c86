from django.db.models import QuerySet

from workshop_portal.models import Workshop


def workshop_list_published() -> QuerySet[Workshop]:
    return Workshop.objects.published().select_related("host_institution").order_by("-start_date", "title")
