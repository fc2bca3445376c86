"""`manage.py neutralise_stored_files`: rewrite the files stored before neutralising existed.

Run once after upgrading (the scheduler also does it, a batch every ten minutes). See
presentations/stored_files.py.
"""

from django.core.management.base import BaseCommand

from presentations.stored_files import neutralise_stored_files


class Command(BaseCommand):
    help = "Rewrite presentation files stored before neutralising existed; withhold those today's rules refuse."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the files still to rewrite.")
        parser.add_argument("--limit", type=int, default=None, help="Rewrite at most this many files.")

    def handle(self, *args, dry_run=False, limit=None, **options):
        report = neutralise_stored_files(limit=limit, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{report.remaining} stored file(s) to rewrite.")
            return
        for pk, reason in report.withheld.items():
            self.stdout.write(self.style.WARNING(f"presentation file {pk} withheld: {reason}"))
        done, withheld = len(report.neutralised), len(report.withheld)
        self.stdout.write(f"{done} rewritten, {withheld} withheld, {report.remaining} still to rewrite.")
