"""The one background-job lifecycle: claim, attempts, heartbeat, watchdog, progress, status.

A job type describes its model's fields in a JobSpec (jobs/spec.py) and registers it from its
app's ready(); everything below works on any registered type. API: /work/notes/jobs-api.md.
"""

from jobs.lifecycle import claim, enqueue, enqueue_on_commit, fail, finish, heartbeat, progress, retry_or_fail
from jobs.spec import FAIL, WAIT, JobSpec, register, registered, spec_named
from jobs.status import job_status
from jobs.watchdog import watchdog, watchdog_for

__all__ = [
    "FAIL",
    "WAIT",
    "JobSpec",
    "claim",
    "enqueue",
    "enqueue_on_commit",
    "fail",
    "finish",
    "heartbeat",
    "job_status",
    "progress",
    "register",
    "registered",
    "retry_or_fail",
    "spec_named",
    "watchdog",
    "watchdog_for",
]
