"""Issuing and revoking documents: every write that carries this app's rules.

- One current document per holder and kind in a workshop (the database's constraint): issuing for a
  holder who has one revokes it as superseded and points it at the new one (`superseded_by`).
- A document's PDF is rendered and stored before its row exists; the row and the revocation of its
  predecessor are one transaction; a rolled-back issue deletes the file it stored.
- Revoking keeps the file and the row (the code still answers "revoked" on the verification page);
  the staff's reason is kept for the staff only.
"""

import hashlib
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.enums import Revocation
from documents.kinds import Target, kind_spec
from documents.models import IssuedDocument, new_document_code
from documents.rendering import document_render
from workshop_portal.models import User, Workshop
from workshop_portal.storage import private_storage

logger = logging.getLogger(__name__)


def document_issue(
    *, workshop: Workshop, kind: str, target: Target, by: User | None, batch=None, now=None
) -> IssuedDocument:
    """Issue `kind` to `target` (a `documents.kinds.Target`): render, store, record; the holder's
    current document of that kind, if any, is revoked as superseded by this one."""
    spec = kind_spec(kind)
    code = new_document_code()
    issued_at = now or timezone.now()
    pdf = document_render(spec=spec, target=target, workshop=workshop, code=code, issued_at=issued_at)
    # A generated name: nothing about the holder or the workshop can be read from where it lies.
    name = private_storage().save(f"documents/{secrets.token_hex(16)}.pdf", ContentFile(pdf))
    try:
        with transaction.atomic():
            document = _record(workshop, spec.kind, target, code, name, pdf, issued_at, by, batch)
    except Exception:
        private_storage().delete(name)
        raise
    if spec.after_issue is not None:
        spec.after_issue(document, target, by)
    return document


def _record(workshop, kind, target: Target, code, name, pdf, issued_at, by, batch) -> IssuedDocument:
    previous = list(
        IssuedDocument.objects.select_for_update()
        .current()
        .filter(workshop=workshop, kind=kind, holder_key=target.holder_key)
    )
    for old in previous:
        _revoke(old, by=by, revocation=Revocation.SUPERSEDED, reason="", now=issued_at)
    try:
        with transaction.atomic():
            document = IssuedDocument.objects.create(
                workshop=workshop,
                kind=kind,
                holder_name=target.holder_name[:255],
                holder_key=target.holder_key,
                registration=target.registration,
                member_state=target.member_state,
                institution=target.institution,
                language=target.language,
                code=code,
                file=name,
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
                content_key=target.content_key,
                batch=batch,
                issued_at=issued_at,
                issued_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("Another document was issued to %(holder)s at the same moment; try again.")
            % {"holder": target.holder_name},
            code="issued_meanwhile",
        ) from None
    for old in previous:
        old.superseded_by = document
        old.save(update_fields=["superseded_by"])
    return document


def document_issue_for_holder(*, workshop: Workshop, kind: str, holder_key: str, by: User | None) -> IssuedDocument:
    """Issue (again) one holder's document, as its kind targets them today; a holder the kind no
    longer targets (no longer checked in, presentation withdrawn) gets a clear refusal."""
    target = next((t for t in kind_spec(kind).targets(workshop) if t.holder_key == holder_key), None)
    if target is None:
        raise ValidationError(_("This holder no longer qualifies for this document."), code="not_a_holder")
    return document_issue(workshop=workshop, kind=kind, target=target, by=by)


def _revoke(document: IssuedDocument, *, by, revocation: str, reason: str, now=None) -> None:
    document.revoked_at = now or timezone.now()
    document.revoked_by = by
    document.revocation = revocation
    document.revocation_reason = reason
    document.save(update_fields=["revoked_at", "revoked_by", "revocation", "revocation_reason"])


@transaction.atomic
def document_revoke(*, document: IssuedDocument, by: User, reason: str) -> IssuedDocument:
    """Revoke a current document, with the reason the staff give (kept for them, never shown publicly)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking the document."), code="reason_required")
    current = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if current.revoked_at is not None:
        raise ValidationError(_("This document is already revoked."), code="already_revoked")
    _revoke(current, by=by, revocation=Revocation.REVOKED, reason=reason)
    spec = kind_spec(current.kind)
    if spec.after_revoke is not None:
        spec.after_revoke(current, by)
    return current


@transaction.atomic
def documents_revoke_for_registration(*, registration, by: User | None, reason: str) -> int:
    """A registration declined or cancelled: every current document issued for it stops being valid
    (the public page says "revoked"; `reason` is the staff's note). How many."""
    count = 0
    for document in IssuedDocument.objects.current().filter(registration_id=registration.pk):
        _revoke(document, by=by, revocation=Revocation.REVOKED, reason=reason)
        count += 1
    return count


def on_registration_left(sender, registration, status, by, **kwargs) -> None:
    documents_revoke_for_registration(registration=registration, by=by, reason=f"registration {status}")


def documents_withdraw_for_erasure(*, documents, by: User | None, cleanup) -> int:
    """An erased person's documents: revoked ("withdrawn at the holder's request"), the name blanked,
    the files deleted once the erasure commits. Their codes still answer: "no longer valid"."""
    count = 0
    now = timezone.now()
    for document in documents:
        cleanup.delete_file(document.file)
        document.holder_name = ""
        document.file = ""
        document.size = 0
        document.sha256 = ""
        document.content_key = ""
        fields = ["holder_name", "file", "size", "sha256", "content_key"]
        if document.revoked_at is None:
            document.revoked_at, document.revoked_by = now, by
            fields += ["revoked_at", "revoked_by"]
        document.revocation = Revocation.ERASED
        document.revocation_reason = ""
        document.save(update_fields=[*fields, "revocation", "revocation_reason"])
        count += 1
    return count
