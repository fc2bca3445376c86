"""Give a workshop created before quotas and letters (or outside the admin) its default delegations,
letter settings and letter texts."""

from django.core.management.base import BaseCommand, CommandError

from delegations.letter_services import letters_lay_out_defaults
from delegations.services import delegations_lay_out_defaults
from workshop_portal.models import Workshop


class Command(BaseCommand):
    help = (
        "Lay out the default delegations and seats of a workshop, its letter settings and the default text of "
        "each letter in each language; what it has stays as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The workshop's short name.")

    def handle(self, *args, slug, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(f"No workshop with the short name {slug!r}.")
        added = delegations_lay_out_defaults(workshop=workshop)
        texts = letters_lay_out_defaults(workshop=workshop)
        self.stdout.write(f"{workshop.title}: {added} delegation(s) added, {workshop.delegations.count()} in all.")
        self.stdout.write(f"{workshop.title}: {texts} letter text(s) added.")
