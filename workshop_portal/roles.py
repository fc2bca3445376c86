"""The two staff roles, as groups with the permissions each needs.

Views and the admin check these permissions, never `is_staff` alone. A migration creates the
groups; each later migration that adds models calls `roles_sync` again so the new permissions
join the right role.
"""

import functools
from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

ORGANISERS = "Organisers"
SECRETARIAT = "Secretariat"

ROLE_LABELS = {ORGANISERS: _("Organisers"), SECRETARIAT: _("Secretariat")}


def _crud(app_label: str, model: str, actions=("add", "change", "delete", "view")) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    ORGANISERS: [
        *_crud("workshop_portal", "workshop", ("add", "change", "view")),
        *_crud("workshop_portal", "institution"),
        *_crud("workshop_portal", "memberstate", ("change", "view")),
        *_crud("workshop_portal", "user", ("change", "view")),
        *_crud("workshop_portal", "erasurerequest", ("change", "view")),
        "workshop_portal.purge_personal_data",
        # The outbox: read-only; "change" only sends failed emails again.
        *_crud("communications", "outboundemail", ("change", "view")),
        # Messages to an audience: written, previewed, tested and sent ("change" sends).
        *_crud("communications", "message"),
        *_crud("communications", "messagetext"),
        "auth.view_group",
        # The audit trail: read only, and exported as CSV.
        "audit.view_auditevent",
        *_crud("worksessions", "workingsession"),
        *_crud("worksessions", "segment", ("change", "view")),
        *_crud("registrations", "registration", ("add", "change", "view")),
        "registrations.view_participant_list",
        "registrations.download_participant_list",
        "registrations.export_registration",
        "registrations.check_in_registration",
        *_crud("registrations", "badgebatch", ("add", "view")),
        *_crud("presentations", "presentation", ("add", "change", "view")),
        "presentations.view_presentationfile",
        "presentations.upload_on_behalf",
        "presentations.decide_presentation",
        *_crud("reports", "sessionreport", ("change", "view")),
        "reports.edit_any_report",
        *_crud("reports", "proceedingsbuild", ("view",)),
        "reports.build_proceedings",
        "reports.publish_proceedings",
        # The workshop's reminder offsets (an inline of the workshop's page).
        *_crud("reports", "remindersettings", ("add", "change", "view")),
        *_crud("delegations", "delegation", ("add", "change", "view")),
        *_crud("delegations", "focalpoint"),
        "delegations.view_nomination",
        *_crud("delegations", "lettersettings", ("add", "change", "view")),
        *_crud("delegations", "lettertext"),
        # Passport details: read in the admin's detail page only; the delegate alone writes them.
        "delegations.view_visaletterrequest",
        "documents.view_issueddocument",
        "documents.revoke_issueddocument",
        *_crud("documents", "documentbatch", ("add", "view")),
        # Outcomes: the evaluation survey and the registration questions, defined in the admin.
        *_crud("outcomes", "survey"),
        *_crud("outcomes", "surveyquestion"),
        *_crud("outcomes", "surveychoice"),
        "outcomes.view_survey_results",
        *_crud("outcomes", "registrationquestion"),
        *_crud("outcomes", "registrationquestionchoice"),
        # Outcomes: series, recommendations and their follow-up, the cooperation board's moderation.
        *_crud("outcomes", "workshopseries"),
        *_crud("outcomes", "seriesmembership"),
        *_crud("outcomes", "recommendation"),
        *_crud("outcomes", "recommendationupdate", ("add", "delete", "view")),
        *_crud("outcomes", "cooperationneed", ("change", "delete", "view")),
        *_crud("outcomes", "cooperationoffer", ("change", "delete", "view")),
    ],
    SECRETARIAT: [
        "workshop_portal.view_workshop",
        "reports.view_remindersettings",
        "workshop_portal.view_institution",
        "workshop_portal.view_memberstate",
        "worksessions.view_workingsession",
        "worksessions.view_segment",
        "registrations.view_registration",
        "registrations.view_participant_list",
        "registrations.download_participant_list",
        "registrations.export_registration",
        "presentations.view_presentation",
        "presentations.view_presentationfile",
        *_crud("reports", "sessionreport", ("change", "view")),
        "reports.edit_any_report",
        *_crud("reports", "proceedingsbuild", ("view",)),
        "reports.build_proceedings",
        "reports.publish_proceedings",
        "delegations.view_delegation",
        "delegations.view_focalpoint",
        "delegations.view_nomination",
        "documents.view_issueddocument",
        *_crud("documents", "documentbatch", ("add", "view")),
        "outcomes.view_survey",
        "outcomes.view_survey_results",
        "outcomes.view_registrationquestion",
        "outcomes.view_workshopseries",
        "outcomes.view_recommendation",
        "outcomes.view_recommendationupdate",
    ],
}


def roles_sync(apps, schema_editor=None) -> None:
    """Create the groups and grant them exactly their permissions (those that exist yet)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; create them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            permission = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


@transaction.atomic
def user_grant_role(*, user, role: str) -> None:
    """Give someone a staff role: the group's permissions, and entry to the admin where they work."""
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_revoke_roles(*, user) -> None:
    """Take away both roles; a superuser keeps their powers, anyone else leaves the admin."""
    user.groups.remove(*Group.objects.filter(name__in=ROLE_PERMISSIONS))
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def user_has_role(user, role: str) -> bool:
    return user.is_authenticated and user.groups.filter(name=role).exists()


def permissions_held(user, perms: Iterable[str]) -> frozenset[str]:
    """Which of `perms` ("app_label.codename") `user` holds, as user.has_perm answers with the
    portal's backends (Django's ModelBackend and allauth's, which extends it): an active superuser
    holds every one, an inactive account none, anyone else those granted to the account or to one
    of its groups. In one query, where has_perm reads every permission of the account, then every
    one of its groups: a page that asks about two permissions on each view reads half as much."""
    perms = frozenset(perms)
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return perms
    if hasattr(user, "_perm_cache"):  # has_perm has read them all already in this request
        return perms & user._perm_cache
    rows = _permission_rows(perms).filter(Q(user=user) | Q(group__user=user)).distinct()
    return frozenset(f"{app_label}.{codename}" for app_label, codename in rows)


@functools.cache
def _permission_rows(perms: frozenset[str]) -> QuerySet[Permission]:
    """The permissions `perms` names, as (app label, codename): the read's shape, built once a
    process for each set a page asks about (a page asks on every view); each person filters a copy."""
    wanted = Q()
    for perm in sorted(perms):
        app_label, codename = perm.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(wanted).order_by().values_list("content_type__app_label", "codename")
