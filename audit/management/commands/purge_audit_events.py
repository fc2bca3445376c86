from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from audit.services import audit_purge_expired, retention_days


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (the daily beat job does the same)."

    def handle(self, *args, **options):
        deleted = audit_purge_expired()
        self.stdout.write(
            _("%(count)d audit events older than %(days)d days deleted.") % {"count": deleted, "days": retention_days()}
        )
