"""Messages organisers write to an audience of a workshop: placeholders, languages, preview, sending.

The audience is resolved by the app that owns the data (registrations.audiences) and handed down
as `AudienceMember`s: this module never reads registrations. A message's text is plain text (the
outbox makes the HTML part) with a fixed set of placeholders in braces (`PLACEHOLDERS`), replaced
by plain substitution, never evaluated as a template; any other text in braces is refused on save.

Sending happens once: `message_claim` takes the message from draft to sending with one conditional
UPDATE, so a second click (or a second organiser) is told it is already sent; each recipient's
email has the dedupe key `message:<pk>:<address>`, so a task delivered again queues nothing twice.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communications.enums import MessageStatus
from communications.models import Message, MessageText
from communications.services import MESSAGE_TEMPLATE, Recipient, email_queue
from workshop_portal.emails import portal_url
from workshop_portal.languages import workshop_languages
from workshop_portal.models import User

PLACEHOLDERS = ("first_name", "full_name", "workshop", "dashboard_link", "programme_link")
BRACED = re.compile(r"\{([^{}]*)\}")
KIND = "message"


@dataclass(frozen=True)
class AudienceMember:
    """One person a message goes to, as the audience's owner read them."""

    address: str
    language: str
    user_id: int | None = None
    first_name: str = ""
    full_name: str = ""


# --- Texts ---------------------------------------------------------------------------------------


def unknown_placeholders(text: str) -> list[str]:
    found = [match.group(1) for match in BRACED.finditer(text or "")]
    return list(dict.fromkeys(f"{{{name}}}" for name in found if name not in PLACEHOLDERS))


def message_text_check(text: str) -> None:
    """Refuse a subject or text with a placeholder the messages do not know, naming it."""
    unknown = unknown_placeholders(text)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(unknown)s. The placeholders of a message are: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)},
            code="unknown_placeholder",
        )


def render_text(text: str, values: dict[str, str]) -> str:
    """`text` with each known placeholder replaced by its value, in one pass (a value is never read
    for placeholders again); anything else in braces stays as written."""
    return BRACED.sub(lambda match: values.get(match.group(1), match.group(0)), text or "")


def workshop_values(workshop) -> dict[str, str]:
    """The placeholders every recipient of a workshop's message shares."""
    return {
        "workshop": workshop.title,
        "dashboard_link": portal_url(reverse("registrations:dashboard")),
        "programme_link": portal_url(reverse("worksessions:programme", kwargs={"slug": workshop.slug})),
    }


def member_values(member: AudienceMember, shared: dict[str, str]) -> dict[str, str]:
    full_name = member.full_name or member.first_name or member.address
    return {**shared, "first_name": member.first_name or full_name, "full_name": full_name}


# --- Languages -----------------------------------------------------------------------------------


def message_texts(message: Message) -> dict[str, MessageText]:
    return {text.language: text for text in message.texts.all()}


def text_for(texts: dict[str, MessageText], language: str, workshop) -> MessageText | None:
    """The text a recipient in `language` reads: their own, else the workshop's first language's."""
    return texts.get(language) or texts.get(workshop_languages(workshop)[0])


def language_problems(message: Message, members: list[AudienceMember], texts=None) -> Counter:
    """How many recipients per language have no text to read (neither theirs nor the fallback)."""
    texts = message_texts(message) if texts is None else texts
    return Counter(m.language for m in members if text_for(texts, m.language, message.workshop) is None)


def message_check(message: Message, members: list[AudienceMember], texts=None) -> None:
    """Refuse to send a message to nobody, or one some recipients could not read."""
    if not members:
        raise ValidationError(_("Nobody is in this audience: change its filters."), code="empty_audience")
    missing = language_problems(message, members, texts)
    if missing:
        first = workshop_languages(message.workshop)[0]
        raise ValidationError(
            _(
                "Some recipients would get no text: %(missing)s. Add a text in their language, or in "
                "the workshop's first language (%(first)s), which everyone else reads."
            )
            % {
                "missing": ", ".join(
                    ngettext("%(language)s: %(count)d recipient", "%(language)s: %(count)d recipients", count)
                    % {"language": language, "count": count}
                    for language, count in sorted(missing.items())
                ),
                "first": first,
            },
            code="missing_language",
        )


# --- Rendering and sending -----------------------------------------------------------------------


def message_render(message: Message, member: AudienceMember, texts=None, shared=None) -> tuple[str, str, str]:
    """(language, subject, text) of `member`'s copy, as the outbox will queue it."""
    texts = message_texts(message) if texts is None else texts
    text = text_for(texts, member.language, message.workshop)
    if text is None:
        raise ValidationError(_("This message has no text that this recipient can read."), code="missing_language")
    values = member_values(member, shared if shared is not None else workshop_values(message.workshop))
    return text.language, render_text(text.subject, values), render_text(text.body, values)


def _recipients(message: Message, members: list[AudienceMember], *, dedupe: bool, texts) -> list[Recipient]:
    shared = workshop_values(message.workshop)
    recipients = []
    for member in members:
        language, subject, body = message_render(message, member, texts, shared)
        recipients.append(
            Recipient(
                address=member.address,
                language=language,
                # The account by its id alone (no query): the person's data lists the email.
                user=User(pk=member.user_id) if member.user_id else None,
                context={"subject": subject, "body": body},
                dedupe_key=f"message:{message.pk}:{member.address.lower()}"[:255] if dedupe else None,
            )
        )
    return recipients


def message_queue(message: Message, members: list[AudienceMember]) -> list[int]:
    """Queue each member's copy in the outbox (once per address, whatever retries). Returns the ids."""
    texts = message_texts(message)
    message_check(message, members, texts)
    return email_queue(
        template=MESSAGE_TEMPLATE,
        recipients=_recipients(message, members, dedupe=True, texts=texts),
        workshop=message.workshop,
        kind=KIND,
        automatic=False,
        essential=message.essential,
    )


def message_claim(message: Message, by) -> bool:
    """Take the message from draft to sending, once: False when another send took it first."""
    taken = Message.objects.filter(pk=message.pk, status=MessageStatus.DRAFT).update(
        status=MessageStatus.SENDING, sent_by=by
    )
    if taken:
        message.status, message.sent_by = MessageStatus.SENDING, by
    return bool(taken)


def message_finish(message: Message, count: int) -> None:
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), recipient_count=count
    )


def message_send_test(message: Message, member: AudienceMember, to_user) -> list[int]:
    """Queue `member`'s copy of the message to `to_user` (the organiser), marked as a test; never
    deduplicated against the real send."""
    language, subject, body = message_render(message, member)
    recipient = Recipient(
        address=to_user.email,
        language=language,
        user=to_user,
        context={"subject": _("[Test] %(subject)s") % {"subject": subject}, "body": body},
    )
    with transaction.atomic():
        return email_queue(
            template=MESSAGE_TEMPLATE,
            recipients=[recipient],
            workshop=message.workshop,
            kind=f"{KIND}-test",
            automatic=False,
            essential=True,
        )
