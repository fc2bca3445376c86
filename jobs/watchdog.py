"""The one watchdog: for every registered job type, restart or fail the rows whose worker vanished,
and send again the rows the broker never took. Runs every minute from the scheduler; a duplicate
message is harmless, the claim keeps a job to one run."""

from django.db.models import Q
from django.utils import timezone

from jobs.lifecycle import _set, enqueue
from jobs.spec import CLAIM, ENQUEUE, FAILED, RESTARTED, JobSpec, registered


def watchdog(now=None) -> dict[str, dict[str, list[int]]]:
    """Look after every registered job type that no beat task of its own looks after (`scheduled_by`);
    per type, the rows queued, failed and left unreachable."""
    return {spec.name: watchdog_for(spec, now=now) for spec in registered() if spec.scheduled_by is None}


def watchdog_for(spec: JobSpec, *, now=None) -> dict[str, list[int]]:
    now = now or timezone.now()
    failed, restart = _handle_stale(spec, now)
    queued, unreachable = [], []
    for pk in restart + _waiting_to_send(spec, now, exclude=restart):
        (queued if enqueue(spec, pk) else unreachable).append(pk)
        if unreachable:
            break  # the broker is down: the next round tries again
    return {"queued": queued, "failed": failed, "unreachable": unreachable}


def _handle_stale(spec: JobSpec, now) -> tuple[list[int], list[int]]:
    """Fail the stale rows whose attempts are used up; put the others back to waiting.

    Returns (failed, to restart). In "claim" mode only running rows go stale; in "enqueue" mode a
    waiting row whose attempt was sent and never started goes stale too.
    """
    if not spec.heartbeat_field:
        return [], []
    statuses = spec.pending if spec.count_attempts_at == ENQUEUE else (spec.running,)
    stale = Q(**{f"{spec.status_field}__in": statuses, f"{spec.heartbeat_field}__lt": now - spec.stale_after()})
    found = list(spec.rows.filter(stale).order_by("pk").values_list("pk", spec.attempts_field))
    exhausted = [pk for pk, attempts in found if attempts >= spec.max_attempts]
    reason = str(spec.exhausted_message) % {"count": spec.max_attempts}
    failed = []
    for pk in exhausted:  # one by one: each row counts only if this round changed it
        if spec.rows.filter(stale, pk=pk).update(**_set(spec, status=spec.failed, error=reason, finished=now)):
            failed.append(pk)
    spec.emit(FAILED, failed, reason)
    restart = []
    reset = _set(spec, status=spec.waiting, task_id="", queued=None)
    for pk, attempts in found:
        if attempts < spec.max_attempts and spec.rows.filter(stale, pk=pk).update(**reset):
            restart.append(pk)
    spec.emit(RESTARTED, restart, "stale")
    return failed, restart


def _waiting_to_send(spec: JobSpec, now, *, exclude: list[int]) -> list[int]:
    """Waiting rows the broker never took (queued_field empty) or took long ago and lost."""
    if not spec.queued_field or spec.count_attempts_at != CLAIM:
        return []
    lost = Q(**{f"{spec.queued_field}__isnull": True})
    if spec.requeue_after is not None:
        lost |= Q(**{f"{spec.queued_field}__lt": now - spec.requeue_after()})
    waiting = spec.rows.filter(lost, **{spec.status_field: spec.waiting}).exclude(pk__in=exclude)
    return list(waiting.order_by("pk").values_list("pk", flat=True))
