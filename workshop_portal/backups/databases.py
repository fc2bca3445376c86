"""The database part of a backup: a consistent copy, the files it references and its migration
state, all read in one snapshot; and putting a copy back in one transaction.

SQLite (the embedded default): the online backup API copies the live database page by page into a
file; the references and migrations are then read from that copy. PostgreSQL: a REPEATABLE READ
transaction exports its snapshot, pg_dump (custom format) dumps exactly that snapshot, and the
references and migrations are read in the same transaction. Either way the file list is the one
the dump holds: a file uploaded after it is not referenced by it and does not matter.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage, storages
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

SQLITE_NAME = "database.sqlite3"
POSTGRESQL_NAME = "database.pgdump"


class DatabaseError(Exception):
    """The database could not be dumped or restored; the message says why."""


@dataclass
class Dump:
    path: Path
    vendor: str
    migrations: dict[str, list[str]]
    files: list[tuple[str, str]] = field(default_factory=list)  # (storage alias, name)


def storage_alias(file_field: models.FileField) -> str:
    storage = file_field.storage
    storage = getattr(storage, "_wrapped", storage)  # workshop_portal.storage's lazy private storage
    if storage is storages["private"]:
        return "private"
    if storage is storages["default"] or storage is getattr(default_storage, "_wrapped", default_storage):
        return "default"
    raise DatabaseError(f"{file_field} uses a storage the backup does not know.")


def file_fields():
    """Every file field of every table: (model, field, storage alias). The files these reference
    are the portal's files: a backup copies them, the storage sweep keeps them."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                yield model, model_field, storage_alias(model_field)


def _file_columns():
    for model, model_field, alias in file_fields():
        yield model._meta.db_table, model_field.column, alias


def _read_references(cursor, quote) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    files = set()
    for table, column, alias in _file_columns():
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")
        files.update((alias, name) for (name,) in cursor.fetchall() if name)
    return migrations, sorted(files)


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    settings_dict = connection.settings_dict
    environment = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments += [option, str(settings_dict[key])]
    return arguments, environment


def postgresql_tool(name: str) -> str:
    """The tool on PATH, else the newest installed (Debian's /usr/lib/postgresql/N/bin): a newer
    pg_dump dumps an older server, a newer pg_restore reads an older archive, not the reverse."""
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
        reverse=True,
    )
    found = shutil.which(name) or shutil.which(name, path=os.pathsep.join(map(str, installed)))
    if not found:
        raise DatabaseError(_("%(tool)s is not installed: it is needed for PostgreSQL.") % {"tool": name})
    return found


def dump_database(workdir: Path) -> Dump:
    """A consistent copy of the database in `workdir`, with what it references."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = workdir / SQLITE_NAME
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
            migrations, files = _read_references(target.cursor(), lambda name: f'"{name}"')
        finally:
            target.close()
        return Dump(path=path, vendor="sqlite", migrations=migrations, files=files)
    if connection.vendor != "postgresql":
        raise DatabaseError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    path = workdir / POSTGRESQL_NAME
    arguments, environment = _pg_environment()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        migrations, files = _read_references(cursor, connection.ops.quote_name)
        result = subprocess.run(
            [
                postgresql_tool("pg_dump"),
                *arguments,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={path}",
                connection.settings_dict["NAME"],
            ],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise DatabaseError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()[-2000:]})
    return Dump(path=path, vendor="postgresql", migrations=migrations, files=files)


def database_is_empty() -> bool:
    """A fresh installation: a database without any table, or a migrated one with no account and no
    workshop (migrations' own rows do not count). Tables of something else are not empty."""
    from workshop_portal.models import User, Workshop

    tables = set(connection.introspection.table_names())
    if not tables:
        return True
    if not {User._meta.db_table, Workshop._meta.db_table} <= tables:
        return False
    return not User.objects.exists() and not Workshop.objects.exists()


def check_database_copy(path: Path, vendor: str) -> None:
    """Before anything changes: the copy opens with this installation's tools (a pg_restore older
    than the pg_dump that made it cannot read it; a damaged SQLite file fails its check)."""
    if vendor == "sqlite":
        try:
            copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
            finally:
                copy.close()
        except sqlite3.DatabaseError as error:
            verdict = str(error)
        if verdict != "ok":
            raise DatabaseError(_("The database copy is damaged: %(error)s") % {"error": verdict})
        return
    result = subprocess.run(
        [postgresql_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DatabaseError(
            _("This installation's pg_restore cannot read the database copy: %(error)s")
            % {"error": result.stderr.strip()[-2000:]}
        )


def restore_database(path: Path, vendor: str) -> None:
    """Replace the whole database with the copy, in one transaction: it is all there or nothing changed."""
    if vendor != connection.vendor:
        raise DatabaseError(
            _("This archive holds a %(archive)s database; this installation uses %(here)s.")
            % {"archive": vendor, "here": connection.vendor}
        )
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            # The backup API replaces the destination as one write: readers see the old or the new.
            source.backup(connection.connection)
        finally:
            source.close()
        return
    arguments, environment = _pg_environment()
    connection.close()
    with tempfile.TemporaryFile() as listing_errors, tempfile.TemporaryFile() as psql_errors:
        listing = subprocess.Popen(
            [postgresql_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(path)],
            stdout=subprocess.PIPE,
            stderr=listing_errors,
            env=environment,
        )
        psql = subprocess.Popen(
            [
                postgresql_tool("psql"),
                *arguments,
                "--quiet",
                "--no-psqlrc",
                "--set=ON_ERROR_STOP=1",
                "--dbname",
                connection.settings_dict["NAME"],
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=environment,
        )
        # The schema replaced and the whole dump loaded in one transaction, committed only once
        # pg_restore has written all of it (psql's --single-transaction would commit whatever it had
        # read when pg_restore stopped half way). Without the COMMIT, psql's end rolls it all back.
        try:
            psql.stdin.write(b"BEGIN;\nDROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n")
            shutil.copyfileobj(listing.stdout, psql.stdin, 1024 * 1024)
            if listing.wait() == 0:
                psql.stdin.write(b"\nCOMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error in the dump: its message says which
        finally:
            if listing.poll() is None:
                listing.kill()
            listing.wait()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            psql.wait()
        listing_errors.seek(0)
        psql_errors.seek(0)
        error = (listing_errors.read() + psql_errors.read()).decode(errors="replace").strip()
    if listing.returncode != 0 or psql.returncode != 0:
        raise DatabaseError(_("The database was not restored: %(error)s") % {"error": error[-2000:]})
