"""One job's life: sent to a worker, claimed by one task, counted, kept alive, finished or failed.

Every step is one conditional UPDATE, so two workers (or a worker and the watchdog) racing on the
same row cannot both win, and no lock is held while the work itself runs.
"""

import functools

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from jobs.spec import CLAIMED, ENQUEUE, FAIL, FAILED, FINISHED, QUEUED, RESTARTED, UNREACHABLE, JobSpec
from workshop_portal.queueing import send


def _set(spec: JobSpec, **named) -> dict:
    """Map lifecycle names (status, error, ...) to the spec's fields, dropping those it lacks."""
    values = {}
    for role, value in named.items():
        field = getattr(spec, f"{role}_field")
        if field is not None:
            values[field] = value
    return values


def _held(spec: JobSpec, *, task_id: str | None = None, attempt: int | None = None) -> Q:
    """Rows still running for this task (same task id) or this attempt."""
    held = Q(**{spec.status_field: spec.running})
    if task_id is not None and spec.task_id_field:
        held &= Q(**{spec.task_id_field: task_id})
    if attempt is not None:
        held &= Q(**{spec.attempts_field: attempt})
    return held


def enqueue(spec: JobSpec, pk: int) -> bool:
    """Hand the row to its task. False when the broker cannot be reached (recorded on the row)."""
    kwargs = {spec.id_kwarg: pk}
    if spec.count_attempts_at == ENQUEUE:
        spec.rows.filter(pk=pk).update(
            **{spec.attempts_field: F(spec.attempts_field) + 1},
            **_set(spec, status=spec.waiting, progress_done=0, heartbeat=timezone.now()),
        )
        kwargs["attempt"] = spec.rows.filter(pk=pk).values_list(spec.attempts_field, flat=True).get()
    if spec.task_kwargs is not None:
        kwargs.update(spec.task_kwargs(spec.rows.get(pk=pk)))
    if spec.queued_field:
        spec.rows.filter(pk=pk).update(**{spec.queued_field: timezone.now()})
    if send(spec.task, **kwargs):
        spec.emit(QUEUED, [pk])
        return True
    if spec.on_unreachable == FAIL:
        fail(spec, pk, str(spec.unreachable_message))
    else:
        spec.rows.filter(pk=pk, **{spec.status_field: spec.waiting}).update(**{spec.queued_field: None})
        spec.emit(UNREACHABLE, [pk])
    return False


def enqueue_on_commit(spec: JobSpec, pk: int) -> None:
    """Send the row once the transaction that created or reset it has committed."""
    # A partial rather than a lambda: tests (and a debugger) can tell which job a callback sends.
    transaction.on_commit(functools.partial(enqueue, spec, pk))


def claim(spec: JobSpec, pk: int, *, task_id: str = "", attempt: int | None = None) -> bool:
    """Take the row for this task. False: another task holds it, it moved on, or it just failed.

    "claim" mode: a waiting row, a running row of the same task (its message came back after its
    worker died) or one whose heartbeat went stale; the attempt is counted here, and past the limit
    the row fails instead. "enqueue" mode: any task of the row's current `attempt`.
    """
    now = timezone.now()
    running = _set(spec, status=spec.running, heartbeat=now)
    if spec.count_attempts_at == ENQUEUE:
        if spec.started_field:
            running[spec.started_field] = Coalesce(F(spec.started_field), Now())
        holds = Q(**{f"{spec.status_field}__in": spec.pending, spec.attempts_field: attempt})
        claimed = spec.rows.filter(holds, pk=pk).update(**running)
    else:
        holds = Q(**{spec.status_field: spec.waiting})
        if task_id and spec.task_id_field:
            holds |= _held(spec, task_id=task_id)
        if spec.heartbeat_field:
            stale = {f"{spec.heartbeat_field}__lt": now - spec.stale_after()}
            holds |= Q(**{spec.status_field: spec.running}, **stale)
        running.update(_set(spec, task_id=task_id, started=now))
        running[spec.attempts_field] = F(spec.attempts_field) + 1
        fresh = {f"{spec.attempts_field}__lt": spec.max_attempts}
        claimed = spec.rows.filter(holds, pk=pk, **fresh).update(**running)
        if not claimed:
            # A job that keeps killing its worker stops here rather than forever.
            reason = str(spec.exhausted_message) % {"count": spec.max_attempts}
            exhausted = spec.rows.filter(holds, pk=pk, **{f"{spec.attempts_field}__gte": spec.max_attempts})
            if exhausted.update(**_set(spec, status=spec.failed, error=reason, finished=now)):
                spec.emit(FAILED, [pk], reason)
    if claimed:
        spec.emit(CLAIMED, [pk])
    return bool(claimed)


def heartbeat(spec: JobSpec, pk: int, *, task_id: str | None = None) -> bool:
    """A sign of life from the task that holds the row: the watchdog leaves it alone."""
    if not spec.heartbeat_field:
        return False
    return bool(spec.rows.filter(_held(spec, task_id=task_id), pk=pk).update(**{spec.heartbeat_field: timezone.now()}))


def progress(spec: JobSpec, pk: int, *, step: int = 1, total: int | None = None, label: str | None = None) -> None:
    """Count `step` more units done (and a sign of life); optionally set the total and the step's label."""
    values = _set(spec, heartbeat=timezone.now())
    if step and spec.progress_done_field:
        values[spec.progress_done_field] = F(spec.progress_done_field) + step
    if total is not None:
        values.update(_set(spec, progress_total=total))
    if label is not None:
        values.update(_set(spec, progress_label=label[:255]))
    spec.rows.filter(pk=pk).update(**values)


def finish(
    spec: JobSpec, pk: int, status: str, *, task_id: str | None = None, attempt: int | None = None, **fields
) -> bool:
    """Record the result while this task (or attempt) still holds the row; False means it was taken
    over, and the caller drops what it made. `fields` are the model's own fields."""
    values = {spec.status_field: status, **fields}
    if spec.finished_field and spec.finished_field not in fields:
        values[spec.finished_field] = timezone.now()
    recorded = spec.rows.filter(_held(spec, task_id=task_id, attempt=attempt), pk=pk).update(**values)
    if recorded:
        spec.emit(FAILED if status == spec.failed else FINISHED, [pk], fields.get(spec.error_field, ""))
    return bool(recorded)


def fail(spec: JobSpec, pk: int, reason: str, *, task_id: str | None = None, attempt: int | None = None) -> bool:
    """End a pending row failed with the reason its page shows."""
    rows = spec.rows.filter(pk=pk, **{f"{spec.status_field}__in": spec.pending})
    if task_id is not None or attempt is not None:
        rows = rows.filter(_held(spec, task_id=task_id, attempt=attempt))
    failed = rows.update(**_set(spec, status=spec.failed, error=reason, finished=timezone.now()))
    if failed:
        spec.emit(FAILED, [pk], reason)
    return bool(failed)


def retry_or_fail(spec: JobSpec, pk: int, *, attempt: int, reason: str) -> str:
    """A task of this attempt failed: start another attempt while some are left, else fail.

    Returns "restarted", "failed", or "" when the row had already moved on.
    """
    with transaction.atomic():
        row = spec.rows.select_for_update().filter(pk=pk, **{spec.attempts_field: attempt}).first()
        if row is None or getattr(row, spec.status_field) not in spec.pending:
            return ""
        if attempt < spec.max_attempts:
            spec.emit(RESTARTED, [pk], reason)
            enqueue_on_commit(spec, pk)
            return RESTARTED
        fail(spec, pk, reason)
        return FAILED
