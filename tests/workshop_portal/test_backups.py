"""Backup and restore (workshop_portal/backups/): the demo after activity comes back whole, and bad
archives, a newer archive, a non-empty installation and a full disk are refused with nothing changed.

Transactional: SQLite's backup API copies committed pages, and a restore replaces the database."""

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import tarfile
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.urls import reverse

from demo.seed import DEMO_SLUG
from registrations.models import BadgeBatch
from reports.proceedings.services import proceedings_build_now, proceedings_publish
from testkit.factories import WorkshopFactory
from workshop_portal.backups.backup import backup_create
from workshop_portal.backups.databases import storage_alias
from workshop_portal.models import User, Workshop

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


@pytest.fixture
def installation(settings, tmp_path):
    """Fresh storages of their own; `move()` points them at a new empty installation's folders."""

    def move(name):
        settings.MEDIA_ROOT = tmp_path / name / "media"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {
                "BACKEND": "workshop_portal.storage.PrivateFileSystemStorage",
                "OPTIONS": {"location": tmp_path / name / "private", "base_url": None},
            },
        }

    move("first")
    settings.BACKUP_ENCRYPTION_KEY = ""
    (tmp_path / "backups").mkdir()
    return move


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models() if model._meta.managed}


def _file_checksums() -> dict[str, str]:
    sums = {}
    for alias in ("default", "private"):
        root = Path(storages[alias].location)
        for path in sorted(root.rglob("*")) if root.exists() else []:
            if path.is_file():
                sums[f"{alias}/{path.relative_to(root)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def _referenced_files_exist() -> list[str]:
    missing = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.get_internal_type() == "FileField":
                storage = storages[storage_alias(field)]
                for name in model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    if not storage.exists(name):
                        missing.append(name)
    return missing


def _published_sha256(client) -> str:
    client.force_login(User.objects.get(email="organiser@demo.example.org"))
    response = client.get(reverse("reports:published", kwargs={"slug": DEMO_SLUG}))
    assert response.status_code == 200
    return hashlib.sha256(b"".join(response.streaming_content)).hexdigest()


@contextlib.contextmanager
def _new_database(tmp_path):
    """A new database with no tables at all, which the default connection uses meanwhile.

    PostgreSQL: created here and dropped after, named after the test database (test_NAME ->
    NAME_restored); SQLite: a new file."""
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    postgresql = connection.vendor == "postgresql"
    connection.close()
    if postgresql:
        name = re.sub(r"^test_", "", original) + "_restored"
        with connection._nodb_cursor() as cursor:  # CREATE/DROP DATABASE run outside any transaction
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    else:
        name = str(tmp_path / "restored.sqlite3")
    settings_dict["NAME"] = name
    try:
        yield name
    finally:
        connection.close()
        settings_dict["NAME"] = original
        if postgresql:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def test_the_demo_after_activity_comes_back_whole_in_a_new_database(installation, settings, client, tmp_path):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    organiser = User.objects.get(email="organiser@demo.example.org")
    build = proceedings_build_now(workshop=workshop, by=organiser)
    proceedings_publish(build=build, by=organiser)
    published = _published_sha256(client)  # signs in first: the session is in the backup too
    counts, checksums = _row_counts(), _file_checksums()
    settings.BACKUP_ENCRYPTION_KEY = KEY

    result = backup_create(destination=tmp_path / "backups")
    assert result.path.name.endswith(".tar.enc")
    assert b"Ankara" not in result.path.read_bytes()[:10_000_000]  # encrypted at rest

    installation("second")  # a new installation: empty folders, and a database without tables
    with _new_database(tmp_path):
        out = io.StringIO()
        call_command("restore", str(result.path), stdout=out)
        assert f"Restored {connection.vendor} database and" in out.getvalue()
        assert _row_counts() == counts
        assert _file_checksums() == checksums
        assert _published_sha256(client) == published
        # The restored sequences go on after the restored rows: new rows get new keys.
        last = Workshop.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert WorkshopFactory().pk > last


def _small_installation():
    workshop = WorkshopFactory()
    batch = BadgeBatch.objects.create(workshop=workshop)
    batch.file.save("badges.pdf", ContentFile(b"%PDF-1.4 badges"), save=True)
    return batch


def test_an_archive_made_while_files_are_uploaded_holds_every_file_its_database_references(installation, tmp_path):
    workshop = WorkshopFactory()
    stop = threading.Event()

    def upload():
        try:
            number = 0
            while not stop.is_set():
                batch = BadgeBatch.objects.create(workshop=workshop)
                batch.file.save(f"upload-{number}.pdf", ContentFile(os.urandom(200_000)), save=True)
                number += 1
        finally:
            connections.close_all()

    thread = threading.Thread(target=upload)
    thread.start()
    try:
        while BadgeBatch.objects.count() < 3:
            pass
        result = backup_create(destination=tmp_path / "backups")
    finally:
        stop.set()
        thread.join()
    _flush()
    installation("second")
    call_command("restore", str(result.path), stdout=io.StringIO())
    assert BadgeBatch.objects.count() >= 3
    assert _referenced_files_exist() == []


def _flush():
    # Sequences kept: the rows the serialized rollback puts back keep their keys, and a reset
    # sequence would hand those keys out again to the next test's rows (PostgreSQL).
    call_command("flush", interactive=False, reset_sequences=False)


def _restore_refused(path, match, **options):
    before = (_row_counts(), _file_checksums())
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(path), stdout=io.StringIO(), **options)
    assert (_row_counts(), _file_checksums()) == before  # nothing half restored


def test_bad_archives_are_refused_before_anything_changes(installation, settings, tmp_path):
    _small_installation()
    plain = backup_create(destination=tmp_path / "backups").path
    settings.BACKUP_ENCRYPTION_KEY = KEY
    sealed = backup_create(destination=tmp_path / "backups" / "sealed.tar.enc").path
    _flush()
    installation("second")

    data = plain.read_bytes()
    (tmp_path / "cut.tar").write_bytes(data[: len(data) // 2])
    _restore_refused(tmp_path / "cut.tar", "truncated")
    tampered = bytearray(data)
    offset = data.index(b"%PDF-1.4 badges")
    tampered[offset + 2] ^= 1
    (tmp_path / "tampered.tar").write_bytes(tampered)
    _restore_refused(tmp_path / "tampered.tar", "does not match its checksum")
    sealed_data = bytearray(sealed.read_bytes())
    (tmp_path / "cut.tar.enc").write_bytes(sealed_data[:-100])
    _restore_refused(tmp_path / "cut.tar.enc", "truncated")
    sealed_data[200] ^= 1
    (tmp_path / "tampered.tar.enc").write_bytes(sealed_data)
    _restore_refused(tmp_path / "tampered.tar.enc", "altered")
    settings.BACKUP_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"x" * 32).decode()
    _restore_refused(sealed, "key")
    _restore_refused(tmp_path / "nothing.tar", "no archive")


def _with_database_copy_changed(archive: Path, target: Path, change) -> Path:
    """A copy of a plain archive whose database copy is `change(bytes)`, with the manifest made to
    match: what is refused is the content, not a checksum."""
    with tarfile.open(archive) as source:
        members = [(member, source.extractfile(member).read()) for member in source.getmembers()]
    manifest = json.loads(members[-1][1])
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as copy:
        for member, data in members[:-1]:
            if member.name.endswith((".sqlite3", ".pgdump")):
                data = change(data)
                name = member.name.removeprefix("portal-backup/")
                manifest["entries"][name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
        member, _data = members[-1]
        data = json.dumps(manifest).encode()
        member.size = len(data)
        copy.addfile(member, io.BytesIO(data))
    return target


def test_a_database_copy_this_installation_cannot_read_is_refused_before_anything_changes(installation, tmp_path):
    _small_installation()
    archive = backup_create(destination=tmp_path / "backups").path
    _flush()
    installation("second")
    garbage = _with_database_copy_changed(archive, tmp_path / "garbage.tar", lambda data: os.urandom(len(data)))
    _restore_refused(garbage, "database copy")
    assert _file_checksums() == {}


@pytest.mark.postgresql_only
def test_on_postgresql_a_dump_that_fails_to_load_changes_nothing(installation, tmp_path):
    """pg_restore reads the dump's table of contents, but its table data is damaged: the load fails
    half way, and the replaced schema, the rows and the files are all as they were."""
    _small_installation()
    archive = backup_create(destination=tmp_path / "backups").path
    WorkshopFactory(title="Kept when the restore fails")

    def damage_data(data: bytes) -> bytes:
        # The table of contents comes first, the compressed table data last: damage the last table's.
        cut = len(data) - 100
        return data[:cut] + bytes(byte ^ 0x5A for byte in data[cut : cut + 16]) + data[cut + 16 :]

    damaged = _with_database_copy_changed(archive, tmp_path / "damaged.tar", damage_data)
    before = (_row_counts(), _file_checksums())
    with pytest.raises(CommandError, match="The database was not restored"):
        call_command("restore", str(damaged), force=True, stdout=io.StringIO())
    assert (_row_counts(), _file_checksums()) == before
    assert Workshop.objects.filter(title="Kept when the restore fails").exists()


def test_a_database_with_tables_of_something_else_is_not_empty(installation, tmp_path):
    _small_installation()
    archive = backup_create(destination=tmp_path / "backups").path
    installation("second")
    with _new_database(tmp_path):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE other_application (id integer)")
        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(archive), stdout=io.StringIO())
        assert connection.introspection.table_names() == ["other_application"]


def test_an_archive_from_a_newer_version_is_refused(installation, tmp_path):
    _small_installation()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('audit', '9999_future', '2030-01-01')"
        )
    try:
        newer = backup_create(destination=tmp_path / "backups").path
    finally:
        with connection.cursor() as cursor:  # flush leaves django_migrations alone
            cursor.execute("DELETE FROM django_migrations WHERE name = '9999_future'")
    _flush()
    installation("second")
    _restore_refused(newer, "newer version")


def test_restoring_into_a_non_empty_installation_needs_force(installation, tmp_path):
    _small_installation()
    archive = backup_create(destination=tmp_path / "backups").path
    WorkshopFactory(title="Added after the backup")
    _restore_refused(archive, "not empty")
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert not Workshop.objects.filter(title="Added after the backup").exists()


def test_a_destination_without_space_gets_a_clear_message_and_no_partial_archive(installation, tmp_path):
    _small_installation()
    full = tmp_path / "full"
    full.mkdir()
    # Writes to /dev/full fail with "no space left on device", as a full disk does.
    (full / "nightly.tar").symlink_to("/dev/full")
    with pytest.raises(CommandError, match="ran out of space: the partial archive was removed"):
        call_command("backup", str(full / "nightly.tar"), stdout=io.StringIO())
    assert list(full.iterdir()) == []
    assert Path("/dev/full").exists()


def test_keep_leaves_the_newest_archives(installation, tmp_path):
    _small_installation()
    folder = tmp_path / "backups"
    for day in ("20260101", "20260102", "20260103"):
        (folder / f"portal-backup-{day}-000000.tar").write_bytes(b"old")
    call_command("backup", str(folder), keep=2, stdout=io.StringIO())
    names = sorted(path.name for path in folder.iterdir())
    assert len(names) == 2
    assert names[0] == "portal-backup-20260103-000000.tar"
    with tarfile.open(folder / names[1]) as archive:
        assert "portal-backup/manifest.json" in archive.getnames()
