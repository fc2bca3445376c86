import pytest

from workshop_portal.tasks import worker_ping


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_reaches_a_worker_that_reads_the_test_database(celery_worker_process, settings):
    """Inline without a broker; with REDIS_URL, through Redis to a real worker process."""
    result = worker_ping.delay()
    assert result.get(timeout=30) == {"member_states": 57}
    if celery_worker_process is not None:
        assert not settings.CELERY_TASK_ALWAYS_EAGER
        assert celery_worker_process.poll() is None
