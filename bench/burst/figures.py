"""What the burst measured and whether it met its targets: uploads, conversions, what is stored
against what was sent, error lines in the logs, temporary files left."""

import math
import statistics
import subprocess
import time
from collections import Counter
from pathlib import Path

from bench.burst.browser import Upload
from bench.burst.decks import MB, file_sha256, package_parts
from bench.burst.delegates import Delegate

TARGET_WORKER_GROWTH_MB = 64

# What counts as an error line in each log.
NGINX_ERRORS = ("[error]", "[crit]", "[alert]", "[emerg]")
GUNICORN_ERRORS = (" ERROR ", "[ERROR]", " CRITICAL ", "[CRITICAL]")
CELERY_ERRORS = ("ERROR/", "CRITICAL/")


def wait_for_conversions(workshop, worker: subprocess.Popen, deadline: float) -> bool:
    """Until no version of the workshop waits or converts; False at the deadline or when the worker died."""
    from presentations.enums import ConversionStatus
    from presentations.models import PresentationFile

    unfinished = PresentationFile.objects.filter(
        presentation__workshop=workshop,
        conversion_status__in=[ConversionStatus.PENDING, ConversionStatus.CONVERTING],
    )
    while unfinished.exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def quantiles(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"p50_s": None, "p95_s": None, "max_s": None}
    return {
        "p50_s": round(statistics.median(ordered), 2),
        "p95_s": round(ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)], 2),
        "max_s": round(ordered[-1], 2),
    }


def upload_figures(uploads: list[Upload], wall_s: float, delegates: list[Delegate]) -> dict:
    from django.urls import reverse

    redirected = sum(
        1
        for upload, delegate in zip(uploads, delegates, strict=True)
        if upload.status == 302 and upload.location == reverse("presentations:detail", args=[delegate.presentation_id])
    )
    sent_mb = sum(upload.body_bytes for upload in uploads) / MB
    return {
        "wall_s": round(wall_s, 2),
        **quantiles([upload.seconds for upload in uploads]),
        "aggregate_mb_s": round(sent_mb / wall_s, 1),
        "statuses": dict(Counter(str(upload.status) for upload in uploads)),
        "redirected_to_presentation": redirected,
    }


def conversion_figures(versions, burst_ids: set[int], burst_started_at: float, uploads_wall_s: float) -> dict:
    from presentations.enums import ConversionStatus

    burst = [version for version in versions if version.presentation_id in burst_ids]
    done = [version for version in burst if version.conversion_status == ConversionStatus.CONVERTED]
    last = max((version.converted_at.timestamp() for version in done), default=None)
    per_deck = [(version.converted_at - version.conversion_started_at).total_seconds() for version in done]
    waits = [(version.conversion_started_at - version.conversion_queued_at).total_seconds() for version in done]
    wall_s = last - burst_started_at if last else None
    return {
        "converted": len(done),
        "statuses": dict(Counter(version.conversion_status for version in versions)),
        "max_attempts": max((version.conversion_attempts for version in versions), default=0),
        "wall_s_from_burst_start": round(wall_s, 1) if wall_s else None,
        "after_last_upload_s": round(wall_s - uploads_wall_s, 1) if wall_s else None,
        "decks_per_minute": round(len(done) / wall_s * 60, 1) if wall_s else None,
        "per_deck": quantiles(per_deck),
        "queue_wait_max_s": round(max(waits), 1) if waits else None,
    }


def storage_figures(versions, delegates: list[Delegate], private_root: Path) -> dict:
    """What is stored against what was sent: one version per presentation, its bytes, and the folder's files."""
    from presentations.enums import ConversionStatus

    sent = {delegate.presentation_id: delegate for delegate in delegates}
    per_presentation = Counter(version.presentation_id for version in versions)
    referenced = {version.file.name for version in versions}
    referenced |= {version.pdf.name for version in versions if version.pdf}
    referenced |= {version.web_pdf.name for version in versions if version.web_pdf}
    on_disk = {str(path.relative_to(private_root)) for path in private_root.rglob("*") if path.is_file()}
    # The portal stores the neutralised copy of a deck (a rewritten package), not the bytes sent: a
    # deck is intact when its stored file matches its recorded SHA-256 and holds every part sent, unchanged.
    intact = sum(
        1
        for version in versions
        if version.presentation_id in sent
        and (private_root / version.file.name).is_file()
        and file_sha256(private_root / version.file.name) == version.sha256
        and package_parts(private_root / version.file.name) == package_parts(sent[version.presentation_id].deck)
    )
    complete_pdfs = sum(
        1
        for version in versions
        if version.conversion_status == ConversionStatus.CONVERTED
        and version.pdf
        and (private_root / version.pdf.name).is_file()
        and version.page_count == sent[version.presentation_id].pages
    )
    return {
        "presentations": len(sent),
        "stored_once": sum(1 for presentation_id in sent if per_presentation[presentation_id] == 1),
        "versions": len(versions),
        "intact_sha256": intact,
        "deck_files": sum(1 for name in on_disk if name.endswith(".pptx")),
        "pdf_files": len(on_disk & {version.pdf.name for version in versions if version.pdf}),
        "web_copies": sum(1 for version in versions if version.web_pdf),
        "pdfs_complete": complete_pdfs,
        "orphan_files": len(on_disk - referenced),
        "missing_files": len(referenced - on_disk),
    }


def lines_with(path: Path, markers: tuple[str, ...]) -> int:
    if not path.exists():
        return 0
    return sum(1 for line in path.read_text(errors="replace").splitlines() if any(m in line for m in markers))


def files_under(*folders: Path) -> int:
    return sum(1 for folder in folders if folder.exists() for path in folder.rglob("*") if path.is_file())


TARGETS = {
    "upload_status": 302,
    "web_worker_growth_mb": TARGET_WORKER_GROWTH_MB,
    "versions_per_presentation": 1,
    "orphan_or_missing_files": 0,
    "failed_conversions": 0,
    "conversion_attempts": 1,
    "error_log_lines": 0,
    "web_worker_restarts": 0,
    "celery_worker_alive": True,
    "leftover_temp_files": 0,
}


def missed_targets(figures: dict, delegates: int) -> list[str]:
    """The names of the targets this run missed (none: it meets them all)."""
    storage, conversion = figures["storage"], figures["conversion"]
    uploads = storage["presentations"]
    logged_errors = figures["nginx_error_lines"] + figures["gunicorn_error_lines"] + figures["celery_error_lines"]
    checks = {
        "every upload redirected": figures["upload"]["redirected_to_presentation"] == delegates,
        "web worker memory": figures["web_memory"]["max_growth_mb"] <= TARGET_WORKER_GROWTH_MB,
        "web workers never restarted": figures["web_memory"]["restarts"] == 0,
        "stored once": storage["stored_once"] == uploads == storage["versions"],
        "stored decks hold the parts sent": storage["intact_sha256"] == uploads,
        "one deck file per upload": storage["deck_files"] == uploads,
        "one PDF per conversion": storage["pdf_files"] == storage["pdfs_complete"] == uploads,
        "no orphan or missing file": storage["orphan_files"] == storage["missing_files"] == 0,
        "every conversion done": figures["conversions_finished"] and conversion["converted"] == delegates,
        "converted at the first attempt": conversion["max_attempts"] == 1,
        "no error logged": logged_errors == 0,
        "celery worker alive": figures["celery_worker_alive"],
        "no temporary file left": figures["leftover_temp_files"] == 0,
    }
    return [name for name, met in checks.items() if not met]
