"""`manage.py catalogues`: extract and compile the translations; `--check`: fail if they are not complete.

See workshop_portal/catalogues.py. `make messages` and `make check-messages` call this.
"""

import shutil

from django.core.management.base import BaseCommand, CommandError

from workshop_portal import catalogues


class Command(BaseCommand):
    help = "Extract the translatable strings into locale/ and compile them; with --check, only check."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing: fail when extraction would change a catalogue, when an entry is untranslated "
            "or fuzzy, or when a compiled catalogue is out of date.",
        )

    def handle(self, *args, check=False, **options):
        missing = [tool for tool in ("xgettext", "msgmerge", "msgfmt") if shutil.which(tool) is None]
        if missing:
            raise CommandError(
                f"GNU gettext is needed ({', '.join(missing)} not found): `apt-get install gettext` "
                "or `brew install gettext`."
            )
        languages = ", ".join(catalogues.translated_languages())
        if not check:
            catalogues.catalogues_update()
            problems = catalogues.catalogue_problems()
            self.stdout.write(f"Catalogues extracted and compiled ({languages}).")
            if problems:
                self.stdout.write(f"{len(problems)} entries still need a translator:")
                for problem in problems:
                    self.stdout.write(f"  {problem}")
            return
        problems = catalogues.extraction_problems() + catalogues.catalogue_problems() + catalogues.msgfmt_problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{len(problems)} problem(s) in the translation catalogues. `make messages` extracts and compiles; "
                "translate the new entries in locale/<language>/LC_MESSAGES/django.po, then run it again."
            )
        self.stdout.write(f"Catalogues complete and compiled ({languages}).")
