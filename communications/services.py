"""Queueing emails in the outbox: the one way the portal sends email.

    email_queue(template=..., recipients=[Recipient(...), ...], workshop=..., context=...) -> [ids]

renders each recipient's email in their language now (workshop_portal.emails.portal_email), keeps it
as one OutboundEmail row, and hands the rows to a worker once the caller's transaction commits
(inline in the embedded mode). A worker sends them over one SMTP connection per batch
(communications/delivery.py). Rows whose `dedupe_key` is already in the outbox are skipped, so a
notice queued twice (a double click, a task delivered again) leaves once.

Account emails (allauth: address confirmation, password reset, sign-in codes) carry one-time links
that must not rest in the database and that people wait for at the screen: `email_send_now` sends
them at once from the process that asked, and records them with those links removed.
"""

import hashlib
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.html import escape

from communications.delivery import deliver_claimed
from communications.dispatch import dispatch_on_commit
from communications.enums import EmailStatus
from communications.models import EmailAttachment, OutboundEmail
from communications.unsubscribe import opted_out, unsubscribe_headers, unsubscribe_url
from workshop_portal.emails import portal_email, reply_to_address
from workshop_portal.models import User, Workshop

logger = logging.getLogger(__name__)

# An email whose subject and text someone wrote (a message to an audience): context "subject" and
# "body", per recipient's language through Recipient.context if need be.
MESSAGE_TEMPLATE = "communications/email/message"
REDACTED = "[…]"


@dataclass(frozen=True)
class Attachment:
    """A file attached to an email: kept once in the outbox (EmailAttachment, by its SHA-256)
    however many emails carry it."""

    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"

    @property
    def key(self) -> tuple[str, str, str]:
        return hashlib.sha256(self.content).hexdigest(), self.filename, self.mimetype


@dataclass(frozen=True)
class Recipient:
    """One recipient of a queued email: their address and language, their account if they have
    one (the outbox is then listed in their data), what only their copy says, and the key that
    keeps their copy from being queued twice."""

    address: str
    language: str
    user: User | None = None
    context: Mapping = field(default_factory=dict)
    dedupe_key: str | None = None
    headers: Mapping = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()


def message_id() -> str:
    """A Message-ID for a new row, kept across its attempts (the sender's domain after the @)."""
    domain = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def _row(message: EmailMultiAlternatives, *, recipient_user, workshop, language, kind, essential, automatic):
    html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    headers = {name: value for name, value in message.extra_headers.items() if name.lower() != "message-id"}
    return OutboundEmail(
        workshop=workshop,
        user=recipient_user,
        to_address=message.to[0],
        language=language,
        kind=kind[:120],
        subject=str(message.subject)[:500],
        text=message.body,
        html=html,
        from_address=message.from_email,
        reply_to=", ".join(message.reply_to),
        headers=headers,
        message_id=message_id(),
        essential=essential,
        automatic=automatic,
    )


def email_queue(
    *,
    template: str,
    recipients: Iterable[Recipient],
    context: Mapping | None = None,
    subject_template: str | None = None,
    workshop: Workshop | None = None,
    kind: str = "",
    reply_to: str | None = None,
    automatic: bool = True,
    essential: bool = True,
    attachments: Iterable[Attachment] = (),
) -> list[int]:
    """Queue the email `template` (`<template>_message.txt`, `<template>_subject.txt` or
    `subject_template`) to each recipient, rendered in their language with `context` and their own
    `Recipient.context`. Returns the ids of the rows queued now (a recipient whose dedupe_key is
    already in the outbox is skipped). They leave once the current transaction commits.

    `workshop`: the outbox lists the email under it, and answers go to its organisers
    (Workshop.contact_email, else PORTAL_REPLY_TO) unless `reply_to` names another address ("" for
    none). `kind`: what the admin filters by (the template's name by default). `automatic`: the
    portal wrote it by itself (Auto-Submitted); a message an organiser writes is not. `essential`:
    sent even to someone who opted out of optional messages; otherwise an address that opted out
    (communications.unsubscribe) is skipped, and every other copy carries its own unsubscribe link
    (`unsubscribe_url` in the context, shown under the text) and the RFC 8058 headers.
    `attachments` go with every recipient's email, `Recipient.attachments` with theirs only."""
    attachments = tuple(attachments)
    recipients = [r for r in recipients if r.address]
    workshop_id = workshop.pk if workshop is not None else None
    if not essential:
        gone = opted_out([r.address for r in recipients], workshop_id)
        recipients = [r for r in recipients if r.address.lower() not in gone]
    keys = [r.dedupe_key for r in recipients if r.dedupe_key]
    known = (
        set(OutboundEmail.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)) if keys else set()
    )
    if reply_to is None:
        reply_to = reply_to_address(workshop)
    rows, seen, attached = [], set(), {}
    for recipient in recipients:
        if recipient.dedupe_key and (recipient.dedupe_key in known or recipient.dedupe_key in seen):
            continue
        seen.add(recipient.dedupe_key)
        own, headers = dict(recipient.context), dict(recipient.headers)
        if not essential:
            own["unsubscribe_url"] = unsubscribe_url(recipient.address, workshop_id)
            headers.update(unsubscribe_headers(own["unsubscribe_url"]))
        message = portal_email(
            to=[recipient.address],
            language=recipient.language,
            template=template,
            subject_template=subject_template,
            context={**(context or {}), **own},
            headers=headers,
            reply_to=reply_to,
            automatic=automatic,
        )
        row = _row(
            message,
            recipient_user=recipient.user,
            workshop=workshop,
            language=recipient.language,
            kind=kind or template,
            essential=essential,
            automatic=automatic,
        )
        row.dedupe_key = recipient.dedupe_key
        rows.append(row)
        if attachments or recipient.attachments:
            attached[row.message_id] = (*attachments, *recipient.attachments)
    if not rows:
        return []
    # A concurrent call may have queued the same key meanwhile: its row stands, this one is dropped.
    OutboundEmail.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    queued = dict(
        OutboundEmail.objects.filter(message_id__in=[row.message_id for row in rows])
        .order_by("pk")
        .values_list("message_id", "pk")
    )
    if attached:
        _attach({queued[key]: files for key, files in attached.items() if key in queued})
    ids = sorted(queued.values())
    dispatch_on_commit(ids)
    return ids


def _attach(files_of: dict[int, tuple[Attachment, ...]]) -> None:
    """Link each row to its files, each file stored once (by its SHA-256, name and type): three
    queries whatever the number of rows."""
    files = {file.key: file for row_files in files_of.values() for file in row_files}
    if not files:
        return
    EmailAttachment.objects.bulk_create(
        [
            EmailAttachment(sha256=sha, filename=name, mimetype=mimetype, content=file.content, size=len(file.content))
            for (sha, name, mimetype), file in files.items()
        ],
        ignore_conflicts=True,
    )
    stored = {
        (sha, name, mimetype): pk
        for pk, sha, name, mimetype in EmailAttachment.objects.filter(sha256__in={key[0] for key in files}).values_list(
            "pk", "sha256", "filename", "mimetype"
        )
    }
    through = EmailAttachment.emails.through
    through.objects.bulk_create(
        [
            through(emailattachment_id=stored[file.key], outboundemail_id=row_id)
            for row_id, row_files in files_of.items()
            for file in dict.fromkeys(row_files)
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


def email_queue_to(
    *,
    to: str,
    language: str,
    template: str,
    context: Mapping,
    user: User | None = None,
    dedupe_key: str | None = None,
    **options,
) -> int | None:
    """`email_queue` for one recipient; the row's id, or None when its dedupe_key was queued before."""
    ids = email_queue(
        template=template,
        recipients=[Recipient(address=to, language=language, user=user, dedupe_key=dedupe_key)],
        context=context,
        **options,
    )
    return ids[0] if ids else None


# --- Account emails: at once, recorded without their secrets ------------------------------------


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED).replace(escape(secret), REDACTED)
    return text


def email_send_now(
    message: EmailMultiAlternatives,
    *,
    kind: str,
    language: str,
    user: User | None = None,
    workshop: Workshop | None = None,
    secrets: Iterable[str] = (),
) -> OutboundEmail:
    """Send `message` (one recipient) at once from this process and record it in the outbox,
    with each of `secrets` cut out of what is stored. Not retried by a worker: the stored text
    lacks what made it useful; a failure is recorded with the server's answer, and the person
    asks again (a new link)."""
    # Longest first, so that a link goes whole rather than leave its key's surroundings.
    secrets = sorted({str(s) for s in secrets if s and len(str(s)) >= 4}, key=len, reverse=True)
    row = _row(
        message, recipient_user=user, workshop=workshop, language=language, kind=kind, essential=True, automatic=True
    )
    row.subject, row.text, row.html = (_redact(part, secrets) for part in (row.subject, row.text, row.html))
    row.redacted = bool(secrets)
    now = timezone.now()
    row.status, row.claim_token, row.claimed_at, row.dispatched_at = EmailStatus.SENDING, uuid.uuid4().hex, now, now
    row.save()
    message.extra_headers["Message-ID"] = row.message_id
    deliver_claimed([(row, message)], token=row.claim_token, retry=False)
    row.refresh_from_db()
    return row
