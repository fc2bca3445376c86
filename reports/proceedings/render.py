"""Rendering the text pieces of a volume with WeasyPrint, each cached by the hash of its inputs.

The pieces: the front matter (cover and programme), the list of participants, and one part per
session (its report and the abstract pages of its presentations). Decks are not part of a piece's
hash, so replacing a deck re-renders nothing.
"""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.models import ProceedingsPart
from reports.proceedings.manifest import (
    FRONT,
    PARTICIPANTS,
    chapter_key,
    front_key,
    manifest_chapters,
    participants_key,
    session_key,
)
from workshop_portal.pdf import anchor_pages, html_render


def render_piece(manifest: dict, piece: str) -> str:
    """Render one piece unless a part with the same inputs is cached; its label for the progress bar.
    Runs under the volume's language."""
    if piece == FRONT:
        key, label = front_key(manifest), _("Cover and programme")
        if not part_cached(key):
            store_part(key, render_front(manifest), notes=[])
    elif piece == PARTICIPANTS:
        key, label = participants_key(manifest), _("List of participants")
        if not part_cached(key):
            store_part(key, render_participants(manifest), notes=[])
    elif piece.startswith("chapter:"):
        chapter = next(c for c in manifest_chapters(manifest) if f"chapter:{c['name']}" == piece)
        key, label = chapter_key(manifest, chapter), chapter["title"]
        if not part_cached(key):
            store_part(key, render_chapter(chapter), notes=[])
    else:
        session = next(s for s in manifest["sessions"] if f"session:{s['id']}" == piece)
        key, label = session_key(manifest, session), session["title"]
        if not part_cached(key):
            document, outline = render_session(manifest, session)
            notes = [f"“{i['title']}”: {i['note']}" for seg in session["segments"] for i in seg["items"] if i["note"]]
            store_part(key, document, outline=outline, notes=notes)
    return label


def part_cached(key: str) -> bool:
    part = ProceedingsPart.objects.filter(key=key).first()
    if part is None:
        return False
    if part.file.storage.exists(part.file.name):
        return True
    part.delete()  # the file went missing: render again
    return False


def store_part(key: str, document, *, outline=None, notes) -> None:
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


def render_front(manifest: dict):
    """The cover and the programme (a WeasyPrint document, not yet written)."""
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


def render_participants(manifest: dict):
    """The list of participants (a WeasyPrint document, not yet written)."""
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


def render_session(manifest: dict, session: dict):
    """One session's text part and where each segment and presentation starts in it."""
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


def render_chapter(chapter: dict):
    """An extra chapter supplied by a higher app, from its own template (a WeasyPrint document)."""
    return html_render(render_to_string(chapter["template"], {"chapter": chapter["data"], "title": chapter["title"]}))
