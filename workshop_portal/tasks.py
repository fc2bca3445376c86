from celery import shared_task

from workshop_portal.models import MemberState


@shared_task(name="workshop_portal.worker_ping", ignore_result=False)
def worker_ping() -> dict:
    """Answers from a worker with what it sees in the database: proof the worker and the web share one."""
    return {"member_states": MemberState.objects.count()}


@shared_task(
    name="workshop_portal.send_erasure_request_notice", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_erasure_request_notice(*, request_id: int) -> None:
    from workshop_portal.privacy import erasure_request_notify

    erasure_request_notify(request_id=request_id)


@shared_task(name="workshop_portal.purge_personal_data", acks_late=True)
def purge_personal_data() -> None:
    """Daily (CELERY_BEAT_SCHEDULE): purge the workshops past the retention period."""
    from workshop_portal.privacy import personal_data_purge_due

    personal_data_purge_due()
