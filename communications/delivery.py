"""Sending the outbox: claim a batch, send it over one connection, record each recipient's outcome.

Every step is one conditional UPDATE, so two workers (or a worker and the watchdog) cannot both
take a row, and nothing is locked while the mail server answers.

**Duplicates.** SMTP has no idempotency: a message is delivered once the server has answered 250
to its final dot, and the only way to know is to hear that answer. So a row is marked
`handed_over_at` (committed, waiting for the disk) once the server has accepted its sender and
recipient, just before DATA, and `sent` right after the server's 250. A worker killed before the
hand-over leaves a row that goes back to the queue and is sent once by another worker; a worker
killed between the two commits leaves the row `sending` with `handed_over_at` set, and nobody can
tell whether the server kept it. The policy is *at most once* for that one row per killed worker
process: the watchdog marks it `uncertain` ("may have been delivered"), never sends it again by
itself, and the admin shows it with an action to send it again. The window is the DATA command,
the server's answer and one commit that does not wait for the disk (a database crash that lost it
leaves the row uncertain, not sent twice). A duplicate could otherwise come only from a server
that accepted a message and then failed to answer: that answer is a lost connection, which SMTP
defines as "not accepted", so the row is retried (the server broke the protocol's promise).

**Failures.** A 5xx answer (recipient, sender or content refused) fails the row at once with the
server's code and text; a 4xx answer, a refused, lost or silent connection is temporary: the row
waits OUTBOX_RETRY_MINUTES (1, 5, 15, 60) and is tried again, up to OUTBOX_MAX_ATTEMPTS, then
fails with the last answer. Each recipient has its own row, so one refused address never holds
back the others of its batch.
"""

import contextlib
import functools
import logging
import smtplib
import time
import uuid
from collections.abc import Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communications.dispatch import dispatch, dispatch_on_commit
from communications.enums import SENDABLE, EmailStatus
from communications.models import EmailAttachment, OutboundEmail

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
# Connection-level failures in a row after which the rest of a batch waits without trying.
GIVE_UP_AFTER = 2


class _Outcome:
    SENT, RETRY, FAIL = "sent", "retry", "fail"

    def __init__(self, kind: str, code: int | None = None, error: str = "", connection_lost: bool = False):
        self.kind, self.code, self.error, self.connection_lost = kind, code, error, connection_lost


def email_message(row: OutboundEmail) -> EmailMultiAlternatives:
    """The email as the row recorded it, with its Message-ID (the same on every attempt)."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.text,
        from_email=row.from_address,
        to=[row.to_address],
        reply_to=[row.reply_to] if row.reply_to else None,
        headers={**row.headers, "Message-ID": row.message_id},
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    for attachment in row.attachments.all():  # prefetched by send_batch
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def _answer(code, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _classify(error: Exception, address: str) -> _Outcome:
    """What the server's answer (or silence) means for this recipient."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = error.recipients.get(address) or next(iter(error.recipients.values()), (None, b""))
    elif isinstance(error, smtplib.SMTPResponseException):  # sender refused, data refused, ...
        code, text = error.smtp_code, error.smtp_error
    elif isinstance(error, smtplib.SMTPException | OSError):  # lost, refused, reset, timed out, no answer
        return _Outcome(_Outcome.RETRY, None, f"{type(error).__name__}: {error}"[:2000], connection_lost=True)
    else:  # the message itself cannot be sent (an address the backend cannot encode, say)
        return _Outcome(_Outcome.FAIL, None, f"{type(error).__name__}: {error}"[:2000])
    if code is not None and 400 <= code < 500:  # 421: the server closes the connection as it answers
        return _Outcome(_Outcome.RETRY, code, _answer(code, text), connection_lost=code == 421)
    if code == -1:  # smtplib's "connection unexpectedly closed" in the middle of a reply
        return _Outcome(_Outcome.RETRY, None, _answer(code, text), connection_lost=True)
    return _Outcome(_Outcome.FAIL, code, _answer(code, text))


def _send(connection, message, hand_over) -> tuple[_Outcome | None, bool]:
    """Send one message; `hand_over()` commits that the server may now get it and answers False
    when the row was taken back meanwhile. Returns (outcome, handed over); (None, False): skipped.

    Over SMTP the hand-over comes after the server accepted the sender and the recipient, just
    before DATA: a worker killed earlier leaves a row that is simply sent again. Other backends
    (console, files, memory) are handed over before they are called."""
    handed = False
    try:
        if not isinstance(connection, SmtpBackend):
            if not hand_over():
                return None, False
            handed = True
            connection.send_messages([message])
            return _Outcome(_Outcome.SENT), True
        if connection.connection is None:
            connection.open()
        smtp = connection.connection
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in message.recipients()]
        data = message.message().as_bytes(linesep="\r\n")
        smtp.ehlo_or_helo_if_needed()
        options = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
        code, answer = smtp.mail(sender, options)
        if code != 250:
            _reset(smtp, code)
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        refused = {}
        for recipient in recipients:
            code, answer = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, answer)
        if len(refused) == len(recipients):
            _reset(smtp, code)
            raise smtplib.SMTPRecipientsRefused(refused)
        if not hand_over():
            _reset(smtp, 0)
            return None, False
        handed = True
        code, answer = smtp.data(data)
        if code != 250:
            _reset(smtp, code)
            raise smtplib.SMTPDataError(code, answer)
    except SoftTimeLimitExceeded:
        raise  # the batch's time is up: the rows left are the watchdog's (a handed-over one uncertain)
    except Exception as error:
        return _classify(error, message.to[0]), handed
    return _Outcome(_Outcome.SENT), True


def _reset(smtp, code: int) -> None:
    """End the refused transaction (421: the server is closing the connection anyway)."""
    with contextlib.suppress(Exception):
        smtp.close() if code == 421 else smtp.rset()


def _close(connection) -> None:
    with contextlib.suppress(Exception):
        connection.close()
    if hasattr(connection, "connection"):
        connection.connection = None


def _record(row: OutboundEmail, token: str, outcome: _Outcome, *, retry: bool, attempts: int, counted: bool) -> None:
    """Write the outcome while this batch still holds the row. `counted`: the hand-over counted
    the attempt already. Committed without waiting for the disk on PostgreSQL: a database crash
    that lost it would leave the row handed over, so uncertain, never sent twice."""
    now = timezone.now()
    held = OutboundEmail.objects.filter(
        pk=row.pk, claim_token=token, status__in=(EmailStatus.SENDING, EmailStatus.UNCERTAIN)
    )
    extra = {} if counted else {"attempts": F("attempts") + 1}
    with transaction.atomic():
        if connections[held.db].vendor == "postgresql":
            with connections[held.db].cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        _write_outcome(row, held, outcome, now=now, retry=retry, attempts=attempts, extra=extra)


def _write_outcome(row, held, outcome: _Outcome, *, now, retry: bool, attempts: int, extra: dict) -> None:
    if outcome.kind == _Outcome.SENT:
        held.update(status=EmailStatus.SENT, sent_at=now, last_error="", last_error_code=None, **extra)
        return
    values = {"last_error": outcome.error, "last_error_code": outcome.code, "claim_token": "", **extra}
    waits = settings.OUTBOX_RETRY_MINUTES
    if outcome.kind == _Outcome.RETRY and retry and attempts < settings.OUTBOX_MAX_ATTEMPTS:
        wait = waits[min(attempts, len(waits)) - 1] if waits else 1
        values.update(
            status=EmailStatus.RETRYING,
            next_attempt_at=now + timezone.timedelta(minutes=wait),
            dispatched_at=None,
            handed_over_at=None,
        )
    else:
        values.update(status=EmailStatus.FAILED, next_attempt_at=None)
    held.update(**values)
    logger.warning("email %s to %s: %s (%s)", row.pk, row.to_address, values["status"], outcome.error)


def send_batch(ids: Iterable[int], *, due=None) -> dict[str, int]:
    """Claim the rows among `ids` that are due (at `due`, now by default: the watchdog's time),
    send them over one connection, record each one. Returns counts per outcome. A row another
    worker holds, or already sent, is left alone."""
    now = timezone.now()
    token = uuid.uuid4().hex
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=max(due or now, now))
    claimed = OutboundEmail.objects.filter(due, pk__in=list(ids), status__in=SENDABLE).update(
        status=EmailStatus.SENDING, claim_token=token, claimed_at=now, handed_over_at=None
    )
    if not claimed:
        return {}
    rows = list(
        OutboundEmail.objects.filter(claim_token=token, status=EmailStatus.SENDING)
        .order_by("pk")
        .prefetch_related("attachments")
    )
    return deliver_claimed([(row, email_message(row)) for row in rows], token=token)


def deliver_claimed(batch: list[tuple[OutboundEmail, EmailMultiAlternatives]], *, token: str, retry: bool = True):
    """Send claimed rows (each with its message) over one connection, in order. Per email: one
    commit that waits for the disk (the hand-over) and one that does not (the outcome)."""
    counts = {"sent": 0, "retry": 0, "fail": 0, "skipped": 0}
    connection = get_connection(fail_silently=False)
    failures_in_a_row, last_beat, last_error = 0, time.monotonic(), ""
    try:
        for row, message in batch:
            if time.monotonic() - last_beat > HEARTBEAT_SECONDS:  # the batch's waiting rows are alive
                OutboundEmail.objects.filter(claim_token=token, status=EmailStatus.SENDING).update(
                    claimed_at=timezone.now()
                )
                last_beat = time.monotonic()
            if failures_in_a_row >= GIVE_UP_AFTER:  # the server is unreachable: the rest wait too
                outcome, handed = _Outcome(_Outcome.RETRY, None, last_error, connection_lost=True), False
            else:
                outcome, handed = _send(connection, message, functools.partial(_hand_over, row, token))
                if outcome is None:  # the watchdog took it back: another worker sends it
                    counts["skipped"] += 1
                    continue
            _record(row, token, outcome, retry=retry, attempts=row.attempts + 1, counted=handed)
            counts[outcome.kind] += 1
            if outcome.connection_lost:
                failures_in_a_row += 1
                last_error = outcome.error
                if failures_in_a_row <= GIVE_UP_AFTER:
                    _close(connection)  # the next row opens a new one
            else:
                failures_in_a_row = 0
    finally:
        _close(connection)
    return counts


def _hand_over(row: OutboundEmail, token: str) -> bool:
    """From this commit on the server may get the email: a worker killed before its outcome is
    written leaves the row uncertain (see the module's docstring). False: the row was taken back."""
    now = timezone.now()
    return bool(
        OutboundEmail.objects.filter(pk=row.pk, claim_token=token, status=EmailStatus.SENDING).update(
            handed_over_at=now, claimed_at=now, attempts=F("attempts") + 1
        )
    )


# --- The watchdog -----------------------------------------------------------------------------


def outbox_watchdog(*, now=None, limit: int = 5000) -> dict[str, int]:
    """Every minute (beat): take back the rows of workers that vanished, and send the rows that are
    due (queued ones the broker never took, retries whose wait is over)."""
    now = now or timezone.now()
    stale = Q(
        status=EmailStatus.SENDING, claimed_at__lt=now - timezone.timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    )
    # Never handed to the server: nothing left, send again.
    requeued = OutboundEmail.objects.filter(stale, handed_over_at__isnull=True).update(
        status=EmailStatus.QUEUED, claim_token="", dispatched_at=None
    )
    # Handed over when its worker died: perhaps delivered. Not sent again by itself.
    uncertain = OutboundEmail.objects.filter(stale, handed_over_at__isnull=False).update(
        status=EmailStatus.UNCERTAIN,
        last_error=_(
            "The worker stopped while the mail server was receiving this email: it may have been delivered. "
            "It is not sent again by itself, to avoid a duplicate; send it again if it did not arrive."
        ),
    )
    lost = Q(dispatched_at__isnull=True) | Q(
        dispatched_at__lt=now - timezone.timedelta(seconds=settings.OUTBOX_REDISPATCH_SECONDS)
    )
    due = OutboundEmail.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), lost, status__in=SENDABLE
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:limit])
    dispatched = dispatch(ids, due=now) if ids else 0
    return {"requeued": requeued, "uncertain": uncertain, "dispatched": dispatched}


def emails_send_again(rows) -> int:
    """The admin's action: failed or uncertain rows queued again now (not the redacted account
    emails, whose stored text lacks their link). Returns how many."""
    ids = list(
        rows.filter(
            status__in=(EmailStatus.FAILED, EmailStatus.UNCERTAIN), redacted=False, body_removed_at=None
        ).values_list("pk", flat=True)
    )
    OutboundEmail.objects.filter(pk__in=ids).update(  # a fresh set of attempts; the last answer stays until then
        status=EmailStatus.QUEUED,
        attempts=0,
        claim_token="",
        next_attempt_at=None,
        dispatched_at=None,
        handed_over_at=None,
    )
    dispatch_on_commit(ids)
    return len(ids)


def outbox_purge_old(*, now=None) -> int:
    """Daily: delete rows older than OUTBOX_RETENTION_DAYS that will not change any more."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _counts = OutboundEmail.objects.filter(
        queued_at__lt=cutoff, status__in=(EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.UNCERTAIN)
    ).delete()
    # Files no email carries any more (kept once however many emails had them).
    EmailAttachment.objects.filter(emails=None, created_at__lt=cutoff).delete()
    return deleted
