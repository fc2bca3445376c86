from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from privacy.purge import personal_data_purge_due, retention_days


class Command(BaseCommand):
    help = (
        "Purge the personal data of every workshop that ended more than PERSONAL_DATA_RETENTION_DAYS ago "
        "and was not purged yet: contact, travel, dietary and access details, badge codes and PDFs, "
        "unpublished proceedings builds and unused presentation files. The published proceedings stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be purged, and change nothing.")

    def handle(self, *args, dry_run=False, **options):
        results = personal_data_purge_due(dry_run=dry_run)
        if not results:
            self.stdout.write(f"No workshop is due: none ended more than {retention_days()} days ago unpurged.")
            return
        for workshop, outcome in results:
            if isinstance(outcome, ValidationError):
                self.stdout.write(self.style.WARNING(f"{workshop.slug}: not purged: {' '.join(outcome.messages)}"))
                continue
            verb = "would purge" if dry_run else "purged"
            self.stdout.write(self.style.SUCCESS(f"{workshop.slug}: {verb} {outcome.describe() or 'nothing'}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
