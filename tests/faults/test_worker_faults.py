"""Faults injected into real processes: a worker SIGKILLed mid-conversion, Redis stopped while a
delegate uploads, the broker unreachable when badges or a build are asked for.

Each test that needs a broker starts its own redis-server on a free loopback port and its own
worker pointed at it, so stopping either harms no other test.
"""

import datetime
import subprocess
import time
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from presentations.conversion import TEMP_PREFIX
from presentations.conversion_jobs import conversions_watchdog
from presentations.enums import ConversionStatus
from presentations.models import Presentation, PresentationFile
from presentations.services import presentation_accept_upload
from presentations.tasks import convert_presentation_file
from registrations.badges import badge_batch_request
from registrations.enums import JobStatus
from reports.enums import BuildStatus
from reports.proceedings.pipeline import proceedings_watchdog
from reports.proceedings.services import proceedings_request_build
from testkit.factories import WorkshopFactory, approved_delegate, host_state_presentation
from testkit.files import pptx_bytes, upload
from testkit.workers import RedisServer, Worker, broker_switched, free_port
from tests.reports.proceedings_fixtures import build_material

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.requires_worker]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(broker_url: str, app, **env: str) -> Worker:
        worker = Worker(tmp_path / f"worker-{len(started)}.log", concurrency=1, REDIS_URL=broker_url, **env)
        started.append(worker)
        return worker.wait_ready(app)

    yield start
    for worker in started:
        worker.stop()


def _restarted_worker(redis_server: RedisServer, workers, app) -> Worker:
    """A new worker that hands out a dead worker's unacknowledged messages again after 3 s (it looks every second)."""
    return workers(redis_server.url, app, CELERY_VISIBILITY_TIMEOUT="3", CELERY_RESTORE_SWEEP_SECONDS="1")


@pytest.fixture
def presentation():
    return host_state_presentation()


def _wait_until(condition, timeout: float = 120, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def _status(version: PresentationFile) -> PresentationFile:
    version.refresh_from_db()
    return version


def _stored_files(presentation: Presentation) -> list[Path]:
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "presentations" / str(presentation.workshop_id) / str(presentation.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def _libreoffice_running() -> bool:
    # The conversion's working folder (TEMP_PREFIX) is on soffice's command line.
    return subprocess.run(["pgrep", "-f", TEMP_PREFIX], capture_output=True).returncode == 0


def _kill_libreoffice() -> None:
    subprocess.run(["pkill", "-KILL", "-f", TEMP_PREFIX], capture_output=True)


def test_a_worker_killed_mid_conversion_finishes_it_after_a_restart_exactly_once(redis_server, workers, presentation):
    with broker_switched(redis_server.url) as app:
        first = workers(redis_server.url, app)
        version = presentation_accept_upload(
            presentation=presentation, uploaded_file=upload("deck.pptx", pptx_bytes()), by=presentation.presenter.user
        )
        caught = _wait_until(
            lambda: _status(version).conversion_status == ConversionStatus.CONVERTING and _libreoffice_running(),
            timeout=60,
            step=0.01,
        )
        assert caught, f"the conversion never started:\n{first.log()[-3000:]}"
        task_id = _status(version).conversion_task_id
        first.kill()  # the worker, its pool process and LibreOffice, as when a host dies
        _kill_libreoffice()
        killed = _status(version)
        assert killed.conversion_status == ConversionStatus.CONVERTING
        assert killed.conversion_attempts == 1
        assert not killed.pdf

        # Restarted with a short visibility timeout, Redis hands the unacknowledged message out again.
        second = _restarted_worker(redis_server, workers, app)
        done = _wait_until(lambda: _status(version).conversion_status == ConversionStatus.CONVERTED, timeout=120)
        assert done, f"not converted after the restart: {_status(version).conversion_status}\n{second.log()[-3000:]}"
        version = _status(version)
        assert version.conversion_task_id == task_id  # the same message, delivered again
        assert version.conversion_attempts == 2
        assert len(pypdf.PdfReader(version.pdf.open("rb")).pages) == version.page_count == 3
        # The upload, one PDF and its web copy (made once the PDF is ready): nothing lost, nothing twice.
        assert _wait_until(lambda: _status(version).web_pdf, timeout=60), second.log()[-3000:]
        assert len(_stored_files(presentation)) == 3

        # A late duplicate (the watchdog's, say) finds the work done and stores nothing.
        duplicate = convert_presentation_file.delay(file_id=version.pk)
        assert _wait_until(lambda: f"{duplicate.id}] succeeded" in second.log(), timeout=60), second.log()[-3000:]
        again = _status(version)
        assert (again.conversion_attempts, again.pdf.name) == (2, version.pdf.name)
        assert len(_stored_files(presentation)) == 3


def test_an_upload_while_redis_is_down_is_kept_and_converted_once_redis_is_back(
    client, redis_server, workers, presentation
):
    with broker_switched(redis_server.url) as app:
        worker = workers(redis_server.url, app)
        redis_server.stop()
        client.force_login(presentation.presenter.user)
        response = client.post(
            reverse("presentations:upload", args=[presentation.pk]),
            {"file": upload("deck.pptx", pptx_bytes())},
            follow=True,
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "The conversion service cannot be reached just now" in page
        assert "the conversion starts on its own when it is back" in page
        version = PresentationFile.objects.get(presentation=presentation)
        assert version.conversion_status == ConversionStatus.PENDING
        assert version.conversion_queued_at is None
        assert [path.suffix for path in _stored_files(presentation)] == [".pptx"]
        assert conversions_watchdog() == {"queued": [], "failed": [], "unreachable": [version.pk]}

        redis_server.start()  # same port: the worker reconnects by itself
        assert conversions_watchdog()["queued"] == [version.pk]
        done = _wait_until(lambda: _status(version).conversion_status == ConversionStatus.CONVERTED, timeout=120)
        assert done, f"{_status(version).conversion_status}: {worker.log()[-3000:]}"
        assert _status(version).conversion_attempts == 1
        assert _wait_until(lambda: _status(version).web_pdf, timeout=60), worker.log()[-3000:]
        assert len(_stored_files(presentation)) == 3  # the upload, its PDF and the PDF's web copy


def test_badges_asked_for_while_the_broker_is_down_fail_with_a_reason():
    workshop = WorkshopFactory()
    approved_delegate(workshop, "KZ")
    organiser = approved_delegate(workshop, "UZ").user
    with broker_switched(f"redis://127.0.0.1:{free_port()}/0"):
        batch, created = badge_batch_request(workshop=workshop, by=organiser)
    batch.refresh_from_db()
    assert created
    assert batch.status == JobStatus.FAILED
    assert "cannot be reached" in batch.error


def test_a_build_asked_for_while_the_broker_is_down_fails_with_a_reason_not_stuck():
    material = build_material()
    with broker_switched(f"redis://127.0.0.1:{free_port()}/0"):
        request = proceedings_request_build(workshop=material["workshop"], by=material["organiser"])
    build = request.build
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED
    assert "task queue cannot be reached" in build.error
    # Nothing stays pending: the next request starts a new build.
    assert not build.is_pending


def _worker_idle(app, worker: Worker) -> bool:
    """Nothing running, reserved or waiting for its time (an ETA task) in the worker."""
    inspect = app.control.inspect(destination=[worker.node], timeout=1)
    for asked in (inspect.active, inspect.reserved, inspect.scheduled):
        answer = asked()
        if answer is None or any(answer.values()):
            return False
    return True


def _messages_in_broker(redis_server: RedisServer) -> int:
    """Messages queued, or delivered and not yet acknowledged (kombu's "unacked" hash: held by a
    live worker, or by a dead one until a sweep hands them out again)."""
    client = redis_server.client()
    return int(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)) + int(client.hlen("unacked"))


def _watchdog_as_beat_would_later() -> list[int]:
    """The watchdog beat runs every minute, run with the clock moved past the stale limit."""
    later = timezone.now() + datetime.timedelta(seconds=settings.PROCEEDINGS_STALE_SECONDS + 1)
    return proceedings_watchdog(now=later)


def _finished_or_stalled(build, app, worker: Worker, redis_server: RedisServer, *, quiet_seconds: float = 3):
    """Wait for the build to end; "stalled" once its worker has sat idle for a while with no
    message in the broker, queued or waiting to be handed out again."""
    idle_since = None

    def ended_or_stalled():
        nonlocal idle_since
        build.refresh_from_db()
        if not build.is_pending:
            return "finished"
        if _messages_in_broker(redis_server) or not _worker_idle(app, worker):
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= quiet_seconds:
            return "stalled"
        return None

    return _wait_until(ended_or_stalled, timeout=180, step=0.5)


def _kill_after_the_first_piece(build, worker: Worker) -> None:
    def running():
        build.refresh_from_db()
        return build.status == BuildStatus.RUNNING and build.progress_done >= 1

    assert _wait_until(running, timeout=60, step=0.01), worker.log()[-3000:]
    worker.kill()
    build.refresh_from_db()
    assert build.status == BuildStatus.RUNNING  # as the dead worker left it


def _volumes() -> set[Path]:
    return set((Path(settings.PRIVATE_MEDIA_ROOT) / "proceedings").glob("*.pdf"))


def _build_whose_first_worker_was_killed(redis_server: RedisServer, workers, app):
    material = build_material()
    first = workers(redis_server.url, app)
    build = proceedings_request_build(workshop=material["workshop"], by=material["organiser"]).build
    _kill_after_the_first_piece(build, first)
    return build


def _assert_one_volume_per_edition(build, earlier: set[Path]) -> None:
    assert build.status == BuildStatus.READY, build.error + build.log
    assert len(pypdf.PdfReader(build.file.open("rb")).pages) == build.page_count
    # One volume in each edition, written once.
    assert _volumes() - earlier == {Path(build.file.path), Path(build.web_file.path)}


def test_a_worker_killed_mid_build_finishes_it_after_a_restart_with_one_volume(redis_server, workers):
    earlier = _volumes()
    with broker_switched(redis_server.url) as app:
        build = _build_whose_first_worker_was_killed(redis_server, workers, app)
        second = _restarted_worker(redis_server, workers, app)
        outcome = _finished_or_stalled(build, app, second, redis_server)
        assert outcome, second.log()[-3000:]
        if outcome == "stalled":
            # The kill fell in the Redis transport's window between taking a message off the queue
            # (BRPOP) and recording it as unacknowledged: that piece is gone, as in production,
            # where the watchdog restarts the attempt (the next test loses a message on purpose).
            assert _watchdog_as_beat_would_later() == [build.pk]
            assert _wait_until(lambda: not _refreshed(build).is_pending, timeout=180), second.log()[-3000:]
    _assert_one_volume_per_edition(build, earlier)
    # The same attempt, finished by the restarted worker; a second only after a lost message.
    assert build.attempts == (1 if outcome == "finished" else 2), build.log


def test_a_build_whose_piece_message_was_lost_is_restarted_by_the_watchdog_and_finishes(redis_server, workers):
    """A worker killed between BRPOP and recording the message loses it: the chord never completes
    on its own. The build must neither hang nor end failed: the watchdog restarts the attempt."""
    earlier = _volumes()
    with broker_switched(redis_server.url) as app:
        build = _build_whose_first_worker_was_killed(redis_server, workers, app)
        # The piece next in line leaves the queue, as BRPOP takes it, and no worker records it.
        assert redis_server.client().rpop(settings.CELERY_TASK_DEFAULT_QUEUE) is not None
        second = _restarted_worker(redis_server, workers, app)
        assert _finished_or_stalled(build, app, second, redis_server) == "stalled", build.log
        assert build.status == BuildStatus.RUNNING
        assert build.attempts == 1
        assert build.progress_done < build.progress_total

        # Before the stale limit the watchdog leaves it alone; past it, it restarts the attempt.
        assert proceedings_watchdog() == []
        assert _watchdog_as_beat_would_later() == [build.pk]
        assert _wait_until(lambda: not _refreshed(build).is_pending, timeout=180), second.log()[-3000:]
    _assert_one_volume_per_edition(build, earlier)
    assert build.attempts == 2
    assert "restarted by the watchdog" in build.log


def _refreshed(build):
    build.refresh_from_db()
    return build
