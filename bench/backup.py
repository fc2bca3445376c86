"""Benchmark: backup and restore of the benchmark workshop (bench/proceedings.py's set-up: 60
presentations with 25-page PDF decks, 150 participants, 6 reports) with its proceedings built and
published.

Prints one JSON line: the backup's seconds and archive size (plain and encrypted), the files and
bytes in it, and the restore into a new installation (a fresh process with its own folders and a
database without tables, as README: Operations restores): seconds of the restore itself and of
the whole command, rows, files and the published volume's SHA-256 checked equal.

    .venv/bin/python bench/backup.py [--no-build] [--deck-pages N] [--small]
    .venv/bin/python bench/backup.py --database-url postgres://postgres@127.0.0.1:5432/NAME

With a PostgreSQL URL the benchmark creates (dropping it first) and drops the database NAME and
NAME_restored; by default it runs on SQLite files of its own.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._environment import bench_environment, bench_workdir  # noqa: E402  (after the path is set)


def _postgresql(url: str, *statements: str) -> None:
    import psycopg2

    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True  # CREATE and DROP DATABASE run outside a transaction
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    connection.close()


def _checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".jobs" not in path.parts
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true", help="skip building the proceedings first")
    parser.add_argument("--deck-pages", type=int, default=25, help="pages of each deck")
    parser.add_argument("--small", action="store_true", help="CI: one 2-page deck per session (5), 150 participants")
    parser.add_argument("--database-url", default="", help="a PostgreSQL database to create, use and drop")
    args = parser.parse_args()
    workdir = bench_workdir("portal-bench-backup-")
    postgresql = args.database_url.startswith(("postgres://", "postgresql://"))
    if postgresql:
        name = args.database_url.rsplit("/", 1)[1]
        database_url, restored_url = args.database_url, f"{args.database_url}_restored"
        _postgresql(
            database_url,
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{name}_restored" WITH (FORCE)',
            f'CREATE DATABASE "{name}"',
            f'CREATE DATABASE "{name}_restored"',
        )
    else:
        database_url, restored_url = f"sqlite:///{workdir}/bench.sqlite3", ""
    try:
        figures = _run(args, workdir, database_url, restored_url)
    finally:
        if postgresql:
            _postgresql(
                database_url,
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                f'DROP DATABASE IF EXISTS "{name}_restored" WITH (FORCE)',
            )
    print(json.dumps(figures))


def _run(args, workdir: Path, database_url: str, restored_url: str) -> dict:
    env = bench_environment(workdir, database_url, LOG_LEVEL="WARNING", MEDIA_ROOT=str(workdir / "media"))
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    import bench.proceedings
    from reports.proceedings.services import proceedings_build_now, proceedings_publish
    from workshop_portal.backups.backup import backup_create

    call_command("migrate", verbosity=0)
    # 150 accounts with production's password hashing take a minute of CPU this benchmark is not about.
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    bench.proceedings.DECK_PAGES = 2 if args.small else args.deck_pages
    if args.small:  # the host state's deck only, in each of the five sessions
        bench.proceedings.PARTNERS_PER_SESSION = bench.proceedings.INSTITUTIONS_PER_SESSION = 0
    workshop, organiser, presentations = bench.proceedings._create_workshop()
    published = ""
    if not args.no_build:
        build = proceedings_build_now(workshop=workshop, by=organiser)
        proceedings_publish(build=build, by=organiser)
        build.refresh_from_db()
        published = build.sha256
    counts = {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.managed}
    (workdir / "backups").mkdir()
    plain = backup_create(destination=workdir / "backups" / "plain.tar", encrypt=False)
    os.environ["BACKUP_ENCRYPTION_KEY"] = base64.urlsafe_b64encode(os.urandom(32)).decode()
    settings.BACKUP_ENCRYPTION_KEY = os.environ["BACKUP_ENCRYPTION_KEY"]
    sealed = backup_create(destination=workdir / "backups" / "sealed.tar.enc")
    vendor = connection.vendor

    # A new installation in a fresh process: its own folders and a database without tables.
    second = workdir / "second"
    second_env = {
        **env,
        "BACKUP_ENCRYPTION_KEY": os.environ["BACKUP_ENCRYPTION_KEY"],
        "DATABASE_URL": restored_url or f"sqlite:///{second}/bench.sqlite3",
        "PORTAL_VAR_DIR": str(second),
        "PRIVATE_MEDIA_ROOT": str(second / "private"),
        "MEDIA_ROOT": str(second / "media"),
    }
    second.mkdir()
    manage = [sys.executable, str(ROOT / "manage.py")]
    started = time.perf_counter()
    restored = subprocess.run(
        [*manage, "restore", str(sealed.path)], env=second_env, check=True, capture_output=True, text=True
    )
    command_seconds = time.perf_counter() - started
    inner = re.search(r"in ([0-9.]+) s\.", restored.stdout)
    count_script = (
        "import json; from django.apps import apps; from reports.models import ProceedingsBuild; "
        "print(json.dumps([{m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.managed}, "
        "ProceedingsBuild.objects.filter(is_published=True).values_list('sha256', flat=True).first() or '']))"
    )
    after, published_after = json.loads(
        subprocess.run(
            [*manage, "shell", "-c", count_script], env=second_env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]  # after the shell's own notice
    )
    return {
        "benchmark": "backup",
        "database": vendor,
        "presentations": presentations,
        "participants": workshop.registrations.count(),
        "deck_pages": bench.proceedings.DECK_PAGES,
        "proceedings_built": not args.no_build,
        "files": plain.files,
        "files_mb": round(plain.files_bytes / 2**20, 1),
        "backup_seconds": plain.seconds,
        "archive_mb": round(plain.size / 2**20, 1),
        "backup_encrypted_seconds": sealed.seconds,
        "archive_encrypted_mb": round(sealed.size / 2**20, 1),
        "restore_seconds": float(inner.group(1)) if inner else None,
        "restore_command_seconds": round(command_seconds, 2),
        "rows_equal": after == counts,
        "files_equal": _checksums(workdir / "private") == _checksums(second / "private"),
        # The published volume: the same SHA-256 in the new installation's row and in its bytes there.
        "published_sha256_equal": published_after == published
        and (not published or any(_sha256(path) == published for path in (second / "private").rglob("*.pdf"))),
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


if __name__ == "__main__":
    main()
