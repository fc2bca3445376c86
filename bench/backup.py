"""Benchmark: backup and restore of the benchmark workshop (bench/proceedings.py's set-up: 60
presentations with 25-page PDF decks, 150 participants, 6 reports) with its proceedings built.

Prints one JSON line: the backup's seconds and archive size (plain and encrypted), the files and
bytes in it, and the restore into a new empty installation (a fresh process with its own database
and folders): seconds of the restore itself and of the whole command, rows and files checked equal.

    .venv/bin/python bench/backup.py [--no-build]
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


def _checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".jobs" not in path.parts
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true", help="skip building the proceedings first")
    args = parser.parse_args()
    workdir = bench_workdir("portal-bench-backup-")
    env = bench_environment(
        workdir, f"sqlite:///{workdir}/bench.sqlite3", LOG_LEVEL="WARNING", MEDIA_ROOT=str(workdir / "media")
    )
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command

    from bench.proceedings import _create_workshop
    from reports.proceedings.services import proceedings_build_now, proceedings_publish
    from workshop_portal.backups.backup import backup_create

    call_command("migrate", verbosity=0)
    workshop, organiser, _presentations = _create_workshop()
    if not args.no_build:
        proceedings_publish(build=proceedings_build_now(workshop=workshop, by=organiser), by=organiser)
    counts = {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.managed}
    (workdir / "backups").mkdir()
    plain = backup_create(destination=workdir / "backups" / "plain.tar", encrypt=False)
    os.environ["BACKUP_ENCRYPTION_KEY"] = base64.urlsafe_b64encode(os.urandom(32)).decode()
    from django.conf import settings

    settings.BACKUP_ENCRYPTION_KEY = os.environ["BACKUP_ENCRYPTION_KEY"]
    sealed = backup_create(destination=workdir / "backups" / "sealed.tar.enc")

    # A new, empty installation in a fresh process: its own database and folders.
    second = workdir / "second"
    second_env = {
        **env,
        "BACKUP_ENCRYPTION_KEY": os.environ["BACKUP_ENCRYPTION_KEY"],
        "DATABASE_URL": f"sqlite:///{second}/bench.sqlite3",
        "PORTAL_VAR_DIR": str(second),
        "PRIVATE_MEDIA_ROOT": str(second / "private"),
        "MEDIA_ROOT": str(second / "media"),
    }
    second.mkdir()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=second_env, check=True)
    started = time.perf_counter()
    restored = subprocess.run(
        [*manage, "restore", str(sealed.path)], env=second_env, check=True, capture_output=True, text=True
    )
    command_seconds = time.perf_counter() - started
    inner = re.search(r"in ([0-9.]+) s\.", restored.stdout)
    count_script = (
        "import json; from django.apps import apps; print(json.dumps({m._meta.label: m._base_manager.count() "
        "for m in apps.get_models() if m._meta.managed}))"
    )
    after = json.loads(
        subprocess.run(
            [*manage, "shell", "-c", count_script], env=second_env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]  # after the shell's own notice
    )
    print(
        json.dumps(
            {
                "benchmark": "backup",
                "database": "sqlite",
                "presentations": 60,
                "participants": 150,
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
            }
        )
    )


if __name__ == "__main__":
    main()
