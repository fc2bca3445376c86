"""Writes to the shared domain."""

from collections.abc import Callable

from django.db import transaction

from workshop_portal.models import Workshop
from workshop_portal.page_cache import WORKSHOPS, workshop_scope
from workshop_portal.page_cache import changed as page_changed

_on_created: list[Callable[[Workshop], None]] = []


def add_workshop_created(callback: Callable[[Workshop], None]) -> None:
    """Hook: an app above this one lays out its part of a new workshop (delegations: the default
    quotas), in the transaction that creates it."""
    if callback not in _on_created:
        _on_created.append(callback)


@transaction.atomic
def workshop_save(*, workshop: Workshop) -> Workshop:
    """Create or update a workshop: valid dates and windows, and its sessions still inside its dates."""
    if workshop.pk:
        # Sessions are checked against the new dates; lock so none is added meanwhile.
        Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
    created = workshop.pk is None
    workshop.full_clean()
    workshop.save()
    if created:
        for callback in _on_created:
            callback(workshop)
    return workshop


def workshop_set_published(*, workshop: Workshop, published: bool) -> bool:
    """Show or hide a workshop on the public site. Returns whether anything changed."""
    changed = Workshop.objects.filter(pk=workshop.pk).exclude(is_published=published).update(is_published=published)
    workshop.is_published = published
    if changed:  # a queryset update sends no signal: the cached pages are told here
        page_changed(WORKSHOPS, workshop_scope(workshop.pk))
    return bool(changed)
