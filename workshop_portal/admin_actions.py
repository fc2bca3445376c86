"""The loop behind the admin's bulk actions (one service call per selected object) and what it
tells the person who ran it: what happened to how many, and why the others were left as they were.

Each admin words its own messages (with ngettext: Arabic and Russian have several plural forms,
and a noun cannot be slotted into a sentence for them); this module counts and groups.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError

from workshop_portal.bidi import join_text, list_separator

# How many names a message lists before it stops.
NAMES_SHOWN = 5


@dataclass
class BulkOutcome:
    """Each selected object, as the service left it: changed, already as asked, or refused."""

    changed: list[Any] = field(default_factory=list)
    unchanged: list[Any] = field(default_factory=list)
    # The service's reason -> the names of the objects it refused for that reason.
    refused: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def changed_to(self, status_of: Callable[[Any], str], status: str) -> list[Any]:
        return [obj for obj in self.changed if status_of(obj) == status]

    def unchanged_in(self, status_of: Callable[[Any], str], status: str) -> list[Any]:
        return [obj for obj in self.unchanged if status_of(obj) == status]


def apply_to_each(objects: Iterable, change: Callable, *, status_of: Callable, name_of: Callable) -> BulkOutcome:
    """Call `change(obj)` (a service, which returns the object as it left it) for each object.

    A refusal (ValidationError) is kept with its reason; the others carry on.
    """
    outcome = BulkOutcome()
    for obj in objects:
        before = status_of(obj)
        try:
            after = change(obj)
        except ValidationError as error:
            outcome.refused[" ".join(error.messages)].append(str(name_of(obj)))
            continue
        (outcome.changed if status_of(after) != before else outcome.unchanged).append(after)
    return outcome


def names(listed: list[str]) -> str:
    """The first few names, then an ellipsis; joined the reader's way (the Arabic comma, Latin names
    isolated in an Arabic message)."""
    shown = join_text(listed[:NAMES_SHOWN])
    return shown + (f"{list_separator()}…" if len(listed) > NAMES_SHOWN else "")


def refusal_messages(outcome: BulkOutcome, phrase: Callable[[int], str]) -> list[tuple[int, str]]:
    """One warning per reason. `phrase(count)` is the admin's ngettext with %(count)d, %(names)s
    and %(reason)s."""
    return [
        (messages.WARNING, phrase(len(listed)) % {"count": len(listed), "names": names(listed), "reason": reason})
        for reason, listed in outcome.refused.items()
    ]


def report(model_admin, request, lines: Iterable[tuple[int, str] | None]) -> None:
    """Show each (level, message); None stands for a count of zero, which says nothing."""
    for line in lines:
        if line is not None:
            model_admin.message_user(request, line[1], line[0])


def counted(level: int, objects: list | int, phrase: Callable[[int], str], **values) -> tuple[int, str] | None:
    """(level, phrase(n) % {"count": n, ...}) for the n objects (or a count), None when there are none."""
    count = objects if isinstance(objects, int) else len(objects)
    if not count:
        return None
    return level, phrase(count) % {"count": count, **values}
