"""The reports app's part of the personal data registry (workshop_portal.personal_data).

A rapporteur's session reports are theirs to export. On erasure, they stop being rapporteur; the
draft proceedings builds and cached parts that name the person are deleted, and the published
build's inputs no longer name them (its PDF, once published, stays as it is). The retention purge
deletes a past workshop's unpublished builds, its cached parts and every presentation file version
the published build does not use; the published build and its file stay, and stay downloadable.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presentations.models import PresentationFile
from presentations.privacy import presentation_files_delete
from registrations.models import Registration
from registrations.privacy import erased_participant_name
from reports.models import REPORT_SECTIONS, ProceedingsBuild, ProceedingsPart, SessionReport
from reports.proceedings.manifest import proceedings_part_keys
from sessions.models import WorkingSession
from workshop_portal import personal_data
from workshop_portal.dates import format_day
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem


def _sessions(user: User):
    """Sessions the person is rapporteur of, or whose report they last edited."""
    return (
        WorkingSession.objects.filter(Q(rapporteur=user) | Q(report__updated_by=user))
        .select_related("workshop", "country", "report")
        .order_by("date", "start_time", "pk")
    )


def _report_of(session: WorkingSession) -> SessionReport | None:
    try:
        return session.report
    except SessionReport.DoesNotExist:
        return None


def _summary(user: User) -> list[SummaryItem]:
    items = []
    for session in _sessions(user):
        report = _report_of(session)
        states = {None: _("not started"), False: _("draft"), True: _("final")}
        state = states[None if report is None or report.is_empty else report.is_final]
        details = [
            (capfirst(WorkingSession._meta.get_field("workshop").verbose_name), session.workshop.title),
            (capfirst(WorkingSession._meta.get_field("date").verbose_name), format_day(session.date)),
            (_("Rapporteur"), _("yes") if session.rapporteur_id == user.pk else _("no")),
            (_("Report"), state),
        ]
        if report is not None and not report.is_empty:
            details.append((_("Last edited"), format_day(report.updated_at)))
        items.append(SummaryItem(title=str(session.display_title), details=details))
    return items


def _export(user: User) -> ExportSection:
    data = []
    for session in _sessions(user):
        report = _report_of(session)
        data.append(
            {
                "workshop": session.workshop.title,
                "session": session.display_title,
                "date": session.date,
                "rapporteur": session.rapporteur_id == user.pk,
                "report": None
                if report is None
                else {
                    **{name: getattr(report, name) for name in REPORT_SECTIONS},
                    "final": report.is_final,
                    "revision": report.revision,
                    "updated_at": report.updated_at,
                    "last_edited_by_you": report.updated_by_id == user.pk,
                },
            }
        )
    return ExportSection(data=data)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _scrub(value, names: set[str], replacement: str):
    if isinstance(value, str):
        return replacement if value in names else value
    if isinstance(value, dict):
        return {key: _scrub(item, names, replacement) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item, names, replacement) for item in value]
    return value


def _names_of(user: User) -> set[str]:
    """Every way the person's name or address can appear in a build's inputs."""
    names = {user.email, str(user), user.get_full_name()}
    for honorific, name in Registration.objects.filter(user=user).values_list("honorific", "participant_name"):
        names.update((name, f"{honorific} {name}".strip()))
    return {name for name in names if name and name.strip()}


def _refuse_if_building(builds: list[ProceedingsBuild], message: str) -> None:
    pending = next((build for build in builds if build.is_pending), None)
    if pending is not None:
        title = Workshop.objects.values_list("title", flat=True).get(pk=pending.workshop_id)
        raise ValidationError(message % {"workshop": title, "number": pending.pk})


def _delete_parts(keys: set[str], workshop_ids: set[int], cleanup: Cleanup) -> int:
    """Delete cached parts: these keys, and the contents parts of these workshops (see proceedings_part_keys)."""
    if not keys and not workshop_ids:
        return 0
    parts = list(ProceedingsPart.objects.filter(Q(key__in=keys) | Q(outline__workshop__in=list(workshop_ids))))
    for part in parts:
        cleanup.delete_file(part.file)
    ProceedingsPart.objects.filter(pk__in=[part.pk for part in parts]).delete()
    return len(parts)


def _erase(user: User, cleanup: Cleanup) -> None:
    names = _names_of(user)
    workshop_ids = set(Registration.objects.filter(user=user).values_list("workshop_id", flat=True))
    workshop_ids |= set(WorkingSession.objects.filter(rapporteur=user).values_list("workshop_id", flat=True))
    builds = list(ProceedingsBuild.objects.select_for_update().filter(workshop_id__in=workshop_ids))
    _refuse_if_building(
        builds,
        _(
            "Build %(number)d of the proceedings of “%(workshop)s” is under way: "
            "carry out the erasure once it has finished."
        ),
    )
    keys, naming, dropped, scrubbed = set(), set(), [], 0
    replacement = erased_participant_name()
    for build in builds:
        if names.isdisjoint(_strings(build.manifest)):
            continue
        keys |= proceedings_part_keys(build.manifest)
        naming.add(build.workshop_id)
        if build.is_published:
            # The published PDF stays as it is; its inputs no longer name the person.
            build.manifest = _scrub(build.manifest, names, replacement)
            build.save(update_fields=["manifest"])
            scrubbed += 1
        else:
            cleanup.delete_file(build.file)
            cleanup.delete_file(build.web_file)
            dropped.append(build.pk)
    ProceedingsBuild.objects.filter(pk__in=dropped).delete()
    cleanup.count(gettext_lazy("unpublished proceedings builds naming them deleted"), len(dropped))
    cleanup.count(gettext_lazy("published proceedings inputs cleared of their name"), scrubbed)
    cleanup.count(gettext_lazy("cached proceedings parts deleted"), _delete_parts(keys, naming, cleanup))
    cleanup.count(
        gettext_lazy("sessions no longer reported by them"),
        WorkingSession.objects.filter(rapporteur=user).update(rapporteur=None),
    )
    SessionReport.objects.filter(updated_by=user).update(updated_by=None)
    ProceedingsBuild.objects.filter(requested_by=user).update(requested_by=None)


def _deck_versions(manifest: dict) -> set[int]:
    try:
        return {
            item["deck"]["version_id"]
            for session in manifest["sessions"]
            for segment in session["segments"]
            for item in segment["items"]
            if item.get("deck")
        }
    except (KeyError, TypeError):
        return set()


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    builds = list(ProceedingsBuild.objects.select_for_update().filter(workshop=workshop))
    _refuse_if_building(builds, _("Build %(number)d of the proceedings is under way: purge once it has finished."))
    keys = set()
    for build in builds:
        keys |= proceedings_part_keys(build.manifest)
    cleanup.count(gettext_lazy("cached proceedings parts deleted"), _delete_parts(keys, {workshop.pk}, cleanup))

    published = next((build for build in builds if build.is_published), None)
    unpublished = [build for build in builds if not build.is_published]
    for build in unpublished:
        cleanup.delete_file(build.file)
        cleanup.delete_file(build.web_file)
    ProceedingsBuild.objects.filter(pk__in=[build.pk for build in unpublished]).delete()
    cleanup.count(gettext_lazy("unpublished proceedings builds deleted"), len(unpublished))

    if published is not None:
        unused = PresentationFile.objects.filter(presentation__workshop=workshop).exclude(
            pk__in=_deck_versions(published.manifest)
        )
        cleanup.count(
            gettext_lazy("presentation file versions not in the published proceedings deleted"),
            presentation_files_delete(unused, cleanup),
        )


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="reports",
            title=gettext_lazy("Your session reports"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("You are not rapporteur of any session."),
        )
    )
