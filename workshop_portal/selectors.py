from django.db.models import QuerySet
from django.http import Http404

from workshop_portal.models import Workshop
from workshop_portal.page_cache import ALL, WORKSHOPS, cached


def workshop_list_published() -> QuerySet[Workshop]:
    return Workshop.objects.published().select_related("host_institution").order_by("-start_date", "title")


def _first(workshops: QuerySet[Workshop]) -> Workshop | None:
    # The slug is unique: no ORDER BY for .first() to compile and the database to sort by.
    return next(iter(workshops.order_by()[:1]), None)


def workshop_get_published_cached(*, slug: str) -> Workshop:
    """A published workshop with its host institution, or 404. From the page cache: every request
    to a workshop's public pages reads it, and a save of any workshop or institution renews it."""
    workshop = cached(
        f"published-workshop:{slug}",
        (WORKSHOPS, ALL),
        lambda: (_first(Workshop.objects.published().select_related("host_institution").filter(slug=slug)), None),
    )
    if workshop is None:
        raise Http404
    return workshop
