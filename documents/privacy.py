"""The documents app's part of the personal data registry (workshop_portal.personal_data).

What it holds on a person: the documents issued to them (certificates, visa letters), with the name
printed, the language, the code and the PDF. Letters to a state or an institution are not a person's.

- Export: the list of their documents (kind, workshop, name, language, code, dates, validity) and
  the PDFs of their current ones.
- Erasure: each of their documents is withdrawn ("no longer valid" on the verification page, which
  then shows no name), the name blanked and the file deleted once the erasure commits.
  The ZIPs of the batches that held any of them (copies) are deleted too: the staff generate
  the kind again for a new ZIP.
- Retention purge of a past workshop: the batches' ZIPs (copies) go; the documents stay. A
  certificate is the record a participant keeps and may have to prove years later; it holds only a
  name and a workshop, no contact or travel data, and its code must keep answering.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import DocumentBatch, IssuedDocument
from documents.services import documents_withdraw_for_erasure
from workshop_portal import personal_data
from workshop_portal.dates import format_day
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem


def _of(user: User):
    return IssuedDocument.objects.filter(registration__user=user).select_related("workshop").order_by("issued_at", "pk")


def _status(document: IssuedDocument) -> str:
    if document.revoked_at is None:
        return _("valid")
    return _("%(reason)s on %(day)s") % {
        "reason": document.get_revocation_display(),
        "day": format_day(document.revoked_at.astimezone(document.workshop.tzinfo).date()),
    }


def _summary(user: User) -> list[SummaryItem]:
    return [
        SummaryItem(
            title=f"{document.get_kind_display()}: {document.workshop.title}",
            details=[
                (_("Name as printed"), document.holder_name),
                (_("Issued"), format_day(document.issued_at.astimezone(document.workshop.tzinfo).date())),
                (_("Verification code"), document.code),
                (_("Status"), _status(document)),
            ],
        )
        for document in _of(user)
    ]


def _export(user: User) -> ExportSection:
    documents = list(_of(user))
    data = [
        {
            "kind": document.kind,
            "workshop": document.workshop.slug,
            "holder_name": document.holder_name,
            "language": document.language,
            "code": document.code,
            "issued_at": document.issued_at,
            "revoked_at": document.revoked_at,
            "revocation": document.revocation,
            "sha256": document.sha256,
            "file": f"documents/{document.filename}" if document.file and document.revoked_at is None else None,
        }
        for document in documents
    ]
    files = [(f"documents/{d.filename}", d.file) for d in documents if d.file and d.revoked_at is None]
    return ExportSection(data=data, files=files)


def _erase(user: User, cleanup: Cleanup) -> None:
    documents = list(IssuedDocument.objects.select_for_update(of=("self",)).filter(registration__user=user))
    workshops = {document.workshop_id for document in documents}
    withdrawn = documents_withdraw_for_erasure(documents=documents, by=cleanup.by, cleanup=cleanup)
    cleanup.count(gettext_lazy("documents withdrawn"), withdrawn)
    # Each batch of those workshops may hold a copy of one of them in its ZIP.
    _drop_zips(DocumentBatch.objects.filter(workshop_id__in=workshops).exclude(file=""), cleanup)


def _drop_zips(batches, cleanup: Cleanup) -> None:
    batches = list(batches)
    for batch in batches:
        cleanup.delete_file(batch.file)
    DocumentBatch.objects.filter(pk__in=[batch.pk for batch in batches]).update(file="", size=0)
    cleanup.count(gettext_lazy("document ZIP files deleted"), len(batches))


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    batches = DocumentBatch.objects.filter(workshop=workshop)
    if any(batch.is_pending for batch in batches):
        raise ValidationError(_("Documents for this workshop are being generated: purge once they are done."))
    _drop_zips(batches.exclude(file=""), cleanup)


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="documents",
            title=gettext_lazy("Your certificates and letters"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("No certificate or letter has been issued to you."),
        )
    )
