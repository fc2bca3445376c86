"""The one way an audit event is written, and the field diffs it carries."""

import datetime
import decimal
import hashlib
import json
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from audit import context
from audit.enums import Action, Source
from audit.models import AuditEvent

# Values never copied into the trail: only the fact that they changed.
MASKED = "********"
_MASKED_FIELD_PARTS = ("password", "token", "secret")
_MASK_PREFIX = "\x00masked:"
_UNSET = object()


def _masked(name: str) -> bool:
    return any(part in name for part in _MASKED_FIELD_PARTS)


def _json_value(value):
    """A field's value as JSON can hold it (files by their stored name, dates as ISO text)."""
    if isinstance(value, FieldFile):
        return value.name or None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time, decimal.Decimal, uuid.UUID)):
        return DjangoJSONEncoder().default(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def snapshot(instance: models.Model) -> dict:
    """The instance's concrete fields by name (foreign keys by id), ready for field_changes."""
    values = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if _masked(field.name):
            # A digest only tells field_changes whether it changed; the trail shows neither value.
            value = _MASK_PREFIX + hashlib.sha256(str(value).encode()).hexdigest()
        else:
            value = _json_value(value)
        values[field.name] = value
    return values


def field_changes(before: dict | None, after: dict | None) -> dict:
    """{field: [before, after]} for the fields whose value differs; a masked field says only that it changed."""
    before, after = before or {}, after or {}
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if any(isinstance(value, str) and value.startswith(_MASK_PREFIX) for value in (old, new)):
            old, new = MASKED, MASKED
        changes[name] = [old, new]
    return changes


def actor_label(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    email = getattr(user, "email", "") or ""
    return f"{name} <{email}>" if name and email else (name or email or str(user))


def object_type_of(model_or_instance) -> str:
    return model_or_instance._meta.label_lower


def _workshop_id_of(instance) -> int | None:
    if instance is None:
        return None
    if instance._meta.label_lower == "workshop_portal.workshop":
        return instance.pk
    for attname in ("workshop_id",):
        if hasattr(instance, attname):
            return getattr(instance, attname)
    # One step further (a presentation file's presentation, a segment's session), already loaded only.
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.is_cached(instance):
            related = field.get_cached_value(instance)
            if related is not None and hasattr(related, "workshop_id"):
                return related.workshop_id
    return None


def _label(instance) -> str:
    try:
        return str(instance)[:300]
    except Exception:  # a __str__ that needs a deleted relation must not lose the event
        return f"{instance._meta.verbose_name} {instance.pk}"


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int | None = None,
    object_label: str = "",
    workshop=None,
    workshop_id: int | None = None,
    changes: dict | None = None,
    actor=_UNSET,
    source: str | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Write one event. The actor, address and source default to the request's (audit.context).

    Called inside the caller's transaction: a rolled-back action leaves no event. An object passed
    here is not recorded again by the admin's generic hook for the same save.
    """
    current = context.current()
    if actor is _UNSET:
        actor = current.user if current else None
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = obj.pk if object_id is None else object_id
        object_label = object_label or _label(obj)
        obj._audit_recorded = True
    if workshop is not None:
        workshop_id = workshop.pk
    elif workshop_id is None:
        workshop_id = _workshop_id_of(obj)
    # An account deleting itself: the event keeps the actor's label, not a key to the row now gone.
    self_deleted = (
        str(action) == Action.DELETE
        and getattr(actor, "pk", None) is not None
        and object_type == object_type_of(actor)
        and str(object_id) == str(actor.pk)
    )
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) and not self_deleted else None,
        actor_label=actor_label(actor),
        action=str(action),
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        object_label=object_label[:300],
        workshop_id=workshop_id,
        changes=changes or {},
        ip_address=ip_address or (current.ip_address if current else None),
        source=source or (current.source if current else Source.COMMAND),
    )


def retention_days() -> int:
    return max(0, settings.AUDIT_RETENTION_DAYS)


def audit_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the events older than AUDIT_RETENTION_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
