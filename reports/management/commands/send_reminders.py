import time

from django.core.management.base import BaseCommand

from reports.reminders import reminders_run


class Command(BaseCommand):
    help = (
        "Queue the scheduled reminders that are due now (what Celery beat's reports.send_reminders does): "
        "for the embedded mode or a cron job. Each person gets each reminder once, however often it runs."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = reminders_run()
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{kind}: {count}" for kind, count in counts.items())
        self.stdout.write(f"Reminders queued ({seconds:.2f} s): {summary}")
