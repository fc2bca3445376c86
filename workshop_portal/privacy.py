"""Personal data: what the portal holds on a person, their copy of it, its erasure, and the purge
of a past workshop's personal data once the retention period is over.

Each app knows its own personal data, so each registers a `PrivacyProvider` here from its
AppConfig.ready(); this module imports no app, and the apps keep depending downward. A provider:

- `summary(user)`: what the "Your data" page lists, in a fixed number of queries;
- `export(user)`: its section of data.json, and the person's own files for the archive;
- `erase(user, cleanup)`: anonymise what is the person's;
- `purge_workshop(workshop, cleanup)`: blank what the retention period no longer justifies.

Erasure and purge call the providers in the reverse order of registration (the order of
INSTALLED_APPS): the apps that build on others go first, so that the reports app can still read a
presenter's name it scrubs before the registrations app anonymises it, and the account goes last.
A provider refuses with a ValidationError. Each erasure and each purge runs in one transaction,
and files are deleted only once it has committed: a failure leaves nothing half-done.
"""

import datetime
import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path, PurePosixPath
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst, get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop_portal.account_rights import account_closure_refusal
from workshop_portal.bidi import join_text
from workshop_portal.dates import format_datetime_with_zone, format_day
from workshop_portal.emails import portal_email, portal_url, send_portal_emails
from workshop_portal.enums import ErasureStatus
from workshop_portal.models import ErasureRequest, User, Workshop
from workshop_portal.queueing import enqueue
from workshop_portal.roles import ORGANISERS, ROLE_LABELS

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 1
REASON_MAX_LENGTH = 2000
ERASED_EMAIL_DOMAIN = "erased.invalid"  # .invalid never resolves (RFC 2606): nothing is ever sent there


def erased_email(user_pk: int) -> str:
    return f"erased-{user_pk}@{ERASED_EMAIL_DOMAIN}"


# --- The registry -----------------------------------------------------------------------------


@dataclass
class SummaryItem:
    """One thing the portal holds on a person, as the "Your data" page lists it."""

    title: str
    details: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class ExportSection:
    """A provider's part of the archive: JSON-serialisable data, and (archive name, file) pairs."""

    data: Any
    files: list[tuple[str, FieldFile]] = field(default_factory=list)


class Cleanup:
    """What one erasure or purge changed, and the files to delete once its transaction commits."""

    def __init__(self, *, by: User | None, now: datetime.datetime | None = None):
        self.by = by
        self.now = now or timezone.now()
        self.counts: dict[str, int] = {}
        self._files: dict[tuple[Storage, str], None] = {}

    def count(self, label, number: int) -> None:
        """Record `number` things done under `label` (a translatable phrase, e.g. "badge batches deleted")."""
        if number:
            self.counts[str(label)] = self.counts.get(str(label), 0) + number

    def delete_file(self, field_file: FieldFile | None) -> None:
        """Delete this stored file after commit (a rollback keeps it)."""
        if field_file and field_file.name:
            self._files[(field_file.storage, field_file.name)] = None

    @property
    def file_count(self) -> int:
        return len(self._files)

    @property
    def changed(self) -> bool:
        return bool(self.counts or self._files)

    def describe(self) -> str:
        parts = [f"{label}: {number}" for label, number in self.counts.items()]
        if self._files:
            parts.append(f"{_('files deleted')}: {len(self._files)}")
        return "; ".join(parts)

    def schedule_file_deletion(self) -> None:
        files = list(self._files)
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # one stuck file must not keep the others
            logger.exception("could not delete %s after a privacy cleanup", name)


@dataclass(frozen=True)
class PrivacyProvider:
    key: str
    title: str
    summary: Callable[[User], list[SummaryItem]]
    export: Callable[[User], ExportSection]
    erase: Callable[[User, Cleanup], None]
    purge_workshop: Callable[[Workshop, Cleanup], None] | None = None
    empty_text: str = ""


_providers: dict[str, PrivacyProvider] = {}


def privacy_register(provider: PrivacyProvider) -> None:
    """Called from an AppConfig.ready(). Registering the same key again replaces it in place."""
    _providers[provider.key] = provider


def privacy_providers() -> list[PrivacyProvider]:
    return list(_providers.values())


# --- What the portal holds, and the person's copy --------------------------------------------


@dataclass
class SummarySection:
    key: str
    title: str
    items: list[SummaryItem]
    empty_text: str


def privacy_summary(*, user: User) -> list[SummarySection]:
    return [
        SummarySection(key=p.key, title=p.title, items=p.summary(user), empty_text=p.empty_text)
        for p in privacy_providers()
    ]


def _archive_name(name: str, taken: set[str]) -> str:
    parts = [get_valid_filename(part) or "file" for part in PurePosixPath(name).parts if part not in ("", ".", "..")]
    candidate = "files/" + "/".join(parts or ["file"])
    stem, dot, suffix = candidate.rpartition(".")
    number = 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}.{suffix}" if dot else f"{suffix}-{number}"
    taken.add(candidate)
    return candidate


def personal_data_export(*, user: User) -> Path:
    """A ZIP of everything the portal holds on `user`: data.json, and their own files under files/.

    The caller removes the file when done with it.
    """
    sections, files = {}, []
    for provider in privacy_providers():
        section = provider.export(user)
        sections[provider.key] = section.data
        files.extend(section.files)
    handle, name = tempfile.mkstemp(prefix="portal-data-export-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        included, missing, taken = [], [], set()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for wanted, field_file in files:
                if not field_file or not field_file.name:
                    continue
                arcname = _archive_name(wanted, taken)
                try:
                    with field_file.storage.open(field_file.name, "rb") as source, archive.open(arcname, "w") as target:
                        shutil.copyfileobj(source, target, 1024 * 1024)
                except OSError:  # missing from the storage: said in data.json, not fatal
                    logger.warning("file %s of user %s missing from the export", field_file.name, user.pk)
                    missing.append(wanted)
                    continue
                included.append(arcname)
            document = {
                "format": EXPORT_FORMAT,
                "generated_at": timezone.now(),
                "portal": settings.PORTAL_BASE_URL,
                "sections": sections,
                "files": included,
                "files_missing": missing,
            }
            archive.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


# --- Erasure ----------------------------------------------------------------------------------


def erasure_request_latest(*, user: User) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user=user).order_by("-created_at", "-pk").first()


def erasure_request_create(*, user: User, reason: str = "") -> ErasureRequest:
    """A person asks for their data to be erased. The organisers are told after commit."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to %(count)d characters or fewer.") % {"count": REASON_MAX_LENGTH}}
        )
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time per person
        existing = ErasureRequest.objects.filter(user=user, status=ErasureStatus.REQUESTED).first()
        if existing is not None:
            raise ValidationError(_already_requested(existing), code="exists")
        try:
            with transaction.atomic():
                request = ErasureRequest.objects.create(user=user, email=user.email, reason=reason)
        except IntegrityError:
            # A double click raced past the check; the constraint kept one request.
            existing = ErasureRequest.objects.get(user=user, status=ErasureStatus.REQUESTED)
            raise ValidationError(_already_requested(existing), code="exists") from None
        request_id = request.pk
        transaction.on_commit(lambda: _queue_notice(request_id))
    return request


def _already_requested(existing: ErasureRequest) -> str:
    return _("You asked for your data to be erased on %(date)s; the secretariat is handling it.") % {
        "date": format_day(existing.created_at)
    }


def _queue_notice(request_id: int) -> None:
    from workshop_portal.tasks import send_erasure_request_notice

    # A broker outage costs the email (logged), never the request: the admin lists it either way.
    enqueue(send_erasure_request_notice, request_id=request_id)


def erasure_request_notify(*, request_id: int) -> int:
    """Email each organiser that someone asked for erasure. Returns how many were told."""
    request = ErasureRequest.objects.filter(pk=request_id, status=ErasureStatus.REQUESTED).first()
    if request is None:
        return 0
    organisers = list(
        User.objects.filter(groups__name=ORGANISERS, is_active=True).exclude(email="").distinct().order_by("email")
    )
    if not organisers:
        logger.warning("erasure request %s: no organiser to tell", request_id)
        return 0
    url = portal_url(reverse("admin:workshop_portal_erasurerequest_change", args=[request.pk]))
    # Each in their own language, over one connection.
    messages = [
        portal_email(
            to=[organiser.email],
            language=organiser.email_language,
            template="workshop_portal/email/privacy_erasure_requested",
            context={"request": request, "admin_url": url},
        )
        for organiser in organisers
    ]
    return send_portal_emails(messages)


def _lock_open_request(request: ErasureRequest) -> ErasureRequest:
    current = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != ErasureStatus.REQUESTED:
        raise ValidationError(
            _("This request is already %(status)s.") % {"status": current.get_status_display().lower()},
            code="decided",
        )
    return current


def erasure_carry_out(*, request: ErasureRequest, by: User) -> Cleanup:
    """Erase the person's account and personal data, as every app's provider says; close the request."""
    if not by.has_perm("workshop_portal.change_erasurerequest"):
        raise PermissionDenied
    with transaction.atomic():
        current = _lock_open_request(request)
        cleanup = Cleanup(by=by)
        user = User.objects.select_for_update().filter(pk=current.user_id).first() if current.user_id else None
        if user is not None:
            if user.pk == by.pk:
                raise ValidationError(_("Another organiser must carry out the erasure of your own data."))
            if user.is_superuser:
                raise ValidationError(
                    _("%(email)s is a superuser: take that status away first, then carry out the erasure.")
                    % {"email": user.email}
                )
            refusal = account_closure_refusal(by, user)
            if refusal:
                raise ValidationError(refusal, code="rights")
            for provider in reversed(privacy_providers()):
                provider.erase(user, cleanup)
            # The person's other requests hold their old address and words too.
            ErasureRequest.objects.filter(user=user).update(email=user.email, reason="")
        current.refresh_from_db(fields=["email", "reason"])
        current.status = ErasureStatus.CARRIED_OUT
        current.decided_at = cleanup.now
        current.decided_by = by
        current.reason = ""
        if user is None:
            current.email = erased_email(current.pk)
            current.note = current.note or _("The account no longer existed.")
        current.save()
        cleanup.schedule_file_deletion()
    request.refresh_from_db()
    return cleanup


def erasure_refuse(*, request: ErasureRequest, by: User, note: str = "") -> ErasureRequest:
    if not by.has_perm("workshop_portal.change_erasurerequest"):
        raise PermissionDenied
    with transaction.atomic():
        current = _lock_open_request(request)
        current.status = ErasureStatus.REFUSED
        current.decided_at = timezone.now()
        current.decided_by = by
        if note:
            current.note = note
        current.save()
    request.refresh_from_db()
    return current


# --- Purging a past workshop ------------------------------------------------------------------


def retention_days() -> int:
    return max(0, settings.PERSONAL_DATA_RETENTION_DAYS)


def workshop_purge_allowed_from(workshop: Workshop) -> datetime.date:
    """The first day a workshop's personal data may be purged: the retention period after its last day."""
    return workshop.end_date + datetime.timedelta(days=retention_days() + 1)


def workshop_purge_personal_data(*, workshop: Workshop, by: User | None, dry_run: bool = False) -> Cleanup:
    """Blank what the retention period no longer justifies; keep the record and the published proceedings.

    Refused (ValidationError) before the retention period is over. Running it again purges nothing
    more. With `dry_run`, everything happens and is rolled back: the counts say what would go.
    """
    if by is not None and not by.has_perm("workshop_portal.purge_personal_data"):
        raise PermissionDenied
    allowed_from = workshop_purge_allowed_from(workshop)
    if timezone.localdate() < allowed_from:
        raise ValidationError(
            _(
                "The personal data of this workshop is kept for %(days)d days after it ends: "
                "it can be purged from %(date)s."
            )
            % {"days": retention_days(), "date": format_day(allowed_from)},
            code="retention",
        )
    with transaction.atomic():
        current = Workshop.objects.select_for_update().get(pk=workshop.pk)
        cleanup = Cleanup(by=by)
        for provider in reversed(privacy_providers()):
            if provider.purge_workshop is not None:
                provider.purge_workshop(current, cleanup)
        if dry_run:
            transaction.set_rollback(True)
            return cleanup
        if cleanup.changed or current.personal_data_purged_at is None:
            current.personal_data_purged_at = cleanup.now
            current.save(update_fields=["personal_data_purged_at", "updated_at"])
        cleanup.schedule_file_deletion()
    workshop.personal_data_purged_at = current.personal_data_purged_at
    return cleanup


def workshops_due_for_purge():
    """Workshops past the retention period whose personal data was never purged."""
    last_day = timezone.localdate() - datetime.timedelta(days=retention_days() + 1)
    return Workshop.objects.filter(end_date__lte=last_day, personal_data_purged_at__isnull=True).order_by("end_date")


def personal_data_purge_due(*, dry_run: bool = False) -> list[tuple[Workshop, Cleanup | ValidationError]]:
    """Purge every workshop due (the scheduler's job); one workshop's refusal does not stop the others."""
    results = []
    for workshop in workshops_due_for_purge():
        try:
            cleanup = workshop_purge_personal_data(workshop=workshop, by=None, dry_run=dry_run)
        except ValidationError as error:
            logger.warning("personal data of workshop %s not purged: %s", workshop.slug, " ".join(error.messages))
            results.append((workshop, error))
        else:
            if not dry_run:
                logger.info("personal data of workshop %s purged: %s", workshop.slug, cleanup.describe() or "-")
            results.append((workshop, cleanup))
    return results


# --- The account itself (this app's provider) -------------------------------------------------


def _account_summary(user: User) -> list[SummaryItem]:
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


def _account_export(user: User) -> ExportSection:
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


def _account_erase(user: User, cleanup: Cleanup) -> None:
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


def register_account_provider() -> None:
    privacy_register(
        PrivacyProvider(
            key="account",
            title=gettext_lazy("Your account"),
            summary=_account_summary,
            export=_account_export,
            erase=_account_erase,
        )
    )
