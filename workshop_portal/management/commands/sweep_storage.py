import datetime

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from workshop_portal.storage_sweep import storage_sweep

SHOWN = 50  # names listed of each kind; the counts say how many there are


class Command(BaseCommand):
    help = (
        "Compare the public and private storages with every file the database references: list the "
        "files no row references and the references whose file is missing; with --delete, remove the "
        "unreferenced files older than --older-than hours. README: Operations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="delete the unreferenced files old enough")
        parser.add_argument(
            "--older-than", type=float, default=None, metavar="HOURS",
            help="only files at least this old count (default: STORAGE_SWEEP_MIN_AGE_HOURS, 24)",
        )  # fmt: skip

    def handle(self, *args, delete, older_than, **options):
        if older_than is not None and older_than < 0:
            raise CommandError(_("--older-than takes a number of hours, 0 or more."))
        min_age = datetime.timedelta(hours=older_than) if older_than is not None else None
        sweep = storage_sweep(delete=delete, min_age=min_age)
        self.stdout.write(
            _(
                "Files in storage: %(files)d. Referenced by no row: %(unreferenced)d (%(size)s); too recent "
                "to tell: %(recent)d. References without their file: %(missing)d."
            )
            % {
                "files": sweep.files,
                "unreferenced": len(sweep.unreferenced),
                "size": filesizeformat(sweep.unreferenced_bytes),
                "recent": sweep.recent,
                "missing": len(sweep.missing),
            }
        )
        for stored in sweep.unreferenced[:SHOWN]:
            self.stdout.write(
                _("Unreferenced: %(storage)s/%(name)s (%(size)s, %(modified)s)")
                % {
                    "storage": stored.storage,
                    "name": stored.name,
                    "size": filesizeformat(stored.size),
                    "modified": stored.modified.strftime("%Y-%m-%d %H:%M UTC"),
                }
            )
        for alias, name in sweep.missing[:SHOWN]:
            self.stderr.write(
                _("Missing: %(storage)s/%(name)s is referenced but not in storage") % {"storage": alias, "name": name}
            )
        if delete:
            self.stdout.write(
                _("Files deleted: %(count)d (%(size)s).")
                % {"count": len(sweep.deleted), "size": filesizeformat(sweep.freed_bytes)}
            )
        elif sweep.unreferenced:
            self.stdout.write(_("Nothing was deleted: run again with --delete to remove them."))
