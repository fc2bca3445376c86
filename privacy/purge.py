"""The retention purge: once PERSONAL_DATA_RETENTION_DAYS have passed after a workshop, what no
longer justifies keeping goes (each source says what), in one transaction; the record and the
published proceedings stay."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop_portal import personal_data
from workshop_portal.dates import format_day
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup

logger = logging.getLogger(__name__)


def retention_days() -> int:
    return max(0, settings.PERSONAL_DATA_RETENTION_DAYS)


def workshop_purge_allowed_from(workshop: Workshop) -> datetime.date:
    """The first day a workshop's personal data may be purged: the retention period after its last day."""
    return workshop.end_date + datetime.timedelta(days=retention_days() + 1)


def workshop_purge_personal_data(*, workshop: Workshop, by: User | None, dry_run: bool = False) -> Cleanup:
    """Blank what the retention period no longer justifies; keep the record and the published proceedings.

    Refused (ValidationError) before the retention period is over. Running it again purges nothing
    more. With `dry_run`, everything happens and is rolled back: the counts say what would go.
    """
    if by is not None and not by.has_perm("workshop_portal.purge_personal_data"):
        raise PermissionDenied
    allowed_from = workshop_purge_allowed_from(workshop)
    if timezone.localdate() < allowed_from:
        raise ValidationError(
            _(
                "The personal data of this workshop is kept for %(days)d days after it ends: "
                "it can be purged from %(date)s."
            )
            % {"days": retention_days(), "date": format_day(allowed_from)},
            code="retention",
        )
    with transaction.atomic():
        current = Workshop.objects.select_for_update().get(pk=workshop.pk)
        cleanup = Cleanup(by=by)
        for source in reversed(personal_data.sources()):
            if source.purge_workshop is not None:
                source.purge_workshop(current, cleanup)
        if dry_run:
            transaction.set_rollback(True)
            return cleanup
        if cleanup.changed or current.personal_data_purged_at is None:
            current.personal_data_purged_at = cleanup.now
            current.save(update_fields=["personal_data_purged_at", "updated_at"])
        cleanup.schedule_file_deletion()
    workshop.personal_data_purged_at = current.personal_data_purged_at
    return cleanup


def workshops_due_for_purge():
    """Workshops past the retention period whose personal data was never purged."""
    last_day = timezone.localdate() - datetime.timedelta(days=retention_days() + 1)
    return Workshop.objects.filter(end_date__lte=last_day, personal_data_purged_at__isnull=True).order_by("end_date")


def personal_data_purge_due(*, dry_run: bool = False) -> list[tuple[Workshop, Cleanup | ValidationError]]:
    """Purge every workshop due (the scheduler's job); one workshop's refusal does not stop the others."""
    results = []
    for workshop in workshops_due_for_purge():
        try:
            cleanup = workshop_purge_personal_data(workshop=workshop, by=None, dry_run=dry_run)
        except ValidationError as error:
            logger.warning("personal data of workshop %s not purged: %s", workshop.slug, " ".join(error.messages))
            results.append((workshop, error))
        else:
            if not dry_run:
                logger.info("personal data of workshop %s purged: %s", workshop.slug, cleanup.describe() or "-")
            results.append((workshop, cleanup))
    return results
