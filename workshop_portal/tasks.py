from celery import shared_task

from workshop_portal.models import MemberState


@shared_task(name="workshop_portal.worker_ping", ignore_result=False)
def worker_ping() -> dict:
    """Answers from a worker with what it sees in the database: proof the worker and the web share one."""
    return {"member_states": MemberState.objects.count()}
