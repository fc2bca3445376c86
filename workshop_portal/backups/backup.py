"""`manage.py backup DEST`: one tar archive, written as a stream, with everything to restore from.

Layout (in this order): info.json (version, migration state, database vendor), the database copy,
files/<storage>/<name> for every file the database copy references, manifest.json last (the size
and SHA-256 of every other member). Consistency while workers write: the database is copied first
in one snapshot (databases.py), and the files copied are exactly those the copy references; files
are never rewritten in place (new versions get new names), so a referenced file is complete.
"""

import contextlib
import errno
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop_portal.backups.databases import dump_database
from workshop_portal.backups.streams import EncryptingWriter, key_from_setting

PREFIX = "portal-backup/"
FORMAT = 1
ARCHIVE_GLOB = "portal-backup-*.tar*"


class BackupError(Exception):
    """The backup was not made (the message says why); nothing partial is left at the destination."""


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    files: int
    files_bytes: int
    missing: list[str]
    seconds: float
    removed: list[Path]


def portal_version() -> str:
    """The version in pyproject.toml, and the commit when the code is a git checkout."""
    import tomllib

    try:
        version = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())["project"]["version"]
    except (OSError, KeyError, ValueError):
        version = "unknown"
    try:
        commit = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version}+{commit}" if commit else version


class _HashingReader:
    """Reads a stored file for tarfile while hashing it; the size must be the one announced."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.count = 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


class _CountingWriter:
    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.raw.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self):
        self.raw.flush()

    def close(self):
        pass


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> dict:
    info = tarfile.TarInfo(PREFIX + name)
    info.size = len(data)
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(data))
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _add_stream(archive: tarfile.TarFile, name: str, handle, size: int) -> dict:
    info = tarfile.TarInfo(PREFIX + name)
    info.size = size
    info.mtime = int(time.time())
    reader = _HashingReader(handle)
    archive.addfile(info, reader)
    return {"size": size, "sha256": reader.digest.hexdigest()}


def _estimated_bytes(dump_path: Path, files: list[tuple[str, str]]) -> int:
    total = dump_path.stat().st_size
    for alias, name in files:
        with contextlib.suppress(OSError):  # gone since the snapshot: counted as missing later
            total += storages[alias].size(name)
    return total


def _check_space(destination: Path, needed: int) -> None:
    free = shutil.disk_usage(destination).free
    if free < needed * 1.05:
        raise BackupError(
            _("Not enough space in %(dest)s: the backup needs about %(needed)d MB, %(free)d MB are free.")
            % {"dest": destination, "needed": needed // 2**20 + 1, "free": free // 2**20}
        )


def _rotate(destination: Path, keep: int, current: Path) -> list[Path]:
    """Keep the newest `keep` archives in the destination (by name: they carry their date)."""
    if keep <= 0:
        return []
    archives = sorted(path for path in destination.glob(ARCHIVE_GLOB) if path.is_file() and path != current)
    archives.append(current)
    removed = archives[:-keep] if len(archives) > keep else []
    for path in removed:
        path.unlink()
    return removed


def backup_create(*, destination: Path, keep: int = 0, encrypt: bool | None = None, stdout=None) -> BackupResult:
    """Write one archive into `destination` (a folder, or a file name ending in .tar or .tar.enc).

    Refused (BackupError) when the destination is missing or short of space: the partial archive
    is removed. With a key set (BACKUP_ENCRYPTION_KEY) the archive is encrypted unless `encrypt`
    is False.
    """
    started = time.monotonic()
    key = key_from_setting(settings.BACKUP_ENCRYPTION_KEY)
    if encrypt and key is None:
        raise BackupError(_("--encrypt needs BACKUP_ENCRYPTION_KEY."))
    encrypted = key is not None if encrypt is None else encrypt
    destination = Path(destination)
    if destination.name.endswith((".tar", ".tar.enc")):
        folder, path = destination.parent, destination
    else:
        folder = destination
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"portal-backup-{stamp}.tar{'.enc' if encrypted else ''}"
    if not folder.is_dir():
        raise BackupError(_("The destination %(dest)s is not a folder that exists.") % {"dest": folder})
    workdir = Path(tempfile.mkdtemp(prefix=".portal-backup-", dir=folder))
    written = False
    try:
        dump = dump_database(workdir)
        _check_space(folder, 2 * _estimated_bytes(dump.path, dump.files))  # the copy is in `folder` too
        info = {
            "format": FORMAT,
            "portal_version": portal_version(),
            "created_at": timezone.now().isoformat(),
            "database": dump.vendor,
            "database_member": dump.path.name,
            "migrations": dump.migrations,
            "encrypted": encrypted,
        }
        entries: dict[str, dict] = {}
        missing: list[str] = []
        files_bytes = 0
        with open(path, "wb") as raw:
            written = True
            counter = _CountingWriter(raw)
            sink = EncryptingWriter(counter, key) if encrypted else counter
            with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as archive:
                entries["info.json"] = _add_bytes(archive, "info.json", json.dumps(info, indent=1).encode())
                with dump.path.open("rb") as handle:
                    entries[dump.path.name] = _add_stream(archive, dump.path.name, handle, dump.path.stat().st_size)
                dump.path.unlink()
                for alias, name in dump.files:
                    storage = storages[alias]
                    try:
                        size = storage.size(name)
                        handle = storage.open(name, "rb")
                    except (FileNotFoundError, OSError):
                        # Deleted since the snapshot (replaced, erased): the restored row will miss it too.
                        missing.append(f"{alias}/{name}")
                        continue
                    with handle:
                        entries[f"files/{alias}/{name}"] = _add_stream(archive, f"files/{alias}/{name}", handle, size)
                    files_bytes += size
                manifest = {"info_sha256": entries["info.json"]["sha256"], "entries": entries, "missing": missing}
                _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
            if encrypted:
                sink.close()
            raw.flush()
    except OSError as error:
        if written:
            path.unlink(missing_ok=True)
        if error.errno == errno.ENOSPC:
            raise BackupError(
                _("The destination %(dest)s ran out of space: the partial archive was removed.") % {"dest": folder}
            ) from error
        raise BackupError(
            _("The backup failed: %(error)s. The partial archive was removed.") % {"error": error}
        ) from error
    except BaseException:
        if written:
            path.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    removed = _rotate(folder, keep, path)
    return BackupResult(
        path=path,
        size=counter.size,
        sha256=counter.digest.hexdigest(),
        files=len(entries) - 2,
        files_bytes=files_bytes,
        missing=missing,
        seconds=round(time.monotonic() - started, 2),
        removed=removed,
    )
