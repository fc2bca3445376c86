"""A build's work in the workers, on the one job lifecycle (jobs/, reports/proceedings/build_job.py).

An attempt is one task that lays out a chord: the pieces rendered in parallel, then the assembly.
jobs/ counts attempts, claims, keeps the heartbeat and progress, restarts or fails a build whose
workers vanished (its watchdog) or that failed three times, and fails it when the task queue cannot
be reached. What stays here is the build's own: its tasks, the limit on worker deaths, the volume.
Tasks are looked up by name (reports/tasks.py holds them), so this module never imports them.
"""

from celery import chord
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

import jobs
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings.assembly import PRINT, WEB, AssembledVolume, assemble_volume, assembly_parts
from reports.proceedings.build_job import PROCEEDINGS_JOB, build_log
from reports.proceedings.manifest import manifest_pieces
from reports.proceedings.render import render_piece
from workshop_portal.queueing import task_named
from workshop_portal.workdirs import job_workdir

# A build whose tasks started this many times per piece is crashing its workers: give up.
MAX_TASK_STARTS_PER_PIECE = 3
PIECE_TASK = "reports.render_proceedings_piece"
ASSEMBLE_TASK = "reports.assemble_proceedings"
# The chord counts its pieces in the result store and sends the assembly once the count is complete.
# A worker killed between the last count and that send loses the assembly (Celery's own window),
# and the build would wait for the watchdog. A piece delivered again after its worker died therefore
# also asks for the assembly when it completes the set, this much later; a build already assembled
# by then ignores it (the claim refuses a finished build).
ASSEMBLY_RESCUE_DELAY_SECONDS = 5


def proceedings_launch(build: ProceedingsBuild, *, reason: str) -> None:
    """Start the build's first attempt once the transaction commits."""
    attempts = ProceedingsBuild.objects.values_list("attempts", flat=True).get(pk=build.pk)
    build_log(build.pk, _("Attempt %(attempt)d: %(reason)s") % {"attempt": attempts + 1, "reason": reason})
    jobs.enqueue_on_commit(PROCEEDINGS_JOB, build.pk)


def proceedings_start_attempt(*, build_id: int, attempt: int, pieces: list[str]) -> None:
    """In a worker: render the pieces in parallel, then assemble them."""
    render, assemble = task_named(PIECE_TASK), task_named(ASSEMBLE_TASK)
    chord(render.s(build_id=build_id, attempt=attempt, piece=piece) for piece in pieces)(
        assemble.si(build_id=build_id, attempt=attempt)
    )


def _claim(build_id: int, attempt: int) -> ProceedingsBuild | None:
    """The build, if this task still belongs to its current attempt and it may go on."""
    if not jobs.claim(PROCEEDINGS_JOB, build_id, attempt=attempt):
        return None
    ProceedingsBuild.objects.filter(pk=build_id).update(task_starts=F("task_starts") + 1)
    build = ProceedingsBuild.objects.select_related("workshop", "requested_by").get(pk=build_id)
    limit = MAX_TASK_STARTS_PER_PIECE * (len(manifest_pieces(build.manifest)) + 1)
    if build.task_starts > limit:
        finish_failed(
            build, _("The workers stopped %(count)d times while building; giving up.") % {"count": build.task_starts}
        )
        return None
    return build


def _progress(build: ProceedingsBuild, label: str) -> None:
    jobs.progress(PROCEEDINGS_JOB, build.pk, label=label)


def proceedings_attempt_failed(*, build_id: int, attempt: int, reason: str) -> None:
    """A task of this attempt failed: try again (up to three attempts), then fail with the reason."""
    with transaction.atomic():
        current = ProceedingsBuild.objects.select_for_update().filter(pk=build_id, attempts=attempt).first()
        if current is None or not current.is_pending:
            return
        build_log(build_id, _("Attempt %(attempt)d failed: %(reason)s") % {"attempt": attempt, "reason": reason})
        jobs.retry_or_fail(PROCEEDINGS_JOB, build_id, attempt=attempt, reason=reason[:2000])


def proceedings_render_piece(*, build_id: int, attempt: int, piece: str, redelivered: bool = False) -> None:
    build = _claim(build_id, attempt)
    if build is None:
        return
    with translation.override(build.manifest["language"]):
        label = render_piece(build.manifest, piece)
    _progress(build, _("Rendered: %(piece)s") % {"piece": label})
    if redelivered and _all_pieces_rendered(build.manifest):
        task_named(ASSEMBLE_TASK).apply_async(
            kwargs={"build_id": build_id, "attempt": attempt}, countdown=ASSEMBLY_RESCUE_DELAY_SECONDS
        )


def _all_pieces_rendered(manifest: dict) -> bool:
    try:
        assembly_parts(manifest)
    except RuntimeError:  # it names the pieces still missing
        return False
    return True


def proceedings_assemble(*, build_id: int, attempt: int) -> None:
    build = _claim(build_id, attempt)
    if build is None:
        return
    manifest = build.manifest
    parts = assembly_parts(manifest)
    with job_workdir("proceedings") as workdir, translation.override(manifest["language"]):
        volume = assemble_volume(build, manifest, parts, workdir, progress=lambda label: _progress(build, label))
        _finish_ready(build, attempt, volume)


def _finish_ready(build: ProceedingsBuild, attempt: int, volume: AssembledVolume) -> None:
    print_edition, web_edition = volume.editions[PRINT], volume.editions[WEB]
    with transaction.atomic():
        recorded = jobs.finish(
            PROCEEDINGS_JOB,
            build.pk,
            BuildStatus.READY,
            attempt=attempt,
            file=print_edition.name,
            page_count=volume.page_count,
            size=print_edition.size,
            sha256=print_edition.sha256,
            web_file=web_edition.name,
            web_size=web_edition.size,
            web_sha256=web_edition.sha256,
            progress_done=F("progress_total"),
            progress_label=_("Ready"),
            error="",
        )
        if not recorded:
            # Another attempt took the build over, or finished first (a redelivered task): keep that one.
            for edition in volume.editions.values():
                build.file.storage.delete(edition.name)
            return
        for note in volume.notes:
            build_log(build.pk, note)
        build_log(
            build.pk,
            _("Ready: %(pages)d pages; print edition %(print)s, web edition %(web)s.")
            % {
                "pages": volume.page_count,
                "print": filesizeformat(print_edition.size),
                "web": filesizeformat(web_edition.size),
            },
        )


def finish_failed(build: ProceedingsBuild, reason: str) -> None:
    """End a pending build failed with the reason its page and its requester's email show."""
    jobs.fail(PROCEEDINGS_JOB, build.pk, reason[:2000])


def proceedings_watchdog(*, now=None) -> list[int]:
    """Restart or fail builds that stopped giving signs of life (a worker lost for good)."""
    handled = jobs.watchdog_for(PROCEEDINGS_JOB, now=now)
    return sorted(handled["queued"] + handled["unreachable"] + handled["failed"])
