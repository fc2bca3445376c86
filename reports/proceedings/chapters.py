"""Extra chapters of the proceedings, supplied by apps above reports (surveys' aggregates, ...).

An app registers a chapter once, at ready time: ``add_proceedings_chapter(name, data_fn, template)``.
``data_fn(workshop, language)`` runs under that language while the manifest is taken and returns
plain JSON-able data, or None when the workshop has no such chapter. When the data is a dict with a
"title", that is the chapter's bookmark and contents entry; otherwise its name is. The chapter is
rendered from ``template`` (given ``chapter``, the data, and ``title``) as its own cached piece,
placed after the sessions and before the contents and index.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProceedingsChapter:
    name: str
    data_fn: Callable
    template: str


CHAPTERS: list[ProceedingsChapter] = []


def add_proceedings_chapter(name: str, data_fn: Callable, template: str) -> None:
    """Register a chapter; registering a name again replaces it (a reloaded app)."""
    if not name or ":" in name:
        raise ValueError("a chapter's name is a non-empty word without a colon")
    CHAPTERS[:] = [chapter for chapter in CHAPTERS if chapter.name != name]
    CHAPTERS.append(ProceedingsChapter(name=name, data_fn=data_fn, template=template))


def chapter_entries(workshop, language: str) -> list[dict]:
    """The manifest's entries of the chapters this workshop has, in the order registered."""
    entries = []
    for chapter in CHAPTERS:
        data = chapter.data_fn(workshop, language)
        if data is None:
            continue
        # Round-trip: the manifest is stored as JSON, and its hash must be the same before and after.
        data = json.loads(json.dumps(data, ensure_ascii=False, default=str))
        title = data.get("title") if isinstance(data, dict) else None
        entries.append(
            {"name": chapter.name, "template": chapter.template, "title": str(title or chapter.name), "data": data}
        )
    return entries
