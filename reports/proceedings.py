"""The proceedings volume: requested by the secretariat, built by workers, kept as versions.

A build is a pure function of its manifest, a snapshot of everything the volume shows taken when
the build is requested (reports, accepted presentations and which file version each uses, the
programme, the participants). Workers then:

1. render the pieces in parallel: the front matter (cover, programme, participants) and one text
   part per session (its report and the abstract pages of its presentations). Each piece is
   cached by a hash of its own inputs, so a rebuild renders only what changed; decks are not part
   of that hash, so replacing a deck re-renders nothing;
2. assemble: lay out the body (each deck inserted after its abstract page), render the contents
   and the index now that page numbers are known, merge everything with pypdf, stamp page
   numbers, add bookmarks, page labels and metadata, and store the result.

Every task is acknowledged late and survives a lost worker; a build that fails three times, or
whose workers keep dying, ends "failed" with the reason; one left "running" past its time limit
is relaunched or failed by the watchdog. A workshop has at most one build under way.
"""

import datetime
import hashlib
import json
import logging
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce, Concat, Now
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from presentations.enums import ConversionStatus, FileKind, PresentationStatus
from presentations.models import Presentation, PresentationFile
from registrations.selectors import participant_list
from reports.enums import PENDING_BUILD_STATUSES, BuildStatus
from reports.models import REPORT_SECTIONS, ProceedingsBuild, ProceedingsPart, SessionReport
from reports.pdfassembly import VolumeWriter, open_pdf, roman
from sessions.enums import SessionKind
from sessions.models import Segment, WorkingSession
from workshop_portal.collation import collation_key
from workshop_portal.emails import portal_email, portal_url
from workshop_portal.models import User, Workshop
from workshop_portal.pdf import anchor_pages, html_render
from workshop_portal.queueing import enqueue

logger = logging.getLogger(__name__)

# Bump when a PDF template or its CSS changes: cached pieces rendered before are then not reused.
TEMPLATE_VERSION = "2026-12-01.1"
MAX_ATTEMPTS = 3
# A build whose tasks started this many times per piece is crashing its workers: give up.
MAX_TASK_STARTS_PER_PIECE = 3
FRONT = "front"
PARTICIPANTS = "participants"


def _hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


# --- What goes into a build -------------------------------------------------------------------


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
        presentations = (
            Presentation.objects.filter(status=PresentationStatus.ACCEPTED)
            .select_related("presenter__member_state", "presenter__institution__member_state")
            .prefetch_related(Prefetch("files", queryset=PresentationFile.objects.order_by("-version")))
            .order_by("order", "pk")
        )
        sessions = list(
            workshop.working_sessions.select_related("country", "rapporteur")
            .prefetch_related(
                Prefetch("segments", queryset=Segment.objects.order_by("order")),
                Prefetch("segments__presentations", queryset=presentations, to_attr="accepted"),
            )
            .order_by("date", "start_time", "order", "pk")
        )
        reports = {r.session_id: r for r in SessionReport.objects.filter(session__workshop=workshop)}
        session_data = []
        for session in sessions:
            report = reports.get(session.pk)
            sections = []
            if report is not None:
                labels = _section_labels(session)
                sections = [[labels[name], report.rendered.get(name, "")] for name in REPORT_SECTIONS]
                sections = [section for section in sections if section[1].strip()]
            segments = []
            for segment in session.segments.all():
                items = []
                for presentation in segment.accepted:
                    newest = next(iter(presentation.files.all()), None)
                    deck, note = _deck_state(newest)
                    presenter = presentation.presenter
                    state = presenter.represented_state
                    items.append(
                        {
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
                    )
                segments.append({"id": segment.pk, "title": str(segment.display_title), "items": items})
            session_data.append(
                {
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
            )
        groups = [
            {
                "heading": group.heading,
                "institutions": [
                    {"heading": i.heading, "people": [[p.display_name, p.position] for p in i.participants]}
                    for i in group.institutions
                ],
            }
            for group in participant_list(workshop=workshop)
        ]
        host = workshop.host_institution.localized_name
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
        "sessions": session_data,
        "participants": groups,
    }


def _section_labels(session: WorkingSession) -> dict:
    labels = {name: str(SessionReport._meta.get_field(name).verbose_name).capitalize() for name in REPORT_SECTIONS}
    if session.kind == SessionKind.SPECIAL:
        labels["summary"] = _("Conclusions of the workshop")
        labels["recommendations"] = _("Recommendations of the workshop")
    return labels


def _front_key(manifest: dict) -> str:
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
    return _hash([FRONT, manifest["template"], manifest["language"], manifest["workshop"], programme])


def _participants_key(manifest: dict) -> str:
    return _hash([PARTICIPANTS, manifest["template"], manifest["language"], manifest["participants"]])


def _session_key(manifest: dict, session: dict) -> str:
    # The deck itself is left out: a replaced deck changes the merge, not this text.
    text = json.loads(json.dumps(session))
    for segment in text["segments"]:
        for item in segment["items"]:
            item["deck"] = bool(item["deck"])
    return _hash(["session", manifest["template"], manifest["language"], manifest["workshop"]["title"], text])


def _pieces(manifest: dict) -> list[str]:
    # The two front pieces first: they are the largest, so workers start on them.
    return [FRONT, PARTICIPANTS] + [f"session:{s['id']}" for s in manifest["sessions"]]


def proceedings_part_keys(manifest: dict) -> set[str]:
    """The cached parts a build of this manifest uses, but for the contents and index, whose key
    depends on the layout: that part carries the workshop's id in its outline instead."""
    try:
        return {_front_key(manifest), _participants_key(manifest)} | {
            _session_key(manifest, session) for session in manifest["sessions"]
        }
    except (KeyError, TypeError):
        return set()


# --- Requesting a build -----------------------------------------------------------------------


@dataclass
class BuildRequest:
    build: ProceedingsBuild
    outcome: str  # "queued", "already_running" or "unchanged"


def proceedings_request_build(*, workshop: Workshop, by: User, language: str = "en") -> BuildRequest:
    """Queue a build, unless one is already under way or nothing changed since the last ready one."""
    if not by.has_perm("reports.build_proceedings"):
        raise PermissionDenied
    manifest = proceedings_manifest(workshop=workshop, language=language)
    inputs_hash = _hash(manifest)
    with transaction.atomic():
        Workshop.objects.select_for_update().get(pk=workshop.pk)
        pending = ProceedingsBuild.objects.filter(workshop=workshop, status__in=PENDING_BUILD_STATUSES).first()
        if pending is not None:
            return BuildRequest(pending, "already_running")
        latest_ready = (
            ProceedingsBuild.objects.filter(workshop=workshop, status=BuildStatus.READY, language=language)
            .order_by("-finished_at", "-pk")
            .first()
        )
        if latest_ready is not None and latest_ready.inputs_hash == inputs_hash and latest_ready.file:
            return BuildRequest(latest_ready, "unchanged")
        try:
            with transaction.atomic():
                build = ProceedingsBuild.objects.create(
                    workshop=workshop,
                    requested_by=by,
                    language=language,
                    inputs_hash=inputs_hash,
                    manifest=manifest,
                    progress_total=len(_pieces(manifest)) + 3,
                )
        except IntegrityError:
            # Another request won the race the lock did not cover (SQLite has no row locks).
            pending = ProceedingsBuild.objects.get(workshop=workshop, status__in=PENDING_BUILD_STATUSES)
            return BuildRequest(pending, "already_running")
        _launch(build, reason=_("Requested by %(person)s.") % {"person": by})
    return BuildRequest(build, "queued")


def _log(build: ProceedingsBuild, line: str) -> None:
    # A technical log, in UTC, which it says: the builds table beside it shows the workshop's zone.
    stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S UTC")
    ProceedingsBuild.objects.filter(pk=build.pk).update(log=Concat(F("log"), Value(f"{stamp} {line}\n")))


def _launch(build: ProceedingsBuild, *, reason: str) -> None:
    """Start (or restart) the build's tasks after commit, counting the attempt."""
    ProceedingsBuild.objects.filter(pk=build.pk).update(
        attempts=F("attempts") + 1, progress_done=0, heartbeat_at=timezone.now()
    )
    build.refresh_from_db(fields=["attempts"])
    _log(build, _("Attempt %(attempt)d: %(reason)s") % {"attempt": build.attempts, "reason": reason})
    attempt, build_id, pieces = build.attempts, build.pk, _pieces(build.manifest)
    transaction.on_commit(lambda: _send_pipeline(build_id, attempt, pieces))


def _send_pipeline(build_id: int, attempt: int, pieces: list[str]) -> None:
    """Queue one task that lays out the attempt's chord in a worker: the web process never waits
    on the result store, and a broker outage fails the build with a clear reason."""
    from reports.tasks import start_proceedings_attempt

    if not enqueue(start_proceedings_attempt, build_id=build_id, attempt=attempt, pieces=pieces):
        build = ProceedingsBuild.objects.select_related("workshop", "requested_by").get(pk=build_id)
        if build.is_pending:
            _finish_failed(
                build, _("The task queue cannot be reached just now. Start the build again in a few minutes.")
            )


def proceedings_start_attempt(*, build_id: int, attempt: int, pieces: list[str]) -> None:
    """In a worker: render the pieces in parallel, then assemble them."""
    from celery import chord

    from reports.tasks import assemble_proceedings, render_proceedings_piece

    chord(render_proceedings_piece.s(build_id=build_id, attempt=attempt, piece=piece) for piece in pieces)(
        assemble_proceedings.si(build_id=build_id, attempt=attempt)
    )


# --- Running it -------------------------------------------------------------------------------


def _claim(build_id: int, attempt: int) -> ProceedingsBuild | None:
    """The build, if this task still belongs to its current attempt and it may go on."""
    updated = ProceedingsBuild.objects.filter(pk=build_id, attempts=attempt, status__in=PENDING_BUILD_STATUSES).update(
        status=BuildStatus.RUNNING,
        task_starts=F("task_starts") + 1,
        heartbeat_at=timezone.now(),
        started_at=Coalesce(F("started_at"), Now()),
    )
    if not updated:
        return None
    build = ProceedingsBuild.objects.select_related("workshop", "requested_by").get(pk=build_id)
    limit = MAX_TASK_STARTS_PER_PIECE * (len(_pieces(build.manifest)) + 1)
    if build.task_starts > limit:
        _finish_failed(
            build, _("The workers stopped %(count)d times while building; giving up.") % {"count": build.task_starts}
        )
        return None
    return build


def _progress(build: ProceedingsBuild, label: str) -> None:
    ProceedingsBuild.objects.filter(pk=build.pk).update(
        progress_done=F("progress_done") + 1, progress_label=label[:255], heartbeat_at=timezone.now()
    )


def proceedings_attempt_failed(*, build_id: int, attempt: int, reason: str) -> None:
    """A task of this attempt failed: try again (up to three attempts), then fail with the reason."""
    with transaction.atomic():
        build = ProceedingsBuild.objects.select_for_update().filter(pk=build_id, attempts=attempt).first()
        if build is None or build.status not in PENDING_BUILD_STATUSES:
            return
        _log(build, _("Attempt %(attempt)d failed: %(reason)s") % {"attempt": attempt, "reason": reason})
        if build.attempts < MAX_ATTEMPTS:
            _launch(build, reason=_("retry after a failure"))
        else:
            _finish_failed(build, reason)


def proceedings_render_piece(*, build_id: int, attempt: int, piece: str) -> None:
    build = _claim(build_id, attempt)
    if build is None:
        return
    manifest = build.manifest
    with translation.override(manifest["language"]):
        if piece == FRONT:
            key, label = _front_key(manifest), _("Cover and programme")
            if not _cached(key):
                _store_part(key, _render_front(manifest), notes=[])
        elif piece == PARTICIPANTS:
            key, label = _participants_key(manifest), _("List of participants")
            if not _cached(key):
                _store_part(key, _render_participants(manifest), notes=[])
        else:
            session = next(s for s in manifest["sessions"] if f"session:{s['id']}" == piece)
            key, label = _session_key(manifest, session), session["title"]
            if not _cached(key):
                document, outline = _render_session(manifest, session)
                notes = [
                    f"“{i['title']}”: {i['note']}" for seg in session["segments"] for i in seg["items"] if i["note"]
                ]
                _store_part(key, document, outline=outline, notes=notes)
    _progress(build, _("Rendered: %(piece)s") % {"piece": label})


def _cached(key: str) -> bool:
    part = ProceedingsPart.objects.filter(key=key).first()
    if part is None:
        return False
    if part.file.storage.exists(part.file.name):
        return True
    part.delete()  # the file went missing: render again
    return False


def _store_part(key: str, document, *, outline=None, notes) -> None:
    pdf = document.write_pdf()
    part = ProceedingsPart(key=key, page_count=len(document.pages), outline=outline or {}, notes=notes)
    part.file.save(f"{key[:16]}-{secrets.token_hex(6)}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            part.save()
    except IntegrityError:
        # Two workers rendered the same piece (a redelivered task): keep the first.
        part.file.storage.delete(part.file.name)


def _dates(manifest: dict) -> dict:
    return {
        "start_date": datetime.date.fromisoformat(manifest["workshop"]["start_date"]),
        "end_date": datetime.date.fromisoformat(manifest["workshop"]["end_date"]),
    }


class _Obj(dict):
    """Dict with attribute access, so the PDF templates read manifest data like model fields."""

    __getattr__ = dict.get


def _render_front(manifest: dict):
    workshop = _Obj(manifest["workshop"], **_dates(manifest))
    workshop["host_institution"] = _Obj(name=manifest["workshop"]["host"])
    sessions = []
    for session in manifest["sessions"]:
        segments = [
            _Obj(
                time_range="",
                display_title=segment["title"],
                accepted_presentations=[
                    _Obj(title=i["title"], presenter=_Obj(display_name=i["presenter"])) for i in segment["items"]
                ],
            )
            for segment in session["segments"]
        ]
        sessions.append(
            _Obj(
                display_title=session["title"],
                date=datetime.date.fromisoformat(session["date"]),
                time_range=session["time_range"],
                chair=session["chair"],
                segments=_Obj(all=segments),
            )
        )
    html = render_to_string("reports/pdf/front.html", {"workshop": workshop, "sessions": sessions})
    return html_render(html)


def _render_participants(manifest: dict):
    groups = [
        _Obj(
            heading=g["heading"],
            institutions=[
                _Obj(heading=i["heading"], participants=[_Obj(display_name=n, position=p) for n, p in i["people"]])
                for i in g["institutions"]
            ],
        )
        for g in manifest["participants"]
    ]
    return html_render(render_to_string("reports/pdf/participants.html", {"participant_groups": groups}))


def _render_session(manifest: dict, session: dict):
    segments = [
        _Obj(pk=segment["id"], title=segment["title"], items=[_Obj(pk=i["id"], **i) for i in segment["items"]])
        for segment in session["segments"]
    ]
    html = render_to_string(
        "reports/pdf/session_part.html",
        {
            "session": _Obj(
                pk=session["id"],
                display_title=session["title"],
                date=datetime.date.fromisoformat(session["date"]),
                time_range=session["time_range"],
                room=session["room"],
                chair=session["chair"],
                rapporteur=session["rapporteur"],
            ),
            "report_sections": session["report"]["sections"],
            "segments": segments,
        },
    )
    document = html_render(html)
    anchors = anchor_pages(document)
    # Where each segment and presentation starts within this part's own pages.
    outline = {
        "segments": {str(s["id"]): anchors.get(f"segment-{s['id']}") for s in session["segments"]},
        "presentations": {
            str(i["id"]): anchors.get(f"presentation-{i['id']}") for s in session["segments"] for i in s["items"]
        },
    }
    return document, outline


# --- Assembling the volume --------------------------------------------------------------------


def proceedings_assemble(*, build_id: int, attempt: int) -> None:
    build = _claim(build_id, attempt)
    if build is None:
        return
    manifest = build.manifest
    fronts = [_front_key(manifest), _participants_key(manifest)]
    keys = fronts + [_session_key(manifest, s) for s in manifest["sessions"]]
    parts = {p.key: p for p in ProceedingsPart.objects.filter(key__in=keys)}
    missing = [s["title"] for s in manifest["sessions"] if _session_key(manifest, s) not in parts]
    if any(key not in parts for key in fronts) or missing:
        raise RuntimeError(f"pieces missing at assembly: {', '.join(missing) or 'front matter'}")
    workdir = Path(tempfile.mkdtemp(prefix="portal-proceedings-"))
    try:
        with translation.override(manifest["language"]):
            output, page_count, notes = _assemble(build, manifest, parts, workdir)
            _finish_ready(build, output, page_count, notes)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _assemble(build: ProceedingsBuild, manifest: dict, parts: dict, workdir: Path):
    notes = []
    # 1. The body's layout: session text pages with each deck after its abstract page.
    body = []  # (kind, reader, page index in reader)
    outline_entries = []  # (level, title, body page index)
    index_pages: dict[str, list[int]] = {}
    versions = {
        v.pk: v
        for v in PresentationFile.objects.filter(
            pk__in=[
                i["deck"]["version_id"]
                for s in manifest["sessions"]
                for g in s["segments"]
                for i in g["items"]
                if i["deck"]
            ]
        )
    }
    for session in manifest["sessions"]:
        part = parts[_session_key(manifest, session)]
        notes.extend(part.notes)
        reader = open_pdf(part.file)
        decks_after = {}  # last text page of a presentation -> its deck
        starts = part.outline.get("presentations", {})
        items = [i for g in session["segments"] for i in g["items"]]
        ordered = sorted((starts.get(str(i["id"])), i) for i in items if starts.get(str(i["id"])) is not None)
        boundaries = [page for page, _item in ordered[1:]] + [part.page_count] if ordered else []
        seg_starts = {page for page in part.outline.get("segments", {}).values() if page is not None}
        for (start, item), end in zip(ordered, boundaries, strict=True):
            # A presentation's text runs until the next presentation or segment begins.
            following = [page for page in seg_starts if start < page <= end] + [end]
            decks_after[min(following) - 1] = item
        session_start = len(body)
        page_of_text = {}
        for page_index in range(part.page_count):
            page_of_text[page_index] = len(body)
            body.append((reader, page_index))
            item = decks_after.get(page_index)
            if item and item["deck"]:
                version = versions.get(item["deck"]["version_id"])
                try:
                    deck = open_pdf(version.pdf_file)
                    deck_pages = len(deck.pages)
                except Exception as error:  # an unreadable deck is noted, never fatal
                    note = _("“%(title)s”: the file could not be read and is not included (%(error)s).") % {
                        "title": item["title"],
                        "error": type(error).__name__,
                    }
                    notes.append(note)
                    continue
                for deck_index in range(deck_pages):
                    body.append((deck, deck_index))
        outline_entries.append((1, session["title"], session_start))
        for segment in session["segments"]:
            page = part.outline.get("segments", {}).get(str(segment["id"]))
            if page is not None:
                outline_entries.append((2, segment["title"], page_of_text[page]))
            for item in segment["items"]:
                page = starts.get(str(item["id"]))
                if page is not None:
                    outline_entries.append((3, f"{item['title']} — {item['presenter']}", page_of_text[page]))
                    for name in filter(None, [item["state"], item["institution"]]):
                        index_pages.setdefault(name, []).append(page_of_text[page] + 1)
    _progress(build, _("Laid out %(pages)d pages") % {"pages": len(body)})

    # 2. Contents and index, now that the body's page numbers are known.
    contents = [{"level": level, "title": title, "page": page + 1} for level, title, page in outline_entries]
    index_start_number = len(body) + 1
    contents.append(
        {"level": 1, "title": _("Index of participating member states and institutions"), "page": index_start_number}
    )
    index = [
        {"name": name, "pages": sorted(set(pages))}
        for name, pages in sorted(index_pages.items(), key=lambda kv: collation_key(kv[0]))
    ]
    # Cached like the other pieces: a replaced deck of the same length leaves the contents as they were.
    ci_key = _hash(["contents", manifest["template"], manifest["language"], contents, index])
    if not _cached(ci_key):
        ci_document = html_render(
            render_to_string("reports/pdf/contents_index.html", {"contents": contents, "index": index})
        )
        index_page = anchor_pages(ci_document).get("index", len(ci_document.pages))
        # Tagged with the workshop: its key depends on the layout, so a purge could not derive it.
        outline = {"index_page": index_page, "workshop": manifest["workshop"]["id"]}
        _store_part(ci_key, ci_document, outline=outline, notes=[])
    ci_part = ProceedingsPart.objects.get(key=ci_key)
    contents_pages = ci_part.outline["index_page"]
    ci_reader = open_pdf(ci_part.file)
    _progress(build, _("Contents and index"))

    # 3. Merge: cover, contents, programme, participants | sessions with decks | index.
    front = open_pdf(parts[_front_key(manifest)].file)
    participants = open_pdf(parts[_participants_key(manifest)].file)
    sequence = [(front, 0)] + [(ci_reader, i) for i in range(contents_pages)]
    sequence += [(front, i) for i in range(1, len(front.pages))]
    sequence += [(participants, i) for i in range(len(participants.pages))]
    front_count = len(sequence)
    sequence += body + [(ci_reader, i) for i in range(contents_pages, len(ci_reader.pages))]
    volume = VolumeWriter()
    for position, (source, page_index) in enumerate(sequence):
        if position == 0:
            number = None  # the cover carries no number
        elif position < front_count:
            number = roman(position + 1)
        else:
            number = str(position - front_count + 1)
        volume.add_page(source, page_index, number=number)
    volume.set_page_labels([(0, "/r", 1), (front_count, "/D", 1)])
    index_title = _("Index of participating member states and institutions")
    volume.set_outline(
        [(0, manifest["workshop"]["title"], 0), (1, _("Contents"), 1)]
        + [(level, title, front_count + page) for level, title, page in outline_entries]
        + [(1, index_title, front_count + len(body))]
    )
    volume.set_metadata(
        {
            "/Title": _("Proceedings: %(title)s") % {"title": manifest["workshop"]["title"]},
            "/Author": manifest["workshop"]["host"],
            "/Subject": f"{manifest['workshop']['city']}, {manifest['workshop']['start_date']}",
            "/Keywords": f"build {build.pk}; inputs {build.inputs_hash}",
        }
    )
    output = workdir / "proceedings.pdf"
    volume.save(output)
    _progress(build, _("Merged %(pages)d pages") % {"pages": len(sequence)})
    return output, len(sequence), notes


def _finish_ready(build: ProceedingsBuild, output: Path, page_count: int, notes: list[str]) -> None:
    digest = hashlib.sha256()
    with output.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    name = f"{build.workshop.slug}-proceedings-{build.pk}-{secrets.token_hex(6)}.pdf"
    with output.open("rb") as handle:
        stored = build.file.storage.save(f"proceedings/{name}", File(handle))
    with transaction.atomic():
        updated = ProceedingsBuild.objects.filter(pk=build.pk, status=BuildStatus.RUNNING).update(
            status=BuildStatus.READY,
            file=stored,
            page_count=page_count,
            size=output.stat().st_size,
            sha256=digest.hexdigest(),
            finished_at=timezone.now(),
            progress_done=F("progress_total"),
            progress_label=_("Ready"),
            error="",
        )
        if not updated:
            # Another attempt finished first (a redelivered task): keep that one.
            build.file.storage.delete(stored)
            return
        for note in notes:
            _log(build, note)
        _log(build, _("Ready: %(pages)d pages.") % {"pages": page_count})
        transaction.on_commit(lambda: _notify_requester(build.pk))


def _finish_failed(build: ProceedingsBuild, reason: str) -> None:
    ProceedingsBuild.objects.filter(pk=build.pk, status__in=PENDING_BUILD_STATUSES).update(
        status=BuildStatus.FAILED, error=reason[:2000], finished_at=timezone.now(), progress_label=_("Failed")
    )
    _log(build, _("Failed: %(reason)s") % {"reason": reason})
    transaction.on_commit(lambda: _notify_requester(build.pk))


def _notify_requester(build_id: int) -> None:
    build = ProceedingsBuild.objects.select_related("workshop", "requested_by").get(pk=build_id)
    if build.requested_by is None or not build.requested_by.email:
        return
    _send_build_email(build)


def _send_build_email(build: ProceedingsBuild) -> None:
    # In the requester's language, whatever the volume's own (workshop_portal/emails.py).
    url = portal_url(reverse("reports:builds", kwargs={"slug": build.workshop.slug}))
    template = "ready" if build.status == BuildStatus.READY else "failed"
    portal_email(
        to=[build.requested_by.email],
        language=build.requested_by.email_language,
        template=f"reports/email/build_{template}",
        context={"build": build, "url": url},
    ).send(fail_silently=True)


# --- Looking after builds ---------------------------------------------------------------------


def proceedings_watchdog(*, now=None) -> list[int]:
    """Relaunch or fail builds that stopped giving signs of life (a worker lost for good)."""
    now = now or timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.PROCEEDINGS_STALE_SECONDS)
    handled = []
    for build in ProceedingsBuild.objects.filter(status__in=PENDING_BUILD_STATUSES, heartbeat_at__lt=stale_before):
        with transaction.atomic():
            current = ProceedingsBuild.objects.select_for_update().get(pk=build.pk)
            if current.status not in PENDING_BUILD_STATUSES or current.heartbeat_at >= stale_before:
                continue
            reason = _("no sign of life for %(seconds)d seconds") % {"seconds": settings.PROCEEDINGS_STALE_SECONDS}
            if current.attempts < MAX_ATTEMPTS:
                _log(
                    current,
                    _("Attempt %(attempt)d stalled: %(reason)s") % {"attempt": current.attempts, "reason": reason},
                )
                _launch(current, reason=_("restarted by the watchdog"))
            else:
                _finish_failed(current, _("The build stalled: %(reason)s.") % {"reason": reason})
            handled.append(current.pk)
    return handled


@transaction.atomic
def proceedings_publish(*, build: ProceedingsBuild, by: User) -> ProceedingsBuild:
    """Make a ready build the workshop's published proceedings, which its participants may download."""
    if not by.has_perm("reports.publish_proceedings"):
        raise PermissionDenied
    Workshop.objects.select_for_update().get(pk=build.workshop_id)
    current = ProceedingsBuild.objects.get(pk=build.pk)
    if current.status != BuildStatus.READY:
        raise ValidationError(_("Only a ready build can be published."))
    ProceedingsBuild.objects.filter(workshop_id=current.workshop_id, is_published=True).exclude(pk=current.pk).update(
        is_published=False
    )
    current.is_published = True
    current.save(update_fields=["is_published"])
    return current


def proceedings_build_now(*, workshop: Workshop, by: User | None, language: str = "en") -> ProceedingsBuild:
    """Build in this process, without workers: for the management command and the tests."""
    pending = ProceedingsBuild.objects.filter(workshop=workshop, status__in=PENDING_BUILD_STATUSES).first()
    if pending is not None:
        raise ValidationError(_("A build is already under way: build %(number)d.") % {"number": pending.pk})
    manifest = proceedings_manifest(workshop=workshop, language=language)
    build = ProceedingsBuild.objects.create(
        workshop=workshop,
        requested_by=by,
        language=language,
        inputs_hash=_hash(manifest),
        manifest=manifest,
        progress_total=len(_pieces(manifest)) + 3,
        attempts=1,
    )
    try:
        for piece in _pieces(manifest):
            proceedings_render_piece(build_id=build.pk, attempt=1, piece=piece)
        proceedings_assemble(build_id=build.pk, attempt=1)
    except Exception as error:
        logger.exception("proceedings build %s failed", build.pk)
        _finish_failed(build, f"{type(error).__name__}: {error}")
    build.refresh_from_db()
    return build
