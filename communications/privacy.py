"""The outbox's part of the personal data registry (workshop_portal.personal_data).

An outbox row holds a recipient's address and what they were sent. The person's copy of their data
lists the emails sent to them (subject, kind, status, times; not the bodies, which they received);
erasure deletes their rows; the retention purge of a past workshop removes the bodies of its emails,
keeping who was sent what and when. Rows older than OUTBOX_RETENTION_DAYS are deleted daily
(communications.delivery.outbox_purge_old).
"""

from django.db.models import Count, Max, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communications.models import EmailOptOut, OutboundEmail
from workshop_portal import personal_data
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem


def _emails(user: User):
    mine = Q(user=user)
    if user.email:
        mine |= Q(to_address__iexact=user.email)
    return OutboundEmail.objects.filter(mine)


def _summary(user: User) -> list[SummaryItem]:
    figures = _emails(user).aggregate(count=Count("pk"), last=Max("queued_at"))
    if not figures["count"]:
        return []
    return [
        SummaryItem(
            title=_("Emails the portal sent you"),
            details=[(_("Emails"), figures["count"]), (_("Latest"), figures["last"])],
        )
    ]


def _export(user: User) -> ExportSection:
    rows = _emails(user).select_related("workshop").order_by("queued_at", "pk")
    return ExportSection(
        data=[
            {
                "to": row.to_address,
                "subject": row.subject,
                "kind": row.kind,
                "language": row.language,
                "workshop": row.workshop.title if row.workshop else None,
                "status": row.status,
                "queued_at": row.queued_at.isoformat(),
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
                "message_id": row.message_id,
            }
            for row in rows
        ]
    )


def _erase(user: User, cleanup: Cleanup) -> None:
    deleted, _counts = _emails(user).delete()
    cleanup.count(gettext_lazy("emails removed from the outbox"), deleted)


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    removed = (
        OutboundEmail.objects.filter(workshop=workshop, body_removed_at__isnull=True)
        .exclude(status__in=("queued", "sending", "retrying"))
        .update(text="", html="", body_removed_at=timezone.now())
    )
    cleanup.count(gettext_lazy("email bodies removed from the outbox"), removed)


# The addresses that unsubscribed from optional messages (communications.unsubscribe).


def _opt_outs(user: User):
    return EmailOptOut.objects.annotate(lowered=Lower("address")).filter(lowered=(user.email or "").lower())


def _opt_out_summary(user: User) -> list[SummaryItem]:
    return [
        SummaryItem(
            title=row.workshop.title if row.workshop else _("Every workshop"),
            details=[(_("No optional messages since"), row.created_at)],
        )
        for row in _opt_outs(user).select_related("workshop").order_by("created_at")
    ]


def _opt_out_export(user: User) -> ExportSection:
    rows = _opt_outs(user).select_related("workshop").order_by("created_at")
    return ExportSection(
        data=[
            {
                "address": row.address,
                "workshop": row.workshop.title if row.workshop else None,
                "since": row.created_at.isoformat(),
            }
            for row in rows
        ]
    )


def _opt_out_erase(user: User, cleanup: Cleanup) -> None:
    deleted, _counts = _opt_outs(user).delete()
    cleanup.count(gettext_lazy("unsubscribed addresses removed"), deleted)


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="communications_preferences",
            title=gettext_lazy("Optional messages you unsubscribed from"),
            summary=_opt_out_summary,
            export=_opt_out_export,
            erase=_opt_out_erase,
            empty_text=gettext_lazy("You receive the organisers' optional messages."),
        )
    )
    personal_data.register(
        PersonalDataSource(
            key="communications",
            title=gettext_lazy("Emails sent to you"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("The portal has sent you no email."),
        )
    )
