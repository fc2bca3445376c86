"""What the registrations admin says after a bulk decision: how many were approved, waitlisted
(and because which workshop is full, with how many seats), declined, left as they were and why."""

from collections import defaultdict

from django.contrib import messages
from django.utils.translation import ngettext

from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshop_portal.admin_actions import BulkOutcome, counted, refusal_messages

S = RegistrationStatus


def _status(registration: Registration) -> str:
    return registration.status


def _by_workshop(registrations: list[Registration]) -> list[list[Registration]]:
    grouped = defaultdict(list)
    for registration in registrations:
        grouped[registration.workshop_id].append(registration)
    return list(grouped.values())


def _full(registrations: list[Registration], phrase) -> tuple[int, str]:
    """The waiting-list message of one workshop's registrations, with the workshop and its seats."""
    workshop = registrations[0].workshop
    seats = ngettext("%(capacity)d seat", "%(capacity)d seats", workshop.capacity) % {"capacity": workshop.capacity}
    return counted(messages.WARNING, registrations, phrase, workshop=workshop.title, seats=seats)


def _refused(outcome: BulkOutcome):
    return refusal_messages(
        outcome,
        lambda n: ngettext(
            "%(count)d registration left as it was (%(names)s): %(reason)s",
            "%(count)d registrations left as they were (%(names)s): %(reason)s",
            n,
        ),
    )


def approve_messages(outcome: BulkOutcome) -> list:
    lines = [
        counted(
            messages.SUCCESS,
            outcome.changed_to(_status, S.APPROVED),
            lambda n: ngettext("Approved %(count)d registration.", "Approved %(count)d registrations.", n),
        )
    ]
    for group in _by_workshop(outcome.changed_to(_status, S.WAITLISTED)):
        lines.append(
            _full(
                group,
                lambda n: ngettext(
                    "Put %(count)d registration on the waiting list because the workshop is full (%(seats)s): "
                    "%(workshop)s.",
                    "Put %(count)d registrations on the waiting list because the workshop is full (%(seats)s): "
                    "%(workshop)s.",
                    n,
                ),
            )
        )
    for group in _by_workshop(outcome.unchanged_in(_status, S.WAITLISTED)):
        lines.append(
            _full(
                group,
                lambda n: ngettext(
                    "%(count)d registration stays on the waiting list because the workshop is full (%(seats)s): "
                    "%(workshop)s.",
                    "%(count)d registrations stay on the waiting list because the workshop is full (%(seats)s): "
                    "%(workshop)s.",
                    n,
                ),
            )
        )
    lines.append(
        counted(
            messages.INFO,
            outcome.unchanged_in(_status, S.APPROVED),
            lambda n: ngettext(
                "%(count)d registration was already approved.", "%(count)d registrations were already approved.", n
            ),
        )
    )
    return lines + _refused(outcome)


def waitlist_messages(outcome: BulkOutcome) -> list:
    return [
        counted(
            messages.SUCCESS,
            outcome.changed,
            lambda n: ngettext(
                "Put %(count)d registration on the waiting list.", "Put %(count)d registrations on the waiting list.", n
            ),
        ),
        counted(
            messages.INFO,
            outcome.unchanged,
            lambda n: ngettext(
                "%(count)d registration was already on the waiting list.",
                "%(count)d registrations were already on the waiting list.",
                n,
            ),
        ),
        *_refused(outcome),
    ]


def decline_messages(outcome: BulkOutcome, *, promoted: int) -> list:
    return [
        counted(
            messages.SUCCESS,
            outcome.changed,
            lambda n: ngettext("Declined %(count)d registration.", "Declined %(count)d registrations.", n),
        ),
        counted(
            messages.INFO,
            promoted,
            lambda n: ngettext(
                "The freed seat went to %(count)d delegate from the waiting list, now approved.",
                "The freed seats went to %(count)d delegates from the waiting list, now approved.",
                n,
            ),
        ),
        counted(
            messages.INFO,
            outcome.unchanged,
            lambda n: ngettext(
                "%(count)d registration was already declined.", "%(count)d registrations were already declined.", n
            ),
        ),
        *_refused(outcome),
    ]
