from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workshop_portal.backups.databases import DatabaseError
from workshop_portal.backups.restore import RestoreError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an empty installation, after verifying every "
        "checksum; --force replaces a non-empty one. README: Operations."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="replace the data of a non-empty installation")
        parser.add_argument("--no-migrate", action="store_true", help="do not migrate an older archive afterwards")

    def handle(self, *args, archive, force, no_migrate, **options):
        try:
            result = backup_restore(archive=Path(archive), force=force, migrate=not no_migrate)
        except (RestoreError, DatabaseError) as error:
            raise CommandError(str(error)) from error
        info = result.info
        self.stdout.write(
            _(
                "Restored %(database)s database and %(files)d files (%(size).1f MB) from a backup of portal "
                "%(version)s made %(created)s, in %(seconds).1f s."
            )
            % {
                "database": result.database,
                "files": result.files,
                "size": result.files_bytes / 2**20,
                "version": info.get("portal_version", "?"),
                "created": info.get("created_at", "?"),
                "seconds": result.seconds,
            }
        )
        if result.migrated:
            self.stdout.write(_("Migrations applied up to this version."))
        for name in result.missing:
            self.stderr.write(_("Not in the archive (deleted before the backup): %(name)s") % {"name": name})
