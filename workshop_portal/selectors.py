from django.db.models import QuerySet
from django.http import Http404

from workshop_portal.models import Workshop
from workshop_portal.page_cache import ALL, WORKSHOPS, cached


def workshop_list_published() -> QuerySet[Workshop]:
    return Workshop.objects.published().select_related("host_institution").order_by("-start_date", "title")


def workshop_get_published_cached(*, slug: str) -> Workshop:
    """A published workshop with its host institution, or 404. From the page cache: every request
    to a workshop's public pages reads it, and a save of any workshop or institution renews it."""
    workshop = cached(
        f"published-workshop:{slug}",
        (WORKSHOPS, ALL),
        lambda: (
            Workshop.objects.published()
            .select_related("host_institution", "host_institution__member_state")
            .filter(slug=slug)
            .first(),
            None,
        ),
    )
    if workshop is None:
        raise Http404
    return workshop
