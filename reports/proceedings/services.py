"""What people do with proceedings: request a build, publish one, build one in the terminal."""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.enums import Action
from audit.services import record as audit_record
from reports.enums import PENDING_BUILD_STATUSES, BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings.manifest import manifest_hash, manifest_pieces, proceedings_manifest
from reports.proceedings.pipeline import (
    finish_failed,
    proceedings_assemble,
    proceedings_launch,
    proceedings_render_piece,
)
from workshop_portal.models import User, Workshop

logger = logging.getLogger(__name__)


@dataclass
class BuildRequest:
    build: ProceedingsBuild
    outcome: str  # "queued", "already_running" or "unchanged"


def proceedings_request_build(*, workshop: Workshop, by: User, language: str = "en") -> BuildRequest:
    """Queue a build, unless one is already under way or nothing changed since the last ready one."""
    if not by.has_perm("reports.build_proceedings"):
        raise PermissionDenied
    manifest = proceedings_manifest(workshop=workshop, language=language)
    inputs_hash = manifest_hash(manifest)
    with transaction.atomic():
        Workshop.objects.select_for_update().get(pk=workshop.pk)
        pending = ProceedingsBuild.objects.filter(workshop=workshop, status__in=PENDING_BUILD_STATUSES).first()
        if pending is not None:
            return BuildRequest(pending, "already_running")
        latest_ready = (
            ProceedingsBuild.objects.filter(workshop=workshop, status=BuildStatus.READY, language=language)
            .order_by("-finished_at", "-pk")
            .first()
        )
        if latest_ready is not None and latest_ready.inputs_hash == inputs_hash and latest_ready.file:
            return BuildRequest(latest_ready, "unchanged")
        try:
            with transaction.atomic():
                build = _create_build(workshop, by, language, manifest, inputs_hash)
        except IntegrityError:
            # Another request won the race the lock did not cover (SQLite has no row locks).
            pending = ProceedingsBuild.objects.get(workshop=workshop, status__in=PENDING_BUILD_STATUSES)
            return BuildRequest(pending, "already_running")
        proceedings_launch(build, reason=_("Requested by %(person)s.") % {"person": by})
    return BuildRequest(build, "queued")


def _create_build(workshop, by, language, manifest, inputs_hash, **fields) -> ProceedingsBuild:
    return ProceedingsBuild.objects.create(
        workshop=workshop,
        requested_by=by,
        language=language,
        inputs_hash=inputs_hash,
        manifest=manifest,
        # One step per piece, then laying out, contents and index, merging.
        progress_total=len(manifest_pieces(manifest)) + 3,
        **fields,
    )


@transaction.atomic
def proceedings_publish(*, build: ProceedingsBuild, by: User) -> ProceedingsBuild:
    """Make a ready build the workshop's published proceedings, which its participants may download."""
    if not by.has_perm("reports.publish_proceedings"):
        raise PermissionDenied
    Workshop.objects.select_for_update().get(pk=build.workshop_id)
    current = ProceedingsBuild.objects.get(pk=build.pk)
    if current.status != BuildStatus.READY:
        raise ValidationError(_("Only a ready build can be published."))
    ProceedingsBuild.objects.filter(workshop_id=current.workshop_id, is_published=True).exclude(pk=current.pk).update(
        is_published=False
    )
    current.is_published = True
    current.save(update_fields=["is_published"])
    audit_record(
        action=Action.PUBLISH,
        obj=current,
        actor=by,
        changes={"is_published": [False, True], "sha256": [None, current.sha256 or None]},
    )
    return current


def proceedings_build_now(*, workshop: Workshop, by: User | None, language: str = "en") -> ProceedingsBuild:
    """Build in this process, without workers: for the management command and the tests."""
    pending = ProceedingsBuild.objects.filter(workshop=workshop, status__in=PENDING_BUILD_STATUSES).first()
    if pending is not None:
        raise ValidationError(_("A build is already under way: build %(number)d.") % {"number": pending.pk})
    manifest = proceedings_manifest(workshop=workshop, language=language)
    build = _create_build(workshop, by, language, manifest, manifest_hash(manifest), attempts=1)
    try:
        for piece in manifest_pieces(manifest):
            proceedings_render_piece(build_id=build.pk, attempt=1, piece=piece)
        proceedings_assemble(build_id=build.pk, attempt=1)
    except Exception as error:
        logger.exception("proceedings build %s failed", build.pk)
        finish_failed(build, f"{type(error).__name__}: {error}")
    build.refresh_from_db()
    return build
