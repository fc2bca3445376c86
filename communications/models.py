"""The outbox: one row per recipient of every email the portal sends, rendered when it is queued.

What was sent is what the row holds (subject, text, HTML, headers, Message-ID), so a later change
of a template or of the data it read never alters the record. A row's life: queued -> sending
(claimed by one worker) -> sent; or retrying (a temporary failure, tried again later), failed
(a permanent refusal, or attempts used up) and, when a worker died while the mail server was
receiving it, uncertain (never sent again by itself). See communications/delivery.py.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from communications.enums import EmailStatus, MessageStatus


class OutboundEmail(models.Model):
    workshop = models.ForeignKey(
        "workshop_portal.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
    )
    to_address = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(
        _("kind"), max_length=120, help_text=_("The template (or, later, the message) the email was made from.")
    )
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    from_address = models.CharField(_("sender"), max_length=320)
    reply_to = models.CharField(_("reply to"), max_length=320, blank=True)
    # Extra headers as sent (Auto-Submitted, Content-Language, later List-Unsubscribe).
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    # The same notice (object, event, recipient) is queued once: a double click or a retried task
    # finds the row already there. Empty for emails that may repeat (a password reset).
    dedupe_key = models.CharField(_("deduplication key"), max_length=255, unique=True, null=True, blank=True)
    essential = models.BooleanField(
        _("essential"), default=True, help_text=_("Sent even to people who opt out of optional messages.")
    )
    automatic = models.BooleanField(_("automatic"), default=True)
    redacted = models.BooleanField(
        _("body redacted"),
        default=False,
        help_text=_("The email carried a one-time link or code, which is not kept: the stored text omits it."),
    )
    body_removed_at = models.DateTimeField(_("body removed"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("server's answer"), blank=True)
    last_error_code = models.PositiveSmallIntegerField(_("SMTP code"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    handed_over_at = models.DateTimeField(_("handed to the mail server"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outbox")
        ordering = ["-queued_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["claim_token"], name="outbox_claim"),
            models.Index(fields=["to_address"], name="outbox_address"),
        ]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"


class Message(models.Model):
    """A message an organiser writes to an audience of a workshop, in one text per language.

    The audience is a filter (`audience`, read by registrations.audiences), resolved when the
    message is previewed, counted and sent; each recipient's email is an OutboundEmail row."""

    workshop = models.ForeignKey(
        "workshop_portal.Workshop", verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="messages"
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For the organisers' list only; recipients see the subject.")
    )
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    essential = models.BooleanField(
        _("essential"),
        default=False,
        help_text=_(
            "Decisions and deadlines: sent even to people who unsubscribed from optional messages, "
            "and without an unsubscribe link."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    recipient_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class MessageText(models.Model):
    """The subject and text of a message in one language."""

    message = models.ForeignKey(Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        ordering = ["message_id", "language"]
        constraints = [
            models.UniqueConstraint(
                "message",
                "language",
                name="message_text_one_per_language",
                violation_error_message=_("This message already has a text in this language."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.subject}"


class EmailOptOut(models.Model):
    """An address that wants no optional (non-essential) email: from one workshop, or from any
    (`workshop` empty). Essential emails (decisions, deadlines) ignore it."""

    address = models.EmailField(_("email address"), max_length=254)
    workshop = models.ForeignKey(
        "workshop_portal.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("unsubscribed"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        constraints = [
            models.UniqueConstraint(Lower("address"), "workshop", name="email_opt_out_once"),
            models.UniqueConstraint(
                Lower("address"), condition=models.Q(workshop__isnull=True), name="email_opt_out_once_everywhere"
            ),
        ]
        indexes = [models.Index(Lower("address"), name="email_opt_out_address")]

    def __str__(self) -> str:
        return self.address


class EmailAttachment(models.Model):
    """A file attached to emails, kept once whatever the number of rows that carry it: the
    programme's ICS attached to 1,000 reminders is one row here (per language), not 1,000 copies.
    Content-addressed (SHA-256 of the bytes, with the name and type), so the email a worker sends,
    on any attempt, is the one that was queued."""

    sha256 = models.CharField(_("SHA-256"), max_length=64)
    filename = models.CharField(_("file name"), max_length=255)
    mimetype = models.CharField(_("type"), max_length=120)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    emails = models.ManyToManyField(OutboundEmail, verbose_name=_("emails"), related_name="attachments")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(fields=["sha256", "filename", "mimetype"], name="email_attachment_unique"),
        ]

    def __str__(self) -> str:
        return self.filename
