"""Helpers the hostile-upload tests share."""

from pathlib import Path

from django.conf import settings


def stored_files() -> set[Path]:
    """Every file in private storage: a refused upload must add none."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
