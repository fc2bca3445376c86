"""The demo, seeded once per test run and loaded after.

Seeding the demo takes the better part of a minute (it renders some 130 letters and certificates
with WeasyPrint). Tests that start from it (the journeys, the checks of what the demo holds) seed
it once through a DemoSnapshot, which keeps its rows as a fixture and its files as a copy; each
later `load()` puts the files back as the seed left them and loads the rows (a few seconds).
"""

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

# Rows every test database has from its migrations, with the same keys throughout a run.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


def _media_roots() -> list[Path]:
    return [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]


class DemoSnapshot:
    def __init__(self, seed: Callable[[], str]):
        """`seed()` seeds the demo and returns what the command printed."""
        self._seed = seed
        self._folder: Path | None = None
        self.output = ""

    def load(self) -> str:
        """The demo in the test database and its files on disk; what the seed printed."""
        if self._folder is None:
            folder = Path(tempfile.mkdtemp(prefix="demo-snapshot-", dir=Path(settings.MEDIA_ROOT).parent))
            self.output = self._seed()
            call_command("dumpdata", all=True, exclude=EXCLUDED, output=str(folder / "demo.json"), verbosity=0)
            for index, root in enumerate(_media_roots()):
                if root.exists():
                    shutil.copytree(root, folder / f"files-{index}")
            self._folder = folder
            return self.output
        # The files as the seed left them (an earlier test may have added or deleted some), then the rows.
        for index, root in enumerate(_media_roots()):
            shutil.rmtree(root, ignore_errors=True)
            if (self._folder / f"files-{index}").exists():
                shutil.copytree(self._folder / f"files-{index}", root)
        call_command("loaddata", str(self._folder / "demo.json"), verbosity=0)
        return self.output
