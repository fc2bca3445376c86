"""`manage.py restore ARCHIVE`: verify everything first, then restore the database and the files.

1. Read the whole archive into a staging folder next to it, hashing each member: every member
   must be in the manifest with its size and SHA-256, every manifest entry must be there, the
   archive must end properly (an encrypted one is also authenticated chunk by chunk).
2. Refuse an archive whose migration state this code does not know (made by a newer version),
   one of another database engine, a database copy this installation's tools cannot read
   (pg_restore --list; SQLite's quick_check), and a non-empty installation unless forced.
3. Only then: the files into their storages, then the database in one transaction. Should the
   database fail, the files just stored are removed again and those --force replaced are put
   back: nothing is left half restored.
4. Migrate, when the archive is older than the code.
"""

import hashlib
import json
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from workshop_portal.backups.backup import FORMAT, PREFIX
from workshop_portal.backups.databases import (
    DatabaseError,
    check_database_copy,
    database_is_empty,
    restore_database,
)
from workshop_portal.backups.streams import MAGIC, ArchiveError, DecryptingReader, key_from_setting

CHUNK = 1024 * 1024


class RestoreError(Exception):
    """Refused or failed before anything changed; the message says why."""


@dataclass
class Verified:
    staging: Path
    info: dict
    manifest: dict
    members: dict[str, Path] = field(default_factory=dict)


@dataclass
class RestoreResult:
    info: dict
    files: int
    files_bytes: int
    database: str
    migrated: bool
    missing: list[str]
    seconds: float


def _open(path: Path):
    raw = path.open("rb")
    head = raw.read(len(MAGIC))
    raw.seek(0)
    if head == MAGIC:
        try:
            return raw, DecryptingReader(raw, key_from_setting(settings.BACKUP_ENCRYPTION_KEY))
        except ArchiveError as error:
            raw.close()
            raise RestoreError(str(error)) from error
    return raw, raw


def _safe_member_name(name: str) -> str:
    if not name.startswith(PREFIX):
        raise RestoreError(_("The archive holds %(name)s, which no backup of the portal holds.") % {"name": name})
    relative = PurePosixPath(name[len(PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise RestoreError(_("The archive holds an unsafe name: %(name)s.") % {"name": name})
    return str(relative)


def archive_verify(path: Path, staging_parent: Path | None = None) -> Verified:
    """Stage and check every member of the archive; raises RestoreError, leaving no staging behind."""
    if not path.is_file():
        raise RestoreError(_("There is no archive at %(path)s.") % {"path": path})
    staging = Path(tempfile.mkdtemp(prefix=".portal-restore-", dir=staging_parent or path.parent))
    try:
        return _verify_into(path, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _verify_into(path: Path, staging: Path) -> Verified:
    raw, stream = _open(path)
    digests: dict[str, dict] = {}
    members: dict[str, Path] = {}
    try:
        with raw, tarfile.open(fileobj=stream, mode="r|") as archive:
            for member in archive:
                name = _safe_member_name(member.name)
                if not member.isfile():
                    raise RestoreError(_("The archive holds %(name)s, which is not a file.") % {"name": name})
                target = staging / "members" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                source = archive.extractfile(member)
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                digests[name] = {"size": size, "sha256": digest.hexdigest()}
                members[name] = target
    except (tarfile.TarError, EOFError) as error:
        raise RestoreError(
            _("The archive is truncated or damaged (%(error)s): nothing was restored.") % {"error": error}
        ) from error
    except ArchiveError as error:
        raise RestoreError(str(error) + " " + _("Nothing was restored.")) from error
    if "manifest.json" not in members or "info.json" not in members:
        raise RestoreError(_("The archive is truncated: its manifest is missing. Nothing was restored."))
    try:
        manifest = json.loads(members.pop("manifest.json").read_text())
        info = json.loads(members["info.json"].read_text())
    except ValueError as error:
        raise RestoreError(_("The archive's manifest is damaged. Nothing was restored.")) from error
    digests.pop("manifest.json")
    expected = manifest.get("entries", {})
    if set(expected) != set(digests):
        absent = sorted(set(expected) - set(digests))[:5]
        extra = sorted(set(digests) - set(expected))[:5]
        raise RestoreError(
            _(
                "The archive does not match its manifest (missing: %(absent)s; unexpected: %(extra)s). "
                "Nothing was restored."
            )
            % {"absent": ", ".join(absent) or "-", "extra": ", ".join(extra) or "-"}
        )
    for name, found in digests.items():
        if found != expected[name]:
            raise RestoreError(
                _(
                    "%(name)s does not match its checksum in the manifest: the archive was altered or damaged. "
                    "Nothing was restored."
                )
                % {"name": name}
            )
    if info.get("format") != FORMAT:
        raise RestoreError(
            _("This archive's format (%(format)s) is not one this version reads.") % {"format": info.get("format")}
        )
    return Verified(staging=staging, info=info, manifest=manifest, members=members)


def unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    """The archive's applied migrations this code does not have: it was made by a newer version."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, names in migrations.items() for name in names if (app, name) not in known)


def _storage_files_exist() -> bool:
    for alias in ("default", "private"):
        storage = storages[alias]
        try:
            folders, files = storage.listdir("")
        except (FileNotFoundError, NotADirectoryError):
            continue
        if files or any(_has_files(storage, folder) for folder in folders):
            return True
    return False


def _has_files(storage, folder: str) -> bool:
    folders, files = storage.listdir(folder)
    return bool(files) or any(_has_files(storage, f"{folder}/{sub}") for sub in folders)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _store_files(verified: Verified, stored: list[tuple[str, str]], replaced: dict[tuple[str, str], Path]):
    """Put the archive's files in their storages. `stored` gets what was written (removed again on
    failure); `replaced` the staged originals of files --force overwrote (put back on failure)."""
    count = total = 0
    expected = verified.manifest["entries"]
    for name, staged in verified.members.items():
        if not name.startswith("files/"):
            continue
        alias, stored_name = name[len("files/") :].split("/", 1)
        storage = storages[alias]
        count += 1
        total += staged.stat().st_size
        if storage.exists(stored_name):  # only with --force
            with storage.open(stored_name, "rb") as handle:
                if _sha256(handle) == expected[name]["sha256"]:
                    continue  # already the archive's copy
            original = verified.staging / "replaced" / alias / stored_name
            original.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(stored_name, "rb") as handle, original.open("wb") as out:
                shutil.copyfileobj(handle, out, CHUNK)
            replaced[(alias, stored_name)] = original
            storage.delete(stored_name)  # the archive's copy wins
        with staged.open("rb") as handle:
            saved = storage.save(stored_name, File(handle, name=stored_name))
        stored.append((alias, saved))
        if saved != stored_name:
            raise RestoreError(_("%(name)s could not be stored under its own name.") % {"name": stored_name})
    return count, total


def _undo_files(stored: list[tuple[str, str]], replaced: dict[tuple[str, str], Path]) -> None:
    for alias, name in stored:
        storages[alias].delete(name)
    for (alias, name), original in replaced.items():
        with original.open("rb") as handle:
            storages[alias].save(name, File(handle, name=name))


def backup_restore(*, archive: Path, force: bool = False, migrate: bool = True, stdout=None) -> RestoreResult:
    """Restore a verified archive into this installation (see the module's docstring)."""
    started = time.monotonic()
    archive = Path(archive)
    verified = archive_verify(archive)
    try:
        info = verified.info
        newer = unknown_migrations(info.get("migrations", {}))
        if newer:
            raise RestoreError(
                _(
                    "This archive comes from a newer version of the portal (%(version)s): it has migrations this "
                    "code does not know (%(names)s). Upgrade the portal first. Nothing was restored."
                )
                % {"version": info.get("portal_version", "?"), "names": ", ".join(newer[:5])}
            )
        if info.get("database") != connection.vendor:
            raise RestoreError(
                _("This archive holds a %(archive)s database; this installation uses %(here)s. Nothing was restored.")
                % {"archive": info.get("database"), "here": connection.vendor}
            )
        if not force and (not database_is_empty() or _storage_files_exist()):
            raise RestoreError(
                _(
                    "This installation is not empty (it has accounts, workshops or files): restore into a new one, "
                    "or pass --force to replace everything. Nothing was restored."
                )
            )
        try:
            check_database_copy(verified.members[info["database_member"]], info["database"])
        except DatabaseError as error:
            raise RestoreError(str(error) + " " + _("Nothing was restored.")) from error
        stored: list[tuple[str, str]] = []
        replaced: dict[tuple[str, str], Path] = {}
        try:
            files, files_bytes = _store_files(verified, stored, replaced)
            restore_database(verified.members[info["database_member"]], info["database"])
        except BaseException:
            _undo_files(stored, replaced)
            raise
    finally:
        shutil.rmtree(verified.staging, ignore_errors=True)
    connection.close()  # the next query sees the restored database from a fresh connection
    migrated = False
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
        migrated = True
    return RestoreResult(
        info=info,
        files=files,
        files_bytes=files_bytes,
        database=info["database"],
        migrated=migrated,
        missing=list(verified.manifest.get("missing", [])),
        seconds=round(time.monotonic() - started, 2),
    )
