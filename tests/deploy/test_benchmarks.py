"""The production benchmarks keep working: each run small, its figures checked for what is not
about speed (no error, every upload stored once and converted, queries flat). Their speed
targets are the benchmarks' own business (`make bench`), never asserted here."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from presentations.conversion import libreoffice_path
from testkit.nginx import NGINX

BASE_DIR = Path(__file__).resolve().parents[2]


def _run_benchmark(script: str, *args: str, timeout: int = 600) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PORTAL_TEST_", "PYTEST_"))}
    finished = subprocess.run(
        [sys.executable, f"bench/{script}", *args],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    lines = finished.stdout.strip().splitlines()
    assert lines, finished.stderr[-4000:]
    return {"exit": finished.returncode, "stderr": finished.stderr[-4000:], **json.loads(lines[-1])}


def test_the_load_benchmark_serves_every_page_without_error_and_flat_queries():
    figures = _run_benchmark("web.py", "--requests", "60", "--concurrency", "10")
    assert figures["exit"] == 0, figures["stderr"]
    pages = ("floor", "floor_signed_in", "home", "programme", "programme_ics", "dashboard", "participants")
    for page in pages:
        assert figures[page]["requests"] > 0, page
        assert figures[page]["errors"] == 0, (page, figures[page])
    assert figures["workshop"] == {"presentations": 60, "listed_participants": 150}
    assert figures["queries_flat"] is True, figures["queries"]


@pytest.mark.skipif(not os.access(NGINX, os.X_OK), reason="nginx is not installed (apt-get install nginx)")
@pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed")
def test_an_upload_burst_through_nginx_stores_each_deck_once_and_converts_it():
    figures = _run_benchmark("upload_burst.py", "--delegates", "4", "--size-mb", "2", "--slides", "4")
    assert figures["missed_targets"] == [], figures
    assert figures["exit"] == 0, figures["stderr"]
    assert figures["upload"]["statuses"] == {"302": 4}
    assert figures["storage"]["orphan_files"] == 0
    assert figures["conversion"]["converted"] == 4


def test_the_proceedings_benchmark_with_photo_decks_keeps_scratch_bounded_and_both_editions_sound():
    figures = _run_benchmark("proceedings.py", "--heavy-mb", "60", "--dpi", "200", "--no-workers", timeout=900)
    assert figures["exit"] == 0, figures["stderr"]
    assert figures["decks"] == "heavy"
    assert figures["web_copies"] == {**figures["web_copies"], "made": 60, "failed": 0}
    # What a build leaves on disk, and the most it used there: within twice the volume it wrote.
    assert figures["scratch_left_mb"] == 0
    assert figures["scratch_over_print"] <= 2
    editions = figures["editions"]
    assert editions["editions_same_pages"] is True
    assert editions["print_bookmarks_checked"] >= 60
    assert editions["print_bookmarks_missed"] == []
    assert editions["web_bookmarks_checked"] == editions["print_bookmarks_checked"]
    assert editions["web_bookmarks_missed"] == []
    assert editions["web_mb"] < editions["print_mb"]
    assert figures["peak_rss_mb"] is not None


def test_the_outbox_benchmark_sends_every_email_once_even_after_a_sigkill():
    figures = _run_benchmark("outbox.py", "--recipients", "60")
    assert figures["exit"] == 0, figures["stderr"]
    assert figures["throughput"]["statuses"] == {"sent": 60}
    assert figures["throughput"]["delivered"] == 60
    kill = figures["sigkill"]
    assert (kill["duplicates"], kill["lost"], kill["sent_not_delivered"]) == (0, 0, 0), kill
    assert kill["uncertain"] <= 1
    failures = figures["failures"]
    assert failures["refused"]["after_retry"]["statuses"] == {"sent": 3, "failed": 1}
    assert failures["refused"]["after_retry"]["answers"][0].startswith("550 ")
    assert failures["dropped"]["after_retry"]["statuses"] == {"sent": 10}
    assert failures["dropped"]["duplicates"] == 0
    assert failures["down"]["after_all_attempts"] == {
        "statuses": {"failed": 3},
        "attempts": [5],
        "answers": ["ConnectionRefusedError: [Errno 111] Connection refused"],
    }


def test_the_messages_benchmark_sends_a_composed_message_once_to_its_audience():
    figures = _run_benchmark("messages.py", "--recipients", "60")
    assert figures["exit"] == 0, figures["stderr"]
    sent = figures["send"]
    assert (sent["recipients"], sent["delivered"], sent["duplicates"]) == (40, 40, 0)  # 20 unsubscribed
    assert sent["rows_after_second_click"] == 40
    assert "already been sent" in sent["second_click"]
    assert sent["languages"] == {"en": 20, "fr": 10, "ru": 10}  # Arabic readers get the first language
    assert sent["list_unsubscribe_header"] is True
    assert figures["audience"]["at_100"]["queries"] == figures["audience"]["at_60"]["queries"] == 2


def test_the_documents_benchmark_issues_each_certificate_once_and_keeps_them_the_second_time():
    figures = _run_benchmark("documents.py", "--participants", "8")
    assert figures["exit"] == 0, figures["stderr"]
    assert figures["status"] == "ready"
    assert figures["issued"] == 8
    assert figures["second_batch"] == {**figures["second_batch"], "issued": 0, "kept": 8}
    assert set(figures["pdf_median_bytes"]) == {"en", "fr", "ar", "ru"}


def test_the_backup_benchmark_restores_the_workshop_and_its_published_volume_whole():
    figures = _run_benchmark("backup.py", "--small")
    assert figures["exit"] == 0, figures["stderr"]
    assert (figures["presentations"], figures["participants"], figures["proceedings_built"]) == (5, 150, True)
    assert figures["files"] > figures["presentations"]  # the decks, their copies and the volume
    assert (figures["rows_equal"], figures["files_equal"], figures["published_sha256_equal"]) == (True, True, True)
    assert figures["archive_encrypted_mb"] >= figures["archive_mb"] > 0
