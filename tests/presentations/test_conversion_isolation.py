"""LibreOffice converts with no route out (presentations/conversion_sandbox.py): proven with a canary
HTTP server on loopback and a deck that names it, converted WITHOUT neutralising it first, so that
only the isolation stands between LibreOffice and the canary. No database needed.
"""

import logging
import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from defusedxml import ElementTree
from pypdf import PdfReader

from presentations import conversion_sandbox
from presentations.conversion import TEMP_PREFIX, ConversionFailedError, convert_to_pdf, libreoffice_path
from presentations.conversion_sandbox import (
    PROFILE_SETTINGS,
    network_isolation,
    probe_network_namespace,
    schema_directory,
    schema_properties,
    write_profile_settings,
)
from tests.canary import Canary
from tests.office_files import ordinary_pptx, pptx_external_ole_link

needs_libreoffice = pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed")
_PREFIX, _REASON = probe_network_namespace()
needs_isolation = pytest.mark.skipif(not _PREFIX, reason=f"no network namespace on this machine: {_REASON}")


@pytest.fixture
def canary():
    with Canary() as server:
        yield server


@pytest.fixture
def fresh_probe():
    """The probe runs again for this test, and again for the next one."""
    probe_network_namespace.cache_clear()
    yield
    probe_network_namespace.cache_clear()


@pytest.fixture
def run_temp_dir(tmp_path, monkeypatch) -> Path:
    base = tmp_path / "runs"
    base.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(base))
    return base


def _hits_after_settling(canary: Canary) -> tuple[int, list[str]]:
    time.sleep(0.3)  # a connection LibreOffice opened is accepted by the server's thread, not at once
    return canary.hits()


def _linked_deck(tmp_path: Path, canary: Canary) -> Path:
    # A linked OLE object: LibreOffice 7.4 fetches it even with BlockUntrustedRefererLinks on (measured).
    path = tmp_path / "linked.pptx"
    path.write_bytes(pptx_external_ole_link(canary.url("sheet.xlsx")))
    return path


@needs_libreoffice
@needs_isolation
def test_isolation_alone_keeps_libreoffice_from_what_the_file_names(tmp_path, canary, settings):
    settings.CONVERSION_NETWORK_ISOLATION = "required"

    pdf = convert_to_pdf(_linked_deck(tmp_path, canary), tmp_path / "pdfs")

    assert len(PdfReader(pdf).pages) >= 1
    assert _hits_after_settling(canary) == (0, [])


@needs_libreoffice
def test_without_isolation_the_same_file_reaches_the_canary(tmp_path, canary, settings):
    # The control: the deck really makes LibreOffice fetch, despite the profile's settings, so the
    # test above proves the namespace and not a file that fetches nothing.
    settings.CONVERSION_NETWORK_ISOLATION = "off"

    convert_to_pdf(_linked_deck(tmp_path, canary), tmp_path / "pdfs")

    connections, requests = _hits_after_settling(canary)
    assert connections > 0
    assert any("/sheet.xlsx" in line for line in requests), requests


def _soffice_processes(marker: str) -> dict[int, str]:
    """{pid: network namespace} of the running processes whose command line contains `marker`."""
    found = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found[int(entry.name)] = os.readlink(entry / "ns" / "net")
        except OSError:
            continue  # ended while we looked
    return found


@needs_libreoffice
@needs_isolation
def test_libreoffice_runs_in_a_network_namespace_of_its_own_and_leaves_nothing_behind(tmp_path, run_temp_dir, settings):
    settings.CONVERSION_NETWORK_ISOLATION = "required"
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(ordinary_pptx())
    marker = f"UserInstallation={run_temp_dir.as_uri()}/{TEMP_PREFIX}"
    seen: dict[int, str] = {}
    result: list[Path] = []
    worker = threading.Thread(target=lambda: result.append(convert_to_pdf(deck, tmp_path / "pdfs")))
    worker.start()
    while worker.is_alive():
        seen.update(_soffice_processes(marker))
        time.sleep(0.02)
    worker.join()

    assert result, "the conversion finished"
    assert seen, "LibreOffice was seen running"
    assert os.readlink("/proc/self/ns/net") not in seen.values()
    leftovers = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True, check=False)
    assert leftovers.returncode == 1, leftovers.stdout


@needs_libreoffice
@needs_isolation
def test_a_timed_out_conversion_is_killed_inside_the_namespace(tmp_path, run_temp_dir, settings):
    settings.CONVERSION_NETWORK_ISOLATION = "required"
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(ordinary_pptx())

    with pytest.raises(ConversionFailedError, match="timed out"):
        convert_to_pdf(deck, tmp_path / "pdfs", timeout=0.8)

    marker = f"UserInstallation={run_temp_dir.as_uri()}/{TEMP_PREFIX}"
    leftovers = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True, check=False)
    assert leftovers.returncode == 1, leftovers.stdout
    assert list(run_temp_dir.iterdir()) == []


@needs_libreoffice
def test_required_isolation_fails_the_conversion_with_the_reason_where_it_is_unavailable(
    tmp_path, settings, monkeypatch, fresh_probe
):
    monkeypatch.setattr(conversion_sandbox, "UNSHARE_PROGRAM", "unshare-absent-on-this-machine")
    settings.CONVERSION_NETWORK_ISOLATION = "required"
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(ordinary_pptx())

    with pytest.raises(ConversionFailedError) as excinfo:
        convert_to_pdf(deck, tmp_path / "pdfs")

    assert "CONVERSION_NETWORK_ISOLATION=required" in str(excinfo.value)
    assert "unshare-absent-on-this-machine" in str(excinfo.value)
    assert not (tmp_path / "pdfs").exists()


def test_auto_runs_without_isolation_where_it_is_unavailable_and_warns_once(monkeypatch, caplog, fresh_probe):
    monkeypatch.setattr(conversion_sandbox, "UNSHARE_PROGRAM", "unshare-absent-on-this-machine")
    monkeypatch.setattr(conversion_sandbox, "_warned", threading.Event())

    with caplog.at_level(logging.WARNING, logger="presentations.conversion_sandbox"):
        assert network_isolation("auto") == []
        assert network_isolation("auto") == []
    assert network_isolation("off") == []

    warnings = [record for record in caplog.records if "WITHOUT network isolation" in record.getMessage()]
    assert len(warnings) == 1
    assert "unshare-absent-on-this-machine" in warnings[0].getMessage()


@needs_isolation
def test_the_probe_finds_a_namespace_with_nothing_but_loopback():
    prefix, reason = probe_network_namespace()
    assert reason == ""
    inside = subprocess.run([*prefix, "cat", "/proc/net/dev"], capture_output=True, text=True, check=True)
    interfaces = [line.split(":")[0].strip() for line in inside.stdout.splitlines()[2:]]
    assert interfaces == ["lo"]


@needs_libreoffice
def test_the_profile_names_only_settings_the_installed_libreoffice_declares(tmp_path):
    binary = libreoffice_path()
    declared = schema_properties(schema_directory(binary))
    assert len(declared) > 1000, "the installed schema was found and read"

    written = write_profile_settings(tmp_path, binary)

    for path, name, _value, only_if_declared in PROFILE_SETTINGS:
        key = f"{path}/{name}"
        if not only_if_declared:
            assert key in declared, f"{key} is not in the installed schema: a typo, or a renamed setting"
        assert (key in written) == (key in declared)
    root = ElementTree.parse(tmp_path / "user" / "registrymodifications.xcu").getroot()
    oor = "{http://openoffice.org/2001/registry}"
    items = {
        f"{item.get(f'{oor}path')}/{prop.get(f'{oor}name')}": prop.findtext("value") for item in root for prop in item
    }
    assert set(items) == set(written)
    scripting = "/org.openoffice.Office.Common/Security/Scripting"
    assert items[f"{scripting}/BlockUntrustedRefererLinks"] == "true"
    assert items[f"{scripting}/MacroSecurityLevel"] == "3"
    assert items["/org.openoffice.Office.Writer/Content/Update/Link"] == "0"
    assert re.fullmatch(r"\d+", items["/org.openoffice.Office.Calc/Content/Update/Link"])
