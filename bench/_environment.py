"""What the benchmarks' processes share: a folder of their own and production-like settings."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path


def bench_environment(workdir: Path, database_url: str, **extra: str) -> dict:
    """Set, in this process and for its children, a database, folders under `workdir`, DEBUG off
    and no broker (tasks inline) unless `extra` names one. Returns the environment."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORTAL_VAR_DIR": str(workdir),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "STATIC_ROOT": str(workdir / "static"),
        "DJANGO_SETTINGS_MODULE": "workshop_portal.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    os.environ.update(env)
    return env


def bench_workdir(prefix: str) -> Path:
    """A temporary folder of this run, removed when the process ends (its PDFs and decks can be large)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    return workdir
