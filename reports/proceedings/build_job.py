"""A proceedings build as a job of the one lifecycle (jobs/): its fields, limits and events.

An attempt is many tasks (the pieces, then the assembly), so jobs/ counts it when it is sent and
every task of it claims the build with its attempt number. What jobs/ reports back lands in the
build's own log, and an ended build emails its requester. Light on purpose: the app registers
this spec at start-up, before any PDF machinery is needed.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communications.services import email_queue_to
from jobs import FAIL, JobSpec
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings.manifest import manifest_pieces
from workshop_portal.emails import portal_url

MAX_ATTEMPTS = 3
START_TASK = "reports.start_proceedings_attempt"
WATCHDOG_TASK = "reports.proceedings_watchdog"
STALE = "stale"  # the detail jobs/ gives a restart by its watchdog


def build_log(build_id: int, line: str) -> None:
    # A technical log, in UTC, which it says: the builds table beside it shows the workshop's zone.
    stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S UTC")
    ProceedingsBuild.objects.filter(pk=build_id).update(log=Concat(F("log"), Value(f"{stamp} {line}\n")))


def _stale_reason() -> str:
    return _("no sign of life for %(seconds)d seconds") % {"seconds": settings.PROCEEDINGS_STALE_SECONDS}


def _stalled_message() -> str:
    # Worded when the watchdog gives up, in the language then active; it has no %(count)s to fill.
    return _("The build stalled: %(reason)s.") % {"reason": _stale_reason()}


def _on_event(event: str, pks: list[int], detail: str) -> None:
    for pk in pks:
        if event == "restarted":
            _log_restart(pk, detail)
        elif event == "failed":
            ProceedingsBuild.objects.filter(pk=pk).update(progress_label=_("Failed"))
            build_log(pk, _("Failed: %(reason)s") % {"reason": detail})
            transaction.on_commit(lambda pk=pk: notify_requester(pk))
        elif event == "finished":
            transaction.on_commit(lambda pk=pk: notify_requester(pk))


def _log_restart(build_id: int, detail: str) -> None:
    attempt = ProceedingsBuild.objects.values_list("attempts", flat=True).get(pk=build_id)
    if detail == STALE:
        build_log(
            build_id, _("Attempt %(attempt)d stalled: %(reason)s") % {"attempt": attempt, "reason": _stale_reason()}
        )
        reason = _("restarted by the watchdog")
    else:  # the failure itself is logged by the task that met it
        reason = _("retry after a failure")
    build_log(build_id, _("Attempt %(attempt)d: %(reason)s") % {"attempt": attempt + 1, "reason": reason})


PROCEEDINGS_JOB = JobSpec(
    name="reports.proceedings",
    model="reports.ProceedingsBuild",
    task=START_TASK,
    id_kwarg="build_id",
    task_kwargs=lambda build: {"pieces": manifest_pieces(build.manifest)},
    progress_done_field="progress_done",
    progress_total_field="progress_total",
    progress_label_field="progress_label",
    waiting=BuildStatus.QUEUED,
    running=BuildStatus.RUNNING,
    failed=BuildStatus.FAILED,
    max_attempts=MAX_ATTEMPTS,
    count_attempts_at="enqueue",
    stale_after=lambda: datetime.timedelta(seconds=settings.PROCEEDINGS_STALE_SECONDS),
    on_unreachable=FAIL,
    unreachable_message=gettext_lazy(
        "The task queue cannot be reached just now. Start the build again in a few minutes."
    ),
    exhausted_message=lazy(_stalled_message, str)(),
    on_event=_on_event,
    scheduled_by=WATCHDOG_TASK,
)


def notify_requester(build_id: int) -> None:
    """Email the requester that the build is ready or failed, in their own language."""
    build = ProceedingsBuild.objects.select_related("workshop", "requested_by").get(pk=build_id)
    if build.requested_by is None or not build.requested_by.email:
        return
    url = portal_url(reverse("reports:builds", kwargs={"slug": build.workshop.slug}))
    template = "ready" if build.status == BuildStatus.READY else "failed"
    email_queue_to(
        to=build.requested_by.email,
        language=build.requested_by.email_language,
        user=build.requested_by,
        workshop=build.workshop,
        dedupe_key=f"reports.build_{template}:{build.pk}",  # a build ends once
        template=f"reports/email/build_{template}",
        context={"build": build, "url": url},
    )
