from celery import shared_task

from workshop_portal.models import MemberState
from workshop_portal.storage_sweep import storage_sweep


@shared_task(name="workshop_portal.worker_ping", ignore_result=False)
def worker_ping() -> dict:
    """Answers from a worker with what it sees in the database: proof the worker and the web share one."""
    return {"member_states": MemberState.objects.count()}


# Daily under beat; a second run at once finds nothing more to delete.
@shared_task(name="workshop_portal.sweep_storage", acks_late=True, soft_time_limit=3600, time_limit=3660)
def sweep_storage() -> dict:
    sweep = storage_sweep(delete=True)
    return {"files": sweep.files, "deleted": len(sweep.deleted), "freed_bytes": sweep.freed_bytes,
            "missing": len(sweep.missing)}  # fmt: skip
