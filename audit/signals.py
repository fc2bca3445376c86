"""What the trail records without the apps asking: every change made in the Django admin to the
portal's own models (with before and after), and every change of a person's roles, wherever made.

The admin hook is generic so that no ModelAdmin can forget it: while a request under the admin is
served (audit.context), a save or delete of a model of one of the portal's apps is recorded. A
service that records its own, more meaningful event for an object (a decision) marks it, and the
generic hook leaves that save alone.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from audit import context
from audit.enums import Action, Source
from audit.services import field_changes, record, snapshot

ROLE_FIELDS = ("is_staff", "is_superuser")
_portal_labels: set[str] | None = None


def portal_app_labels() -> set[str]:
    """The apps whose code lives in this repository (not Django's, not a library's), but the trail itself."""
    global _portal_labels
    if _portal_labels is None:
        base = Path(settings.BASE_DIR).resolve()
        _portal_labels = {
            config.label
            for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(base) and ".venv" not in Path(config.path).parts
        } - {"audit"}
    return _portal_labels


def _in_admin() -> bool:
    current = context.current()
    return current is not None and current.source == Source.ADMIN


def _watched(sender) -> bool:
    return sender._meta.app_label in portal_app_labels() and not sender._meta.auto_created


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or not _in_admin() or not _watched(sender):
        return
    old = sender._base_manager.filter(pk=instance.pk).first() if instance.pk is not None else None
    instance._audit_before = snapshot(old) if old is not None else None


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _in_admin() or not _watched(sender):
        return
    if getattr(instance, "_audit_recorded", False):
        instance._audit_recorded = False  # a service recorded this save itself
        return
    before = getattr(instance, "_audit_before", None)
    changes = field_changes(before, snapshot(instance))
    if not created and before is not None and not changes:
        return  # saved as it was: nothing to record
    record(action=Action.CREATE if created or before is None else Action.CHANGE, obj=instance, changes=changes)
    instance._audit_recorded = False


def _before_delete(sender, instance, **kwargs):
    if _in_admin() and _watched(sender):
        instance._audit_before = snapshot(instance)


def _after_delete(sender, instance, **kwargs):
    if not _in_admin() or not _watched(sender):
        return
    record(
        action=Action.DELETE,
        obj=instance,
        changes=field_changes(getattr(instance, "_audit_before", None), None),
    )


def _user_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    # A sign-in saves last_login only: no query for that.
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(ROLE_FIELDS)):
        instance._audit_roles_before = None
        return
    instance._audit_roles_before = (
        sender._base_manager.filter(pk=instance.pk).values(*ROLE_FIELDS).first() if not _in_admin() else None
    )


def _user_after_save(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_audit_roles_before", None)
    if raw or created or before is None:
        return  # in the admin, the generic hook records the change with its other fields
    changes = {
        name: [before[name], getattr(instance, name)] for name in ROLE_FIELDS if before[name] != getattr(instance, name)
    }
    if changes:
        granted = any(new for _old, new in changes.values())
        record(action=Action.ROLE_GRANT if granted else Action.ROLE_REVOKE, obj=instance, changes=changes)


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A person joins or leaves a group (a staff role), from either side of the relation."""
    user_model = get_user_model()
    if reverse:
        # group.user_set.add(...): `instance` is the group, pk_set the people.
        if action == "pre_clear":
            people = list(instance.user_set.all())
        elif action in ("post_add", "pre_remove"):
            people = list(instance.user_set.filter(pk__in=pk_set or ()))
            if action == "post_add":
                people = list(user_model._base_manager.filter(pk__in=pk_set or ()))
        else:
            return
        for person in people:
            _record_groups(person, action, [instance.name])
        return
    if action in ("pre_clear", "pre_remove"):
        # Only the groups the person really leaves (remove() may name groups they were never in).
        held = instance.groups.all()
        if action == "pre_remove":
            held = held.filter(pk__in=pk_set or ())
        _record_groups(instance, action, list(held.values_list("name", flat=True)))
    elif action == "post_add":
        _record_groups(
            instance, action, list(model._base_manager.filter(pk__in=pk_set or ()).values_list("name", flat=True))
        )


def _record_groups(person, action, groups):
    if not groups:
        return
    added = action == "post_add"
    record(
        action=Action.ROLE_GRANT if added else Action.ROLE_REVOKE,
        obj=person,
        changes={"groups": [[] if added else sorted(groups), sorted(groups) if added else []]},
    )
    person._audit_recorded = False  # the person's own save may still follow in the admin


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="audit_before_save")
    post_save.connect(_after_save, dispatch_uid="audit_after_save")
    pre_delete.connect(_before_delete, dispatch_uid="audit_before_delete")
    post_delete.connect(_after_delete, dispatch_uid="audit_after_delete")
    user_model = get_user_model()
    pre_save.connect(_user_before_save, sender=user_model, dispatch_uid="audit_user_before_save")
    post_save.connect(_user_after_save, sender=user_model, dispatch_uid="audit_user_after_save")
    m2m_changed.connect(_groups_changed, sender=user_model.groups.through, dispatch_uid="audit_groups_changed")
