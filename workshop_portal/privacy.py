"""This app's part of the personal data registry (workshop_portal.personal_data): the account.

What the portal holds on the account itself: its address, name, sign-ins, verified addresses,
roles and erasure requests. Erasure closes it last, after every other app anonymised its part:
the sessions end, the addresses go, the account keeps only an address that never resolves.
"""

from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop_portal import personal_data
from workshop_portal.bidi import join_text
from workshop_portal.dates import format_datetime_with_zone, format_day
from workshop_portal.models import ErasureRequest, User
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem
from workshop_portal.roles import ROLE_LABELS

ERASED_EMAIL_DOMAIN = "erased.invalid"  # .invalid never resolves (RFC 2606): nothing is ever sent there


def erased_email(user_pk: int) -> str:
    return f"erased-{user_pk}@{ERASED_EMAIL_DOMAIN}"


def _summary(user: User) -> list[SummaryItem]:
    addresses = list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))
    roles = list(user.groups.order_by("name").values_list("name", flat=True))
    details = [
        (capfirst(User._meta.get_field("email").verbose_name), user.email),
        (_("Name"), user.get_full_name()),
        (_("Account created"), format_day(user.date_joined)),
    ]
    if user.last_login:
        details.append((_("Last sign-in"), format_datetime_with_zone(user.last_login)))
    if addresses:
        details.append(
            (
                _("Email addresses"),
                join_text(
                    f"{address.email} ({_('verified') if address.verified else _('not verified')})"
                    for address in addresses
                ),
            )
        )
    if roles:
        details.append((_("Roles"), join_text(str(ROLE_LABELS.get(role, role)) for role in roles)))
    title = user.get_full_name() or user.email
    return [SummaryItem(title=title, details=[(label, value) for label, value in details if value])]


def _export(user: User) -> ExportSection:
    return ExportSection(
        data={
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "language": user.language,
            "is_active": user.is_active,
            "roles": list(user.groups.order_by("name").values_list("name", flat=True)),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            "erasure_requests": [
                {
                    "requested_at": r.created_at,
                    "status": r.status,
                    "reason": r.reason,
                    "decided_at": r.decided_at,
                    "note": r.note,
                }
                for r in ErasureRequest.objects.filter(user=user).order_by("created_at")
            ],
        }
    )


def _user_session_keys(user: User) -> tuple[Any, list[str]]:
    """The session store class and the keys of the person's sessions, for database-backed sessions."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return store, []  # cookie or cache sessions: the unusable password below ends them
    model = store.get_model_class()
    wanted = str(user.pk)
    keys = []
    for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == wanted:
            keys.append(session.session_key)
    return store, keys


def _erase(user: User, cleanup: Cleanup) -> None:
    store, keys = _user_session_keys(user)
    for key in keys:
        store(session_key=key).delete()
    cleanup.count(gettext_lazy("sessions ended"), len(keys))
    addresses, _by_model = EmailAddress.objects.filter(user=user).delete()
    cleanup.count(gettext_lazy("email addresses deleted"), addresses)
    address = erased_email(user.pk)
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=address
    )
    user.email = address
    user.first_name = ""
    user.last_name = ""
    user.language = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    cleanup.count(gettext_lazy("accounts anonymised"), 1)


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="account",
            title=gettext_lazy("Your account"),
            summary=_summary,
            export=_export,
            erase=_erase,
        )
    )
