"""The feeds and API's part of the personal data registry (workshop_portal.personal_data).

What it holds on a person: their API tokens (a name, the first characters, the dates; the token
itself is never stored, only its SHA-256) and the secret address of their calendar feed.

- Export: the tokens' names, first characters and dates; that a calendar feed exists (not its
  secret: the archive may travel further than the account).
- Erasure: the tokens and the feed are deleted: nothing of them is worth keeping.
- Retention purge of a workshop: nothing here belongs to a workshop.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import ApiToken, CalendarFeed
from workshop_portal import personal_data
from workshop_portal.dates import format_day
from workshop_portal.models import User
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem


def _tokens(user: User):
    return ApiToken.objects.filter(user=user).order_by("created_at", "pk")


def _summary(user: User) -> list[SummaryItem]:
    items = [
        SummaryItem(
            title=_("API token: %(name)s") % {"name": token.name},
            details=[
                (_("Starts with"), token.prefix),
                (_("Created"), format_day(token.created_at.date())),
                (_("Revoked"), format_day(token.revoked_at.date()) if token.revoked_at else _("no")),
            ],
        )
        for token in _tokens(user)
    ]
    if CalendarFeed.objects.filter(user=user).exists():
        items.append(SummaryItem(title=_("The secret address of your calendar feed")))
    return items


def _export(user: User) -> ExportSection:
    return ExportSection(
        data={
            "api_tokens": [
                {
                    "name": token.name,
                    "starts_with": token.prefix,
                    "scope": token.scope,
                    "created_at": token.created_at.isoformat(),
                    "expires_at": token.expires_at.isoformat() if token.expires_at else None,
                    "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
                    "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                }
                for token in _tokens(user)
            ],
            "calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
        }
    )


def _erase(user: User, cleanup: Cleanup) -> None:
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    cleanup.count(gettext_lazy("API tokens deleted"), deleted)
    deleted, _by_model = CalendarFeed.objects.filter(user=user).delete()
    cleanup.count(gettext_lazy("calendar feeds deleted"), deleted)


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="api",
            title=gettext_lazy("Calendar feed and API tokens"),
            summary=_summary,
            export=_export,
            erase=_erase,
            empty_text=gettext_lazy("No API token and no calendar feed."),
        )
    )
