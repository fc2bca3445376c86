"""The loop behind the admin's bulk actions: one service call per selected object."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def apply_to_each(model_admin, request, objects, change, *, status_of, name_of, done_message) -> int:
    """Call `change(obj)` (a service) for each object and report what happened.

    Objects the service refuses are listed with its reason; the rest carry on. Returns how many
    changed status.
    """
    changed, refusals = 0, []
    for obj in objects:
        before = status_of(obj)
        try:
            after = change(obj)
        except ValidationError as error:
            refusals.append(f"{name_of(obj)}: {' '.join(error.messages)}")
            continue
        changed += status_of(after) != before
    model_admin.message_user(request, done_message(changed), messages.SUCCESS)
    for refusal in refusals:
        model_admin.message_user(request, refusal, messages.WARNING)
    return changed
