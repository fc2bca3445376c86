"""The audit trail's part of the personal data registry (workshop_portal.personal_data).

The trail outlives personal data (AUDIT_RETENTION_DAYS, longer than PERSONAL_DATA_RETENTION_DAYS)
because it answers "who decided this, when" years later; the people in it need not be named:

- Erasure: wherever the person's name or address appears in an event (as the actor, as the object,
  in a before/after value), it is replaced by their pseudonym (the address an erased account keeps).
  The events stay, with what was done and when.
- Retention purge of a past workshop: its events keep the action, the fields and the staff actor;
  before/after values and the labels of the people concerned are blanked to the object's type and id.
- Export: the events the person did (as the actor), for their archive.
"""

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from workshop_portal import personal_data
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem
from workshop_portal.privacy import erased_email

PURGED = "-"


def _own(user: User):
    return AuditEvent.objects.filter(actor=user)


def _summary(user: User) -> list[SummaryItem]:
    count = _own(user).count()
    if not count:
        return []
    return [SummaryItem(title=_("Actions recorded in the audit trail"), details=[(_("Events"), count)])]


def _export(user: User) -> ExportSection:
    return ExportSection(
        data=[
            {
                "at": event.at,
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "object": event.object_label,
                "changes": event.changes,
                "source": event.source,
            }
            for event in _own(user).order_by("at", "pk")
        ]
    )


def _replace(value, whole: set[str], parts: list[str], pseudonym: str):
    """`value` with the person's names and address replaced, inside lists and dicts too."""
    if isinstance(value, str):
        if value.strip().casefold() in whole:
            return pseudonym
        for part in parts:
            index = value.casefold().find(part)
            while index != -1:
                value = value[:index] + pseudonym + value[index + len(part) :]
                index = value.casefold().find(part, index + len(pseudonym))
        return value
    if isinstance(value, list):
        return [_replace(item, whole, parts, pseudonym) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, whole, parts, pseudonym) for key, item in value.items()}
    return value


def _erase(user: User, cleanup: Cleanup) -> None:
    pseudonym = erased_email(user.pk)
    full_name = user.get_full_name().strip()
    parts = [text.casefold() for text in (user.email, full_name) if len(text) >= 3]
    whole = {text.casefold() for text in (user.email, full_name, user.first_name, user.last_name) if text.strip()}
    found = Q(actor=user) | Q(object_type=User._meta.label_lower, object_id=str(user.pk))
    for text in (user.email, full_name):
        if text:
            found |= Q(actor_label__icontains=text) | Q(object_label__icontains=text) | Q(changes_text__icontains=text)
    events = AuditEvent.objects.annotate(changes_text=Cast("changes", TextField())).filter(found)
    changed = []
    for event in events.iterator():
        event.actor_label = (
            _replace(event.actor_label, whole, parts, pseudonym) if event.actor_id != user.pk else pseudonym
        )
        event.object_label = _replace(event.object_label, whole, parts, pseudonym)
        event.changes = _replace(event.changes, whole, parts, pseudonym)
        changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["actor_label", "object_label", "changes"], batch_size=500)
    cleanup.count(gettext_lazy("audit events pseudonymised"), len(changed))


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    changed = []
    for event in AuditEvent.objects.filter(workshop=workshop).select_related("actor").iterator():
        changes = {name: [PURGED, PURGED] for name in event.changes}
        label = f"{event.object_type} {event.object_id}".strip()
        actor_label = event.actor_label if event.actor is not None and event.actor.is_staff else ""
        if (changes, label, actor_label) != (event.changes, event.object_label, event.actor_label):
            event.changes, event.object_label, event.actor_label = changes, label, actor_label
            changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["actor_label", "object_label", "changes"], batch_size=500)
    cleanup.count(gettext_lazy("audit events blanked"), len(changed))


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="audit",
            title=gettext_lazy("Audit trail"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("No action of yours is recorded in the audit trail."),
        )
    )
