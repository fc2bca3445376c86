"""Convert uploaded PPTX/DOCX presentations to PDF with headless LibreOffice.

LibreOffice is awkward to drive from a server, and each rule below answers a behaviour measured here:

* It exits 0 even when it fails ("source file could not be loaded"), so success is judged only by
  the PDF it leaves behind: the file must exist, open with pypdf and have at least one page.
* Two runs sharing one user profile collide and one silently produces nothing, so every run gets a
  fresh profile directory of its own, removed afterwards.
* `soffice` is a launcher that spawns `soffice.bin`; on timeout the whole process group is killed,
  not just the launcher, so nothing is left running.
* The child gets a minimal environment and a memory ceiling, and it only ever sees a copy of the
  upload under a fixed name, so neither a stray user config nor an odd file name can reach it.
* It cannot reach the network: the profile turns off link updates, macros and fetches on the
  document's behalf, and it runs in a network namespace with no route out (conversion_sandbox.py,
  CONVERSION_NETWORK_ISOLATION). The uploads were neutralised before (office_clean.py); this holds
  even for a file that was not.
"""

import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader

from presentations.conversion_sandbox import IsolationUnavailableError, network_isolation, write_profile_settings

__all__ = ["ConversionFailedError", "ConversionUnavailableError", "convert_to_pdf", "libreoffice_path"]

# Recognisable in `ps`/`pgrep` output and in the temp directory, to spot leftovers of a run.
TEMP_PREFIX = "portal-soffice-"
# Only a plain extension is carried over to the copy: LibreOffice picks its import filter partly from it.
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")
_REASON_MAX_CHARS = 300


class ConversionUnavailableError(RuntimeError):
    """LibreOffice is not installed on this machine."""


class ConversionFailedError(RuntimeError):
    """LibreOffice ran but produced no usable PDF; str(error) is a short reason for the organisers."""


def libreoffice_path() -> str | None:
    """The LibreOffice program to run, or None when there is none that can be executed."""
    configured = getattr(settings, "LIBREOFFICE_BINARY", "")
    if configured:
        # shutil.which checks that the file exists and is executable, for a path or a bare name alike.
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(
    source: Path,
    output_dir: Path,
    *,
    timeout: float = 120,
    memory_limit_bytes: int | None = 1536 * 1024 * 1024,
) -> Path:
    """Convert `source` to PDF and return the new PDF's path inside `output_dir` (under a generated name).

    Raises ConversionUnavailableError when LibreOffice is not installed, and ConversionFailedError
    when it times out or does not produce a PDF with at least one page.
    """
    binary = libreoffice_path()
    if binary is None:
        raise ConversionUnavailableError(_("LibreOffice is not installed"))
    try:
        isolation = network_isolation(getattr(settings, "CONVERSION_NETWORK_ISOLATION", "auto"))
    except IsolationUnavailableError as error:
        raise ConversionFailedError(
            _(
                "LibreOffice must run without network access (CONVERSION_NETWORK_ISOLATION=required), "
                "but this machine cannot isolate it: %(reason)s"
            )
            % {"reason": error}
        ) from None

    source = Path(source)
    output_dir = Path(output_dir)
    workdir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    try:
        profile_dir = workdir / "profile"
        out_dir = workdir / "out"
        tmp_dir = workdir / "tmp"
        for directory in (profile_dir, out_dir, tmp_dir):
            directory.mkdir()
        write_profile_settings(profile_dir, binary)
        suffix = source.suffix.lower() if _SAFE_SUFFIX.fullmatch(source.suffix) else ""
        work_input = workdir / f"input{suffix}"
        shutil.copyfile(source, work_input)
        log_path = workdir / "soffice.log"

        # `unshare` (when isolating) execs LibreOffice in place: same process, same group to kill.
        command = [
            *isolation,
            binary,
            f"-env:UserInstallation={profile_dir.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(work_input),
        ]
        # Nothing from the web process's environment: HOME and TMPDIR point into this run's own
        # directory, so no user config is read and temporary files are removed with it.
        env = {
            "HOME": str(workdir),
            "TMPDIR": str(tmp_dir),
            "PATH": os.environ.get("PATH", os.defpath),
            "LANG": "C.UTF-8",
        }
        # Output goes to a file rather than a pipe: reading a pipe could block on a child that outlives the kill.
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=workdir,
                env=env,
                start_new_session=True,  # its own process group, so soffice.bin can be killed with it
                preexec_fn=_memory_ceiling(memory_limit_bytes),
                close_fds=True,
            )
            try:
                returncode = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                raise ConversionFailedError(
                    _("LibreOffice timed out after %(seconds)g s") % {"seconds": timeout}
                ) from None
            # The launcher can exit before soffice.bin: make sure none of the group outlives the run.
            _kill_group(process)

        produced = out_dir / "input.pdf"
        reason = _pdf_problem(produced)
        if reason is not None:
            if returncode != 0:
                reason += " " + _("(exit code %(code)d)") % {"code": returncode}
            last_line = _last_line(log_path)
            if last_line:
                reason += f": {last_line}"
            raise ConversionFailedError(reason)

        output_dir.mkdir(parents=True, exist_ok=True)
        destination = output_dir / f"{uuid4().hex}.pdf"
        shutil.move(produced, destination)
        return destination
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _memory_ceiling(limit: int | None):
    """A preexec_fn capping the child's address space, inherited by soffice.bin; None when there is no limit."""
    if limit is None:
        return None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def _kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process's whole group, reap the launcher, and wait briefly for the rest to die."""
    with contextlib.suppress(ProcessLookupError):  # the group is already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # Grandchildren are reaped by init, not by us: wait (bounded) until none is still running.
    deadline = time.monotonic() + 2
    while _group_has_live_member(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _group_has_live_member(pgid: int) -> bool:
    """Whether a process of group `pgid` is still running; zombies do not count.

    soffice.bin leaves short-lived helpers (gpgconf, gpg) as zombies of init, which may reap them
    only about once a second; waiting for those would add a second to every conversion.
    """
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    proc = Path("/proc")
    if not proc.is_dir():
        return True  # no /proc to tell zombies apart: rely on the bounded wait
    for stat_file in proc.glob("[0-9]*/stat"):
        try:
            stat = stat_file.read_text()
        except OSError:
            continue  # the process ended while we looked
        # After "(comm)" come state, ppid, pgrp; comm itself may contain spaces or parentheses.
        fields = stat.rpartition(")")[2].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def _pdf_problem(path: Path) -> str | None:
    """Why `path` is not a usable PDF, or None when it opens with pypdf and has at least one page."""
    if not path.is_file():
        return _("LibreOffice produced no PDF")
    try:
        pages = len(PdfReader(path).pages)
    except Exception:  # pypdf raises many kinds of error on a damaged file; any of them means unusable
        return _("LibreOffice produced an unreadable PDF")
    if pages < 1:
        return _("LibreOffice produced a PDF with no pages")
    return None


def _last_line(log_path: Path) -> str:
    """The last non-empty line LibreOffice printed, truncated for display."""
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:_REASON_MAX_CHARS] if lines else ""
