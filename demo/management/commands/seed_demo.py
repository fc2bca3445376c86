from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from demo.followup import SERIES_SLUG
from demo.seed import demo_seed


class Command(BaseCommand):
    help = "Create the demo workshop (Ankara, 22-23 February 2012), its sessions and an organiser login. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though DEBUG is off (the demo organiser has a published password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("DEBUG is off: this looks like production. Pass --allow-production to seed anyway.")
        summary = demo_seed()
        workshop = summary.workshop
        counts = ", ".join(f"{count} {label.lower()}" for label, count in summary.registration_counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo workshop ready: {workshop.title} "
                f"({workshop.start_date:%d %B %Y} – {workshop.end_date:%d %B %Y}), {summary.session_count} sessions, "
                f"registrations: {counts}."
            )
        )
        self.stdout.write(f"Open for registration: {summary.upcoming.title} ({summary.upcoming.start_date:%d %B %Y}).")
        if summary.prepared is not None:
            series = reverse("outcomes:series_tracker", kwargs={"slug": SERIES_SLUG})
            self.stdout.write(
                f"Next of the series, prepared by cloning (unpublished, in the admin): {summary.prepared.title} "
                f"({summary.prepared.slug}); the recommendations followed up at {settings.PORTAL_BASE_URL}{series}"
            )
        self.stdout.write("Logins (all with the password below):")
        self.stdout.write(f"  organiser, for /admin/:  {summary.organiser_email}")
        self.stdout.write(f"  secretariat:             {summary.secretariat_email}")
        self.stdout.write(f"  a delegate:              {summary.delegate_email}")
        for email in summary.focal_point_emails:
            self.stdout.write(f"  a focal point:           {email}")
        self.stdout.write(f"  password:                {summary.password}")
        if summary.certificate_code:
            verify = reverse("documents:verify", kwargs={"code": summary.certificate_code})
            self.stdout.write(
                f"The delegate's certificate of attendance is verified at {settings.PORTAL_BASE_URL}{verify}"
            )
