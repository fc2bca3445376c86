from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workshop_portal.backups.backup import BackupError, backup_create
from workshop_portal.backups.databases import DatabaseError


class Command(BaseCommand):
    help = (
        "Write one archive of the installation (database, public and private files, version and "
        "migration state) into DEST, encrypted when BACKUP_ENCRYPTION_KEY is set; README: Operations."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a folder, or an archive name ending in .tar or .tar.enc")
        parser.add_argument("--keep", type=int, default=0, help="keep only the newest N archives in the folder")
        parser.add_argument("--no-encrypt", action="store_true", help="do not encrypt even with a key set")

    def handle(self, *args, destination, keep, no_encrypt, **options):
        try:
            result = backup_create(destination=Path(destination), keep=keep, encrypt=False if no_encrypt else None)
        except (BackupError, DatabaseError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Backup written: %(path)s (%(size).1f MB, %(files)d files, %(seconds).1f s), SHA-256 %(sha256)s")
            % {
                "path": result.path,
                "size": result.size / 2**20,
                "files": result.files,
                "seconds": result.seconds,
                "sha256": result.sha256,
            }
        )
        for name in result.missing:
            self.stderr.write(
                _("Referenced but deleted since the snapshot, not in the archive: %(name)s") % {"name": name}
            )
        for path in result.removed:
            self.stdout.write(_("Older archive removed: %(path)s") % {"path": path})
