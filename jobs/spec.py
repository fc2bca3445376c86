"""What a job type is: a model whose rows are jobs, the names of its lifecycle fields, its limits.

A job type registers its spec from its app's `ready()`; the lifecycle functions and the one
watchdog work on any registered type without importing the app that owns it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

CLAIM = "claim"  # one task per attempt: the attempt is counted when a task claims the row
ENQUEUE = "enqueue"  # an attempt spans many tasks: counted when the attempt is sent
WAIT = "wait"  # broker unreachable: the row waits, the watchdog sends it later
FAIL = "fail"  # broker unreachable: the row fails with `unreachable_message`

# Events a spec's `on_event(event, pks, detail)` hears about.
QUEUED, UNREACHABLE, CLAIMED, RESTARTED, FAILED, FINISHED = (
    "queued",
    "unreachable",
    "claimed",
    "restarted",
    "failed",
    "finished",
)


@dataclass(frozen=True)
class JobSpec:
    name: str
    model: str  # "app_label.Model"
    task: str  # the Celery task's name=
    stale_after: Callable[[], datetime.timedelta]
    exhausted_message: str  # with %(count)s
    id_kwarg: str = "id"
    task_kwargs: Callable | None = None  # callable(row) -> extra task kwargs
    status_field: str = "status"
    attempts_field: str = "attempts"
    task_id_field: str | None = None
    started_field: str | None = "started_at"
    heartbeat_field: str | None = "heartbeat_at"
    queued_field: str | None = None
    error_field: str = "error"
    finished_field: str | None = "finished_at"
    progress_done_field: str | None = None
    progress_total_field: str | None = None
    progress_label_field: str | None = None
    waiting: str = "queued"
    running: str = "running"
    failed: str = "failed"
    max_attempts: int = 3
    count_attempts_at: str = CLAIM
    requeue_after: Callable[[], datetime.timedelta] | None = None
    on_unreachable: str = WAIT
    unreachable_message: str = ""
    on_event: Callable[[str, list[int], str], None] | None = None
    # The name of an older beat task that already runs `watchdog_for(spec)` every minute (an
    # interface kept); `jobs.watchdog` then leaves this type to it rather than watch it twice.
    scheduled_by: str | None = None

    def __post_init__(self):
        if self.count_attempts_at not in (CLAIM, ENQUEUE):
            raise ValueError(f"{self.name}: count_attempts_at is {CLAIM!r} or {ENQUEUE!r}")
        if self.on_unreachable not in (WAIT, FAIL):
            raise ValueError(f"{self.name}: on_unreachable is {WAIT!r} or {FAIL!r}")
        if self.on_unreachable == WAIT and self.queued_field is None:
            raise ValueError(f"{self.name}: waiting for the broker needs a queued_field the watchdog can read")

    @property
    def rows(self):
        """The model's default manager."""
        return apps.get_model(self.model)._default_manager

    @property
    def pending(self) -> tuple[str, str]:
        return (self.waiting, self.running)

    def emit(self, event: str, pks, detail: str = "") -> None:
        pks = list(pks)
        if self.on_event is not None and pks:
            self.on_event(event, pks, str(detail))


_registry: dict[str, JobSpec] = {}


def register(spec: JobSpec) -> JobSpec:
    """Add a job type (from its app's ready()); the same spec twice is harmless, two of one name are not."""
    known = _registry.get(spec.name)
    if known is not None and known is not spec:
        raise ValueError(f"a job type named {spec.name!r} is already registered")
    _registry[spec.name] = spec
    return spec


def registered() -> list[JobSpec]:
    return list(_registry.values())


def spec_named(name: str) -> JobSpec:
    return _registry[name]
