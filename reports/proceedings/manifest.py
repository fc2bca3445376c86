"""What goes into a build: the manifest, a snapshot of everything the volume shows, as plain data.

A build is a pure function of its manifest. Each piece rendered from it is cached under a hash of
its own inputs (the keys below), so a rebuild renders only what changed.
"""

import hashlib
import json

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from presentations.enums import ConversionStatus, FileKind, PresentationStatus
from presentations.models import Presentation, PresentationFile
from registrations.selectors import participant_list
from reports.models import REPORT_SECTIONS, SessionReport
from reports.proceedings.chapters import chapter_entries
from sessions.enums import SessionKind
from sessions.models import Segment, WorkingSession
from workshop_portal.models import Workshop

# Bump when a PDF template or its CSS changes: cached pieces rendered before are then not reused.
TEMPLATE_VERSION = "2026-12-03.1"
FRONT = "front"
PARTICIPANTS = "participants"


def manifest_hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _deck_state(version: PresentationFile | None) -> tuple[dict | None, str]:
    """The file a presentation contributes, or why it contributes none (shown on its page)."""
    if version is None:
        return None, _("No file was uploaded for this presentation.")
    if version.neutralised and (
        version.kind == FileKind.PDF or version.conversion_status == ConversionStatus.CONVERTED
    ):
        return {"version_id": version.pk, "version": version.version, "sha256": version.sha256}, ""
    reasons = {
        ConversionStatus.PENDING: _("its conversion to PDF had not finished"),
        ConversionStatus.CONVERTING: _("its conversion to PDF had not finished"),
        ConversionStatus.FAILED: _("its conversion to PDF failed"),
        ConversionStatus.UNAVAILABLE: _("it could not be converted to PDF"),
    }
    if not version.neutralised:  # stored before neutralising existed (presentations/stored_files.py)
        reason = _("it has not yet passed the current safety checks")
    else:
        reason = reasons.get(version.conversion_status, _("it could not be read"))
    return None, _("The file of this presentation (version %(version)d) is not included: %(reason)s.") % {
        "version": version.version,
        "reason": reason,
    }


def proceedings_manifest(*, workshop: Workshop, language: str) -> dict:
    """Everything the volume will show, as plain data. A few queries, whatever the workshop's size."""
    with translation.override(language):
        reports = {r.session_id: r for r in SessionReport.objects.filter(session__workshop=workshop)}
        sessions = [_session_entry(session, reports.get(session.pk)) for session in _sessions(workshop)]
        groups = _participant_groups(workshop)
        host = workshop.host_institution.localized_name
        chapters = chapter_entries(workshop, language)
    return {
        "template": TEMPLATE_VERSION,
        "language": language,
        "workshop": {
            "id": workshop.pk,
            "slug": workshop.slug,
            "title": workshop.title,
            "venue": workshop.venue,
            "city": workshop.city,
            "host": host,
            "start_date": workshop.start_date.isoformat(),
            "end_date": workshop.end_date.isoformat(),
        },
        "sessions": sessions,
        "participants": groups,
        "chapters": chapters,
    }


def _sessions(workshop: Workshop) -> list[WorkingSession]:
    presentations = (
        Presentation.objects.filter(status=PresentationStatus.ACCEPTED)
        .select_related("presenter__member_state", "presenter__institution__member_state")
        .prefetch_related(Prefetch("files", queryset=PresentationFile.objects.order_by("-version")))
        .order_by("order", "pk")
    )
    return list(
        workshop.working_sessions.select_related("country", "rapporteur")
        .prefetch_related(
            Prefetch("segments", queryset=Segment.objects.order_by("order")),
            Prefetch("segments__presentations", queryset=presentations, to_attr="accepted"),
        )
        .order_by("date", "start_time", "order", "pk")
    )


def _session_entry(session: WorkingSession, report: SessionReport | None) -> dict:
    sections = []
    if report is not None:
        labels = _section_labels(session)
        sections = [[labels[name], report.rendered.get(name, "")] for name in REPORT_SECTIONS]
        sections = [section for section in sections if section[1].strip()]
    segments = [
        {
            "id": segment.pk,
            "title": str(segment.display_title),
            "items": [_presentation_entry(presentation) for presentation in segment.accepted],
        }
        for segment in session.segments.all()
    ]
    return {
        "id": session.pk,
        "kind": session.kind,
        "title": str(session.display_title),
        "date": session.date.isoformat(),
        "time_range": session.time_range,
        "room": session.room,
        "chair": session.chair,
        "rapporteur": str(session.rapporteur) if session.rapporteur_id else "",
        "report": {
            "revision": report.revision if report else 0,
            "final": report.is_final if report else False,
            "sections": sections,
        },
        "segments": segments,
    }


def _presentation_entry(presentation: Presentation) -> dict:
    newest = next(iter(presentation.files.all()), None)
    deck, note = _deck_state(newest)
    presenter = presentation.presenter
    state = presenter.represented_state
    return {
        "id": presentation.pk,
        "title": presentation.title,
        "abstract": presentation.abstract,
        "presenter": presenter.display_name,
        "delegation": presenter.delegation,
        "state": str(state.name) if state else "",
        "institution": presenter.institution.localized_name if presenter.institution_id else "",
        "deck": deck,
        "note": note,
    }


def _participant_groups(workshop: Workshop) -> list[dict]:
    return [
        {
            "heading": group.heading,
            "institutions": [
                {"heading": i.heading, "people": [[p.display_name, p.position] for p in i.participants]}
                for i in group.institutions
            ],
        }
        for group in participant_list(workshop=workshop)
    ]


def _section_labels(session: WorkingSession) -> dict:
    labels = {name: str(SessionReport._meta.get_field(name).verbose_name).capitalize() for name in REPORT_SECTIONS}
    if session.kind == SessionKind.SPECIAL:
        labels["summary"] = _("Conclusions of the workshop")
        labels["recommendations"] = _("Recommendations of the workshop")
    return labels


# --- The keys of the cached pieces ------------------------------------------------------------


def front_key(manifest: dict) -> str:
    programme = [
        [
            session["title"],
            session["date"],
            session["time_range"],
            session["chair"],
            [
                [segment["title"], [[i["title"], i["presenter"]] for i in segment["items"]]]
                for segment in session["segments"]
            ],
        ]
        for session in manifest["sessions"]
    ]
    return manifest_hash([FRONT, manifest["template"], manifest["language"], manifest["workshop"], programme])


def participants_key(manifest: dict) -> str:
    return manifest_hash([PARTICIPANTS, manifest["template"], manifest["language"], manifest["participants"]])


def session_key(manifest: dict, session: dict) -> str:
    # The deck itself is left out: a replaced deck changes the merge, not this text.
    text = json.loads(json.dumps(session))
    for segment in text["segments"]:
        for item in segment["items"]:
            item["deck"] = bool(item["deck"])
    return manifest_hash(["session", manifest["template"], manifest["language"], manifest["workshop"]["title"], text])


def chapter_key(manifest: dict, chapter: dict) -> str:
    return manifest_hash(["chapter", manifest["template"], manifest["language"], chapter])


def manifest_chapters(manifest: dict) -> list[dict]:
    """The extra chapters (reports/proceedings/chapters.py); none in manifests taken before they existed."""
    return manifest.get("chapters") or []


def manifest_pieces(manifest: dict) -> list[str]:
    """The pieces rendered in parallel. The two front pieces first: they are the largest, so
    workers start on them."""
    return (
        [FRONT, PARTICIPANTS]
        + [f"session:{s['id']}" for s in manifest["sessions"]]
        + [f"chapter:{c['name']}" for c in manifest_chapters(manifest)]
    )


def proceedings_part_keys(manifest: dict) -> set[str]:
    """The cached parts a build of this manifest uses, but for the contents and index, whose key
    depends on the layout: that part carries the workshop's id in its outline instead."""
    try:
        return (
            {front_key(manifest), participants_key(manifest)}
            | {session_key(manifest, session) for session in manifest["sessions"]}
            | {chapter_key(manifest, chapter) for chapter in manifest_chapters(manifest)}
        )
    except (KeyError, TypeError):
        return set()
