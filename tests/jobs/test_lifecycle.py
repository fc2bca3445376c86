"""The one job lifecycle (jobs/) on real rows of the real database: claim, attempts, heartbeat,
watchdog, progress and status; the broker's absence with a real redis-server that is stopped."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

import jobs
from presentations.conversion_jobs import CONVERSION
from presentations.enums import ConversionStatus
from presentations.models import PresentationFile
from registrations.badges import BADGES
from registrations.enums import JobStatus
from registrations.models import BadgeBatch
from reports.models import ProceedingsBuild
from testkit.factories import WorkshopFactory, host_state_presentation
from testkit.workers import RedisServer, broker_switched

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def batch():
    return BadgeBatch.objects.create(workshop=WorkshopFactory())


def _reload(row):
    row.refresh_from_db()
    return row


def _long_ago():
    return timezone.now() - datetime.timedelta(hours=2)


def test_one_task_claims_a_job_and_another_is_refused_while_it_runs(batch):
    assert jobs.claim(BADGES, batch.pk, task_id="task-a")
    assert not jobs.claim(BADGES, batch.pk, task_id="task-b")
    batch = _reload(batch)
    assert (batch.status, batch.task_id, batch.attempts) == (JobStatus.RUNNING, "task-a", 1)
    assert batch.started_at is not None
    assert batch.heartbeat_at is not None


def test_the_same_task_claims_again_after_redelivery_and_counts_an_attempt(batch):
    assert jobs.claim(BADGES, batch.pk, task_id="task-a")
    assert jobs.claim(BADGES, batch.pk, task_id="task-a")
    assert _reload(batch).attempts == 2


def test_an_empty_task_id_never_reclaims_a_running_job(batch):
    assert jobs.claim(BADGES, batch.pk, task_id="")
    assert not jobs.claim(BADGES, batch.pk, task_id="")
    assert _reload(batch).attempts == 1


def test_another_task_takes_over_a_job_whose_heartbeat_went_stale(batch):
    assert jobs.claim(BADGES, batch.pk, task_id="task-a")
    assert jobs.heartbeat(BADGES, batch.pk, task_id="task-a")
    assert not jobs.claim(BADGES, batch.pk, task_id="task-b")  # fresh: left alone
    BadgeBatch.objects.filter(pk=batch.pk).update(heartbeat_at=_long_ago())
    assert not jobs.heartbeat(BADGES, batch.pk, task_id="task-b")  # not its job yet
    assert jobs.claim(BADGES, batch.pk, task_id="task-b")
    batch = _reload(batch)
    assert (batch.task_id, batch.attempts) == ("task-b", 2)
    # The task that lost it cannot record a result over the new holder's.
    assert not jobs.finish(BADGES, batch.pk, JobStatus.READY, task_id="task-a", badge_count=9)
    assert jobs.finish(BADGES, batch.pk, JobStatus.READY, task_id="task-b", badge_count=4)
    batch = _reload(batch)
    assert (batch.status, batch.badge_count) == (JobStatus.READY, 4)
    assert batch.finished_at is not None
    assert not jobs.claim(BADGES, batch.pk, task_id="task-b")  # done is done


def test_past_the_attempt_limit_a_claim_fails_the_job_with_the_reason(batch):
    BadgeBatch.objects.filter(pk=batch.pk).update(
        status=JobStatus.RUNNING, task_id="task-a", attempts=BADGES.max_attempts, heartbeat_at=timezone.now()
    )
    assert not jobs.claim(BADGES, batch.pk, task_id="task-a")
    batch = _reload(batch)
    assert batch.status == JobStatus.FAILED
    assert batch.error == "The badges stopped 3 times without finishing."
    assert batch.finished_at is not None
    assert batch.attempts == 3


def test_the_watchdog_fails_a_stale_job_out_of_attempts_and_leaves_fresh_ones(batch):
    fresh = BadgeBatch.objects.create(workshop=batch.workshop)
    BadgeBatch.objects.filter(pk=batch.pk).update(
        status=JobStatus.RUNNING, task_id="dead", attempts=BADGES.max_attempts, heartbeat_at=_long_ago()
    )
    BadgeBatch.objects.filter(pk=fresh.pk).update(
        status=JobStatus.RUNNING, task_id="alive", attempts=1, heartbeat_at=timezone.now()
    )
    assert jobs.watchdog_for(BADGES) == {"queued": [], "failed": [batch.pk], "unreachable": []}
    assert _reload(batch).status == JobStatus.FAILED
    assert "stopped 3 times" in batch.error
    assert _reload(fresh).status == JobStatus.RUNNING
    assert jobs.watchdog_for(BADGES) == {"queued": [], "failed": [], "unreachable": []}


@pytest.mark.worker
def test_the_one_watchdog_restarts_a_stale_badge_batch_and_it_ends_ready(celery_worker_process, batch):
    BadgeBatch.objects.filter(pk=batch.pk).update(
        status=JobStatus.RUNNING, task_id="dead", attempts=1, heartbeat_at=_long_ago()
    )
    report = jobs.watchdog()
    assert report[BADGES.name]["queued"] == [batch.pk]
    assert CONVERSION.name not in report  # its own beat task (presentations.conversions_watchdog) runs it
    deadline = time.monotonic() + 120
    while _reload(batch).status in (JobStatus.QUEUED, JobStatus.RUNNING) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert batch.status == JobStatus.READY, batch.error
    assert batch.attempts == 2
    assert batch.task_id not in ("dead", "")


def test_every_registered_job_type_is_watched_by_a_scheduled_task():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    names = {spec.name for spec in jobs.registered()}
    assert {CONVERSION.name, BADGES.name} <= names
    for spec in jobs.registered():
        assert (spec.scheduled_by or "jobs.watchdog") in scheduled, spec.name
    assert settings.CELERY_BEAT_SCHEDULE["jobs-watchdog"] == {"task": "jobs.watchdog", "schedule": 60.0}


def test_two_job_types_cannot_share_a_name():
    twin = jobs.JobSpec(
        name=BADGES.name,
        model=BADGES.model,
        task=BADGES.task,
        stale_after=BADGES.stale_after,
        exhausted_message="%(count)s",
        on_unreachable=jobs.FAIL,
    )
    with pytest.raises(ValueError, match="already registered"):
        jobs.register(twin)
    assert jobs.spec_named(BADGES.name) is BADGES


PROGRESS = jobs.JobSpec(
    name="tests.progress",
    model="reports.ProceedingsBuild",
    task="reports.start_proceedings_attempt",
    stale_after=lambda: datetime.timedelta(minutes=15),
    exhausted_message="stopped %(count)s times",
    on_unreachable=jobs.FAIL,
    progress_done_field="progress_done",
    progress_total_field="progress_total",
    progress_label_field="progress_label",
)  # not registered: only its fields are used here


def test_progress_counts_steps_and_the_status_a_page_polls_says_so():
    build = ProceedingsBuild.objects.create(workshop=WorkshopFactory(), inputs_hash="x", progress_total=4)
    assert jobs.job_status(PROGRESS, build) == {
        "status": "queued",
        "pending": True,
        "attempts": 0,
        "max_attempts": 3,
        "done": 0,
        "total": 4,
        "percent": 0,
        "label": "",
        "error": "",
        "waits_for_queue": False,
    }
    jobs.progress(PROGRESS, build.pk, label="Rendered: cover")
    jobs.progress(PROGRESS, build.pk, step=2, label="Rendered: sessions")
    build = _reload(build)
    status = jobs.job_status(PROGRESS, build)
    assert (status["done"], status["total"], status["percent"], status["label"]) == (3, 4, 75, "Rendered: sessions")
    assert build.heartbeat_at is not None
    assert jobs.fail(PROGRESS, build.pk, "The disk is full.")
    status = jobs.job_status(PROGRESS, _reload(build))
    assert (status["status"], status["pending"], status["error"]) == ("failed", False, "The disk is full.")
    assert not jobs.fail(PROGRESS, build.pk, "again")  # a finished job stays as it ended


@pytest.mark.requires_worker
def test_a_job_sent_while_the_broker_is_down_waits_and_the_watchdog_sends_it_later(tmp_path):
    presentation = host_state_presentation()
    version = PresentationFile.objects.create(
        presentation=presentation,
        version=1,
        file="presentations/deck.pptx",
        original_name="deck.pptx",
        kind="pptx",
        size=1,
        sha256="0" * 64,
        conversion_status=ConversionStatus.PENDING,
    )
    server = RedisServer(tmp_path).start()
    try:
        with broker_switched(server.url):
            server.stop()
            assert not jobs.enqueue(CONVERSION, version.pk)
            version = _reload(version)
            assert (version.conversion_status, version.conversion_queued_at) == (ConversionStatus.PENDING, None)
            assert jobs.job_status(CONVERSION, version)["waits_for_queue"] is True
            assert jobs.watchdog_for(CONVERSION) == {"queued": [], "failed": [], "unreachable": [version.pk]}
            server.start()  # same port
            assert jobs.watchdog_for(CONVERSION) == {"queued": [version.pk], "failed": [], "unreachable": []}
            assert _reload(version).conversion_queued_at is not None
            assert jobs.watchdog_for(CONVERSION)["queued"] == []  # handed over: not sent twice
            from celery import current_app

            with current_app.connection_for_write() as connection:
                waiting = connection.default_channel.client.llen(settings.CONVERSION_QUEUE)
            assert waiting == 1  # one message in the conversion queue, no worker on this broker
    finally:
        server.stop()


@pytest.mark.requires_worker
def test_a_job_that_fails_when_the_broker_is_down_says_why(tmp_path, batch):
    server = RedisServer(tmp_path).start()
    server.stop()
    with broker_switched(server.url):
        assert not jobs.enqueue(BADGES, batch.pk)
    batch = _reload(batch)
    assert batch.status == JobStatus.FAILED
    assert "cannot be reached" in batch.error
