"""Writes to the shared domain."""

from django.db import transaction

from workshop_portal.models import Workshop
from workshop_portal.page_cache import WORKSHOPS, workshop_scope
from workshop_portal.page_cache import changed as page_changed


@transaction.atomic
def workshop_save(*, workshop: Workshop) -> Workshop:
    """Create or update a workshop: valid dates and windows, and its sessions still inside its dates."""
    if workshop.pk:
        # Sessions are checked against the new dates; lock so none is added meanwhile.
        Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
    workshop.full_clean()
    workshop.save()
    return workshop


def workshop_set_published(*, workshop: Workshop, published: bool) -> bool:
    """Show or hide a workshop on the public site. Returns whether anything changed."""
    changed = Workshop.objects.filter(pk=workshop.pk).exclude(is_published=published).update(is_published=published)
    workshop.is_published = published
    if changed:  # a queryset update sends no signal: the cached pages are told here
        page_changed(WORKSHOPS, workshop_scope(workshop.pk))
    return bool(changed)
