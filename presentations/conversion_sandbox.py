"""What keeps LibreOffice from reaching anything while it converts an upload (defence in depth: the
uploads are neutralised before they are stored, office_clean.py).

* A profile that refuses what could fetch or run something: written into each run's fresh profile as
  ``user/registrymodifications.xcu``. Every key was checked against the schema of the installed
  LibreOffice (7.4: /usr/lib/libreoffice/share/registry/main.xcd); a key the installed version does
  not declare is left out rather than guessed (``DisableActiveContent`` exists only in later versions).
  Measured here: ``BlockUntrustedRefererLinks`` stops a linked picture being fetched, but not a linked
  OLE object, which only the network namespace stops.
* A network namespace with no route out: ``unshare --net`` (as root) or ``unshare --net
  --map-root-user`` (an unprivileged user, with user namespaces) runs LibreOffice with nothing but a
  loopback interface that is down, so neither the internet, the cloud metadata address, Redis nor a
  port on the host's own loopback can be reached. `unshare` execs LibreOffice in place (no fork), so
  the process group that conversion.py kills on timeout is still LibreOffice's own. Which form works
  is probed once per process; CONVERSION_NETWORK_ISOLATION says what happens when neither does:
  ``auto`` runs without it and logs a warning once, ``required`` fails the conversion with the reason,
  ``off`` never tries (the process is isolated otherwise, e.g. a container on an internal network).
"""

import functools
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from xml.sax.saxutils import quoteattr

logger = logging.getLogger(__name__)

ISOLATION_MODES = ("auto", "required", "off")
UNSHARE_PROGRAM = "unshare"  # util-linux, looked up on the PATH

# (node path, property, value, only when the installed schema declares it). Writer's link update
# mode: 0 never, 1 on request, 2 always; Calc's: 0 always, 1 never, 2 on request (sc's ScLkUpdMode);
# Impress has no such setting.
PROFILE_SETTINGS = (
    # No picture or other resource is fetched on behalf of the document.
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true", False),
    # Very high: only macros signed by trusted authors run, and none are trusted; and none at all.
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3", False),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true", False),
    ("/org.openoffice.Office.Common/Security/Scripting", "OfficeBasic", "0", False),  # never run Basic
    ("/org.openoffice.Office.Common/Security/Scripting", "ExecutePlugins", "false", False),
    # Later versions only: no OLE, DDE or link activation.
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableActiveContent", "true", True),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0", False),  # never update links
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "1", False),  # never (a chart's data)
)

_LIST_INTERFACES = "import socket; print(*(name for _, name in socket.if_nameindex()))"
_warned = threading.Event()


class IsolationUnavailableError(RuntimeError):
    """CONVERSION_NETWORK_ISOLATION=required, and this machine cannot make a network namespace."""


def schema_directory(binary: str) -> Path:
    """Where the LibreOffice that `binary` starts keeps its configuration schema (.xcd files)."""
    # /usr/bin/soffice -> /usr/lib/libreoffice/program/soffice -> /usr/lib/libreoffice/share/registry
    return Path(os.path.realpath(binary)).parent.parent / "share" / "registry"


@functools.cache
def schema_properties(registry: Path) -> frozenset[str]:
    """Every property the schema in `registry` declares, as "/package.component/group/.../property"."""
    from defusedxml import ElementTree

    oor = "{http://openoffice.org/2001/registry}"
    found: set[str] = set()
    for schema_file in sorted(registry.glob("*.xcd")) if registry.is_dir() else ():
        for component in ElementTree.parse(schema_file).getroot().iter(f"{oor}component-schema"):
            root = f"/{component.get(f'{oor}package')}.{component.get(f'{oor}name')}"
            for element in component.findall("component"):
                _collect(element, root, found, oor)
    return frozenset(found)


def _collect(element, path: str, found: set[str], oor: str) -> None:
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag == "prop":
            found.add(f"{path}/{child.get(f'{oor}name')}")
        elif tag in ("group", "set"):
            _collect(child, f"{path}/{child.get(f'{oor}name')}", found, oor)


def write_profile_settings(profile_dir: Path, binary: str) -> list[str]:
    """Write the settings into a fresh profile; return the "path/property" names written."""
    declared = schema_properties(schema_directory(binary))
    items, written = [], []
    for path, name, value, only_if_declared in PROFILE_SETTINGS:
        if f"{path}/{name}" not in declared and (only_if_declared or declared):
            continue  # unknown to the installed version: left out rather than guessed
        items.append(
            f'<item oor:path={quoteattr(path)}><prop oor:name={quoteattr(name)} oor:op="fuse">'
            f"<value>{value}</value></prop></item>"
        )
        written.append(f"{path}/{name}")
    user_dir = Path(profile_dir) / "user"
    user_dir.mkdir(parents=True, exist_ok=True)
    (user_dir / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + "\n".join(items) + "\n</oor:items>\n",
        encoding="utf-8",
    )
    return written


@functools.cache
def probe_network_namespace() -> tuple[tuple[str, ...], str]:
    """(command prefix, "") when a network namespace with nothing but loopback can be made here;
    ((), reason) when not. Run once per process: a probe costs a few milliseconds."""
    unshare = shutil.which(UNSHARE_PROGRAM)
    if unshare is None:
        return (), f"the {UNSHARE_PROGRAM} program (util-linux) is not installed"
    candidates = [[unshare, "--net"]] if os.geteuid() == 0 else []
    candidates.append([unshare, "--net", "--map-root-user"])
    reason = ""
    for prefix in candidates:
        try:
            result = subprocess.run(
                [*prefix, sys.executable, "-S", "-c", _LIST_INTERFACES],
                capture_output=True,
                text=True,
                timeout=30,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            reason = str(error)
            continue
        if result.returncode == 0 and result.stdout.split() == ["lo"]:
            return tuple(prefix), ""
        lines = (result.stderr or result.stdout).strip().splitlines()
        reason = lines[-1] if lines else f"exit code {result.returncode}"
    return (), reason


def network_isolation(mode: str) -> list[str]:
    """The command prefix that runs LibreOffice in a namespace with no network, per `mode`."""
    if mode == "off":
        return []
    prefix, reason = probe_network_namespace()
    if prefix:
        return list(prefix)
    if mode == "required":
        raise IsolationUnavailableError(reason)
    if not _warned.is_set():
        _warned.set()
        logger.warning(
            "LibreOffice runs WITHOUT network isolation: this machine cannot make a network namespace (%s). "
            "Run conversions where unshare is allowed, or on a network with no route out, and set "
            "CONVERSION_NETWORK_ISOLATION=required there.",
            reason,
        )
    return []
