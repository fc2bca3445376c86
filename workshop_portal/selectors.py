import functools

from django.db.models import QuerySet
from django.http import Http404

from workshop_portal.models import INSTITUTION_NAME_FIELDS, Workshop
from workshop_portal.page_cache import ALL, WORKSHOPS, cached

# What the list of workshops shows of each (workshop_portal/_workshop_card.html): a workshop and
# its host have some forty columns, which the read would name, fetch and convert for nothing.
_CARD_FIELDS = (
    "slug", "title", "city", "start_date", "end_date", "host_institution",
    *(f"host_institution__{name}" for name in INSTITUTION_NAME_FIELDS),
)  # fmt: skip


@functools.cache
def _published_cards() -> QuerySet[Workshop]:
    """The read's shape, built once a process (its join and columns cost more to set up than the
    query takes to run); never evaluated itself, each request reads a copy."""
    return (
        Workshop.objects.published()
        .select_related("host_institution")
        .only(*_CARD_FIELDS)
        .order_by("-start_date", "title")
    )


def workshop_list_published() -> QuerySet[Workshop]:
    """The published workshops with their host, newest first: the columns the list shows."""
    return _published_cards().all()


@functools.cache
def _published_with_host() -> QuerySet[Workshop]:
    """Published workshops with their host institution, without ORDER BY: the read's shape, built
    once a process; each request filters a copy for its slug."""
    return Workshop.objects.published().select_related("host_institution").order_by()


def _first(workshops: QuerySet[Workshop]) -> Workshop | None:
    # The slug is unique: no ORDER BY for .first() to compile and the database to sort by.
    return next(iter(workshops[:1]), None)


def workshop_get_published_cached(*, slug: str) -> Workshop:
    """A published workshop with its host institution, or 404. From the page cache: every request
    to a workshop's public pages reads it, and a save of any workshop or institution renews it."""
    workshop = cached(
        f"published-workshop:{slug}",
        (WORKSHOPS, ALL),
        lambda: (_first(_published_with_host().filter(slug=slug)), None),
    )
    if workshop is None:
        raise Http404
    return workshop
