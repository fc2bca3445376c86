"""Builds through the workers: requested after commit, progress, retries, the watchdog, a lost worker."""

import datetime
import os
import signal
import subprocess
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings.build_job import MAX_ATTEMPTS
from reports.proceedings.pipeline import proceedings_launch, proceedings_watchdog
from reports.proceedings.services import proceedings_publish, proceedings_request_build
from testkit.factories import approved_delegate, staff_user, verified_user
from tests.reports.proceedings_fixtures import build_material
from workshop_portal.roles import SECRETARIAT

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]


def _wait(build: ProceedingsBuild, timeout: float = 180) -> ProceedingsBuild:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        build.refresh_from_db()
        if not build.is_pending:
            return build
        time.sleep(0.2)
    return build


def test_a_requested_build_runs_after_commit_and_ends_ready(celery_worker_process, mailbox):
    material = build_material()
    result = proceedings_request_build(workshop=material["workshop"], by=material["organiser"])
    assert result.outcome == "queued"
    build = _wait(result.build)
    assert build.status == BuildStatus.READY, build.error + build.log
    assert build.progress_done == build.progress_total
    assert build.attempts == 1
    assert build.page_count > 10
    assert len(mailbox.wait_for(1, to="organiser@example.org")) == 1
    assert mailbox.messages(to="organiser@example.org")[0].subject.startswith("Proceedings ready")


def test_a_second_request_while_building_gets_the_same_build(celery_worker_process):
    material = build_material()
    first = proceedings_request_build(workshop=material["workshop"], by=material["organiser"])
    second = proceedings_request_build(workshop=material["workshop"], by=material["organiser"])
    if first.build.is_pending and ProceedingsBuild.objects.get(pk=first.build.pk).is_pending:
        assert second.outcome == "already_running"
    assert second.build.pk == first.build.pk
    _wait(first.build)
    assert ProceedingsBuild.objects.count() == 1


def test_parallel_requests_make_one_build(celery_worker_process):
    material = build_material()
    results = []
    barrier = threading.Barrier(4)

    def request():
        try:
            barrier.wait()
            results.append(proceedings_request_build(workshop=material["workshop"], by=material["organiser"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len({r.build.pk for r in results}) == 1
    _wait(results[0].build)
    assert ProceedingsBuild.objects.count() == 1


def test_an_unchanged_workshop_reuses_its_last_ready_build(celery_worker_process):
    material = build_material()
    first = _wait(proceedings_request_build(workshop=material["workshop"], by=material["organiser"]).build)
    again = proceedings_request_build(workshop=material["workshop"], by=material["organiser"])
    assert again.outcome == "unchanged"
    assert again.build.pk == first.pk


def test_a_build_that_always_crashes_stops_after_three_attempts(celery_worker_process, mailbox):
    material = build_material()
    build = ProceedingsBuild.objects.create(
        workshop=material["workshop"],
        requested_by=material["organiser"],
        inputs_hash="broken",
        # A manifest no renderer can read: every attempt fails the same way.
        manifest={"template": "x", "language": "en", "workshop": {}, "sessions": [{"id": 1}], "participants": []},
        progress_total=5,
    )
    proceedings_launch(build, reason="test")
    build = _wait(build)
    assert build.status == BuildStatus.FAILED
    assert build.attempts == MAX_ATTEMPTS
    assert "KeyError" in build.error
    assert build.log.count("failed") >= MAX_ATTEMPTS
    assert mailbox.wait_for(1, to="organiser@example.org")[0].subject.startswith("Proceedings build failed")


def test_the_watchdog_restarts_a_stalled_build_then_gives_up(celery_worker_process, settings):
    material = build_material()
    build = _wait(proceedings_request_build(workshop=material["workshop"], by=material["organiser"]).build)
    # Pretend a worker vanished while running attempt 1.
    stale = timezone.now() - datetime.timedelta(seconds=settings.PROCEEDINGS_STALE_SECONDS + 5)
    ProceedingsBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, heartbeat_at=stale, file="")
    assert proceedings_watchdog() == [build.pk]
    build = _wait(build)
    assert build.status == BuildStatus.READY
    assert build.attempts == 2
    ProceedingsBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, heartbeat_at=stale, attempts=3)
    proceedings_watchdog()
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED
    assert "stalled" in build.error


@pytest.mark.requires_worker
def test_a_worker_killed_in_the_middle_of_a_build_still_ends_with_one_ready_build(celery_worker_process):
    material = build_material()
    build = proceedings_request_build(workshop=material["workshop"], by=material["organiser"]).build
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        build.refresh_from_db()
        if build.status == BuildStatus.RUNNING:
            break
        time.sleep(0.02)
    children = subprocess.run(["pgrep", "-P", str(celery_worker_process.pid)], capture_output=True, text=True)
    killed = [int(pid) for pid in children.stdout.split()]
    for pid in killed:
        os.kill(pid, signal.SIGKILL)  # the pool processes, mid-task; the main worker starts new ones
    assert killed
    build = _wait(build)
    assert build.status == BuildStatus.READY, build.error + build.log
    assert ProceedingsBuild.objects.filter(workshop=material["workshop"]).count() == 1
    assert celery_worker_process.poll() is None


# The secretariat's page


def test_the_secretariat_starts_a_build_and_downloads_it(client, celery_worker_process):
    material = build_material()
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    slug = material["workshop"].slug
    response = client.post(reverse("reports:build_start", args=[slug]), {"language": "en"}, follow=True)
    html = response.content.decode()
    # Inline (no broker) the build is done within the request; with a worker it has just started.
    assert "The build has started" in html or "is ready." in html
    build = _wait(ProceedingsBuild.objects.get())
    status = client.get(reverse("reports:build_status", args=[build.pk])).json()
    assert status["status"] == "ready"
    assert status["finished"] is True
    page = client.get(reverse("reports:builds", args=[slug])).content.decode()
    assert build.sha256 in page
    download = client.get(reverse("reports:build_download", args=[build.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"


def test_participants_download_only_the_published_build(client, celery_worker_process):
    material = build_material()
    build = _wait(proceedings_request_build(workshop=material["workshop"], by=material["organiser"]).build)
    participant = approved_delegate(material["workshop"], "KZ")
    client.force_login(participant.user)
    url = reverse("reports:published", args=[material["workshop"].slug])
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:build_download", args=[build.pk])).status_code == 404
    proceedings_publish(build=build, by=material["organiser"])
    assert client.get(url).status_code == 200
    client.force_login(verified_user("stranger@example.org"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:builds", args=[material["workshop"].slug])).status_code == 403


def _assembled_but_lost(build: ProceedingsBuild) -> ProceedingsBuild:
    """The state a worker killed between the chord's last count and its sending of the assembly
    leaves: every piece of the attempt rendered (the cached parts of `build`), the build running."""
    build.refresh_from_db()
    build.pk = None
    build.status, build.file, build.attempts, build.log, build.is_published = BuildStatus.RUNNING, "", 1, "", False
    build.save()
    return build


def test_a_piece_delivered_again_asks_for_the_assembly_the_chord_lost(celery_worker_process):
    from reports.proceedings.manifest import manifest_pieces
    from reports.proceedings.pipeline import proceedings_render_piece

    material = build_material()
    ready = _wait(proceedings_request_build(workshop=material["workshop"], by=material["organiser"]).build)
    assert ready.status == BuildStatus.READY, ready.error + ready.log
    ProceedingsBuild.objects.filter(pk=ready.pk).update(status=BuildStatus.FAILED)  # one pending build at a time
    last_piece = manifest_pieces(ready.manifest)[-1]

    first_delivery = _assembled_but_lost(ready)
    proceedings_render_piece(build_id=first_delivery.pk, attempt=1, piece=last_piece)
    time.sleep(1)
    first_delivery.refresh_from_db()
    assert first_delivery.status == BuildStatus.RUNNING  # a first delivery leaves the assembly to the chord
    ProceedingsBuild.objects.filter(pk=first_delivery.pk).update(status=BuildStatus.FAILED)

    again = _assembled_but_lost(ready)
    proceedings_render_piece(build_id=again.pk, attempt=1, piece=last_piece, redelivered=True)
    again = _wait(again, timeout=60)
    assert again.status == BuildStatus.READY, again.error + again.log
    assert again.page_count == ready.page_count
