"""Scratch directories of the workers' heavy jobs (proceedings volumes, web copies of decks).

Each lives under one root and is named after the process that made it, so what a killed worker
left behind (no `finally` runs on SIGKILL) is found and removed by the next job on the same
machine: a directory whose process is gone is stale.
"""

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def workdir_root() -> Path:
    root = Path(getattr(settings, "JOB_WORK_DIR", "") or Path(tempfile.gettempdir()) / "portal-jobs")
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextmanager
def job_workdir(kind: str) -> Iterator[Path]:
    """A fresh directory for one job, removed when the job ends however it ends (but SIGKILL)."""
    sweep_stale_workdirs()
    path = workdir_root() / f"{kind}-{os.getpid()}-{secrets.token_hex(4)}"
    path.mkdir()
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sweep_stale_workdirs() -> list[str]:
    """Remove the directories of processes that no longer run; their names."""
    removed = []
    for path in workdir_root().iterdir():
        try:
            pid = int(path.name.rsplit("-", 2)[1])
        except (IndexError, ValueError):
            continue
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    # A zombie (killed, not yet reaped by its parent) holds its pid but runs nothing.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def peak_memory_mb() -> float | None:
    """This process's own peak resident memory (VmHWM), in MB; None where /proc does not tell.
    Not ru_maxrss: Linux carries into it the parent's memory from before exec."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None
