"""Sending an organiser's message to its audience: the audience is read here (registrations owns it,
with the groups the apps above register), the emails are the outbox's (communications.messages).

    message_preview(message, recipient=None) -> MessagePreview   (count, problems, a rendered copy)
    message_send(message, by=user) -> None                        (once; ValidationError otherwise)
    message_send_test(message, by=user, recipient=None) -> None   (one copy to the organiser)
"""

from contextlib import suppress
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communications import messages as outbox_messages
from communications.enums import MessageStatus
from communications.messages import AudienceMember
from communications.models import Message
from registrations.audiences import AudienceSpec, audience_members, member_of_user
from workshop_portal.queueing import send

SEND_MESSAGE_TASK = "registrations.send_message"


def message_audience(message: Message) -> list[AudienceMember]:
    return audience_members(message.workshop, AudienceSpec.from_json(message.audience), essential=message.essential)


@dataclass
class MessagePreview:
    count: int
    members: list[AudienceMember]  # the first ones, to choose whom to preview for
    recipient: AudienceMember | None
    language: str = ""
    subject: str = ""
    body: str = ""
    problems: list[str] = field(default_factory=list)


def message_preview(message: Message, recipient: str | None = None) -> MessagePreview:
    """What `recipient` (an address of the audience; the first by default) would receive, how many
    would, and what would stop the send."""
    members = message_audience(message)
    texts = outbox_messages.message_texts(message)
    chosen = next((m for m in members if recipient and m.address.lower() == recipient.lower()), None)
    chosen = chosen or (members[0] if members else None)
    problems = []
    try:
        outbox_messages.message_check(message, members, texts)
    except ValidationError as error:
        problems = list(error.messages)
    preview = MessagePreview(count=len(members), members=members[:200], recipient=chosen, problems=problems)
    if chosen is not None:
        with suppress(ValidationError):  # said in the problems
            preview.language, preview.subject, preview.body = outbox_messages.message_render(message, chosen, texts)
    return preview


def _already_sent() -> ValidationError:
    return ValidationError(_("This message has already been sent; nothing was sent again."), code="already_sent")


def message_send(message: Message, *, by) -> int:
    """Send the message to its audience, once. A message to nobody, or that some recipients could
    not read, is refused with the reason; a second send (a double click) is told it is already
    sent. The emails are queued by a worker (registrations.send_message) once this commits.
    Returns how many people the audience holds now."""
    if message.status != MessageStatus.DRAFT:
        raise _already_sent()
    members = message_audience(message)
    outbox_messages.message_check(message, members)
    with transaction.atomic():
        if not outbox_messages.message_claim(message, by):
            raise _already_sent()
        pk = message.pk
        transaction.on_commit(lambda: send(SEND_MESSAGE_TASK, message_id=pk) or message_deliver(pk))
    return len(members)


def message_deliver(message_id: int) -> int:
    """The task's work: queue every recipient's copy in the outbox, then mark the message sent.
    Safe to run again (each copy's dedupe key). Returns how many people it went to."""
    message = Message.objects.select_related("workshop").filter(pk=message_id).first()
    # A draft was never claimed; a sent one was queued whole (in one transaction with its status).
    if message is None or message.status != MessageStatus.SENDING:
        return 0
    members = message_audience(message)
    with transaction.atomic():
        outbox_messages.message_queue(message, members)
        outbox_messages.message_finish(message, len(members))
    return len(members)


def message_send_test(message: Message, *, by, recipient: str | None = None) -> None:
    """Queue to the organiser `by` the copy the audience's first member (or `recipient`) would get."""
    preview = message_preview(message, recipient)
    member = preview.recipient or member_of_user(by)
    outbox_messages.message_send_test(message, member, by)
