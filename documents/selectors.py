"""Reads of documents, shaped so each page costs the same number of queries at any size."""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, Q

from documents.enums import DocumentKind
from documents.kinds import KindSpec, kind_staff_may_read, registered_kinds
from documents.models import DocumentBatch, IssuedDocument
from workshop_portal.models import User, Workshop

STAFF_PERMISSION = "documents.view_issueddocument"


def registration_documents() -> list[Prefetch]:
    """A person's current documents with each of their registrations (their dashboard), as a prefetch."""
    current = IssuedDocument.objects.current().only("pk", "kind", "registration_id", "issued_at", "language", "code")
    return [Prefetch("issued_documents", queryset=current.order_by("kind", "pk"), to_attr="current_documents")]


def document_by_code(*, code: str) -> IssuedDocument | None:
    if not code or len(code) > 64:
        return None
    return IssuedDocument.objects.select_related("workshop").filter(code=code).first()


def document_may_download(*, user: User, document: IssuedDocument) -> bool:
    """The holder (their current document), the focal points of the delegation a current invitation
    letter is addressed to, or the organisers and secretariat (any document with a file of a kind
    they may read: `KindSpec.staff_permissions`)."""
    if not user.is_authenticated or not document.file:
        return False
    if user.has_perm(STAFF_PERMISSION) and kind_staff_may_read(user, document.kind):
        return True
    if document.revoked_at is not None:
        return False
    if document.registration_id is not None:
        return document.registration.user_id == user.pk
    if document.kind == DocumentKind.INVITATION_LETTER:
        return _is_focal_point_of_addressee(user, document)
    return False


def _is_focal_point_of_addressee(user: User, document: IssuedDocument) -> bool:
    """A focal point (accepted: with this account) of the workshop's delegation of the letter's state
    or institution."""
    from delegations.models import FocalPoint

    if document.member_state_id is not None:
        addressee = Q(delegation__member_state_id=document.member_state_id)
    elif document.institution_id is not None:
        addressee = Q(delegation__institution_id=document.institution_id)
    else:
        return False
    return FocalPoint.objects.filter(addressee, user_id=user.pk, delegation__workshop_id=document.workshop_id).exists()


@dataclass
class KindSummary:
    spec: KindSpec
    current: int = 0
    revoked: int = 0
    holders: int = 0  # how many the kind targets today
    documents: list[IssuedDocument] = field(default_factory=list)
    pending: DocumentBatch | None = None

    @property
    def kind(self) -> str:
        return str(self.spec.kind)

    @property
    def missing(self) -> int:
        return max(0, self.holders - self.current)


class DocumentsOverview:
    """The staff page of a workshop's documents: per registered kind `user` may read, the current
    documents, counts and the batch under way; and the latest batches. A fixed number of queries:
    one per kind (its holders today), and three whatever the numbers of documents and batches."""

    def __init__(self, workshop: Workshop, user: User | None = None):
        self.workshop = workshop
        self.user = user

    def _readable(self, kind: str) -> bool:
        return self.user is None or kind_staff_may_read(self.user, kind)

    @cached_property
    def kinds(self) -> list[KindSummary]:
        summaries = {str(spec.kind): KindSummary(spec=spec) for spec in registered_kinds() if self._readable(spec.kind)}
        counts = (
            IssuedDocument.objects.filter(workshop=self.workshop)
            .order_by()
            .values("kind")
            .annotate(
                current=Count("pk", filter=Q(revoked_at__isnull=True)),
                revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
            )
        )
        for row in counts:
            if row["kind"] in summaries:
                summaries[row["kind"]].current = row["current"]
                summaries[row["kind"]].revoked = row["revoked"]
        documents = (
            IssuedDocument.objects.current()
            .filter(workshop=self.workshop)
            .only("pk", "kind", "holder_name", "language", "code", "issued_at", "size", "file")
            .order_by("holder_name", "pk")
        )
        for document in documents:
            if document.kind in summaries:
                summaries[document.kind].documents.append(document)
        for batch in self.batches:
            if batch.is_pending and batch.kind in summaries and summaries[batch.kind].pending is None:
                summaries[batch.kind].pending = batch
        for summary in summaries.values():
            summary.holders = len(summary.spec.targets(self.workshop))
        return list(summaries.values())

    @cached_property
    def batches(self) -> list[DocumentBatch]:
        batches = DocumentBatch.objects.filter(workshop=self.workshop).select_related("requested_by")[:20]
        return [batch for batch in batches if self._readable(batch.kind)]

    @property
    def pending(self) -> DocumentBatch | None:
        return next((batch for batch in self.batches if batch.is_pending), None)
