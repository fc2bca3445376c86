"""The c3voc schemas the schedule feeds are validated against are fetched when the tests start
(they are c3voc's, not copied into this repository). C3VOC_SCHEMA_DIR may name a folder that
already holds schema.xsd and schema.json. Where neither can be had (no network), the tests marked
`requires_c3voc_schemas` are deselected, not skipped, and the run says so."""

import os
import urllib.request
from pathlib import Path

import pytest

SCHEMA_URLS = {
    "schema.xsd": "https://c3voc.de/schedule/schema.xsd",
    "schema.json": "https://c3voc.de/schedule/schema.json",
}
_schemas: dict[str, Path] | None = None


def _fetch_schemas(folder: Path) -> dict[str, Path] | None:
    given = os.environ.get("C3VOC_SCHEMA_DIR")
    if given:
        paths = {name: Path(given) / name for name in SCHEMA_URLS}
        return paths if all(path.exists() for path in paths.values()) else None
    paths = {}
    for name, url in SCHEMA_URLS.items():
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                (folder / name).write_bytes(response.read())
        except OSError:
            return None
        paths[name] = folder / name
    return paths


def pytest_collection_modifyitems(config, items):
    global _schemas
    marked = [item for item in items if item.get_closest_marker("requires_c3voc_schemas")]
    if not marked:
        return
    folder = Path(config._tmp_path_factory.mktemp("c3voc")) if hasattr(config, "_tmp_path_factory") else None
    if folder is None:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="c3voc-"))
    _schemas = _fetch_schemas(folder)
    if _schemas is None:
        config.hook.pytest_deselected(items=marked)
        items[:] = [item for item in items if not item.get_closest_marker("requires_c3voc_schemas")]
        config._c3voc_unavailable = len(marked)


def pytest_terminal_summary(terminalreporter, config):
    if getattr(config, "_c3voc_unavailable", 0):
        terminalreporter.write_line(
            f"c3voc schemas could not be fetched: {config._c3voc_unavailable} schema validation test(s) deselected"
        )


@pytest.fixture
def c3voc_schemas() -> dict[str, Path]:
    assert _schemas is not None
    return _schemas
