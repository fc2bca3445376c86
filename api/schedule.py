"""A workshop's programme as the schedule formats phone apps and venue signage read: Frab XML
(c3voc's schema.xsd) and c3voc's schedule JSON (schema.json).

Every event has a GUID that stays the same from one download to the next (uuid5 of the portal's
namespace and the object's kind and id), so apps update an event rather than add a copy. Times
are the venue's, with its UTC offset."""

import datetime
import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from api.selectors import ScheduleItem
from workshop_portal.models import Workshop

# The portal's own namespace for the schedule GUIDs: never change it, or every app sees new events.
SCHEDULE_NAMESPACE = uuid.UUID("5b0c9a4e-63a1-4f0b-9d8e-2a51c4d7e913")
LANGUAGE = "en"


def guid(kind: str, pk: int) -> str:
    return str(uuid.uuid5(SCHEDULE_NAMESPACE, f"{kind}:{pk}"))


def hours_minutes(duration: datetime.timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class ScheduleContext:
    """What each format needs besides the events: the absolute addresses of the pages."""

    workshop: Workshop
    programme_url: str
    base_url: str
    version: str


def _room(item: ScheduleItem, workshop: Workshop) -> str:
    return item.session.room or workshop.venue


def _days(items: list[ScheduleItem], workshop: Workshop) -> list[tuple[int, datetime.date, list[ScheduleItem]]]:
    days = []
    day = workshop.start_date
    index = 1
    while day <= workshop.end_date:
        days.append((index, day, [item for item in items if item.session.date == day]))
        day += datetime.timedelta(days=1)
        index += 1
    return days


def _day_bounds(workshop: Workshop, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = workshop.local_datetime(day, datetime.time(0, 0))
    return start, workshop.local_datetime(day, datetime.time(23, 59, 59))


def _event(item: ScheduleItem, context: ScheduleContext) -> dict:
    workshop = context.workshop
    segment = item.segment
    return {
        "guid": guid(item.kind, item.pk),
        # Frab ids are integers unique in the schedule: presentations and segments apart by parity.
        "id": item.pk * 2 + (0 if item.kind == "presentation" else 1),
        "date": item.starts_at.isoformat(),
        "start": item.starts_at.strftime("%H:%M"),
        "duration": hours_minutes(item.duration),
        "room": _room(item, workshop),
        "slug": f"{workshop.slug}-{item.kind}-{item.pk}",
        "url": f"{context.programme_url}#session-{item.session.pk}",
        "title": item.title,
        "subtitle": str(segment.display_title) if item.kind == "presentation" else "",
        "track": str(item.session.display_title),
        "type": "presentation" if item.kind == "presentation" else "segment",
        "language": LANGUAGE,
        "abstract": item.abstract,
        "description": "",
        "persons": [
            {"id": person.pk, "guid": guid("person", person.pk), "name": person.name} for person in item.persons
        ],
        "links": [{"url": context.programme_url, "title": workshop.title}],
        "logo": "",
    }


def schedule_json(items: list[ScheduleItem], context: ScheduleContext) -> bytes:
    """c3voc's schedule JSON (https://c3voc.de/schedule/schema.json)."""
    workshop = context.workshop
    rooms = list(dict.fromkeys(_room(item, workshop) for item in items))
    days = []
    for index, day, day_items in _days(items, workshop):
        start, end = _day_bounds(workshop, day)
        by_room: dict[str, list[dict]] = {}
        for item in day_items:
            event = _event(item, context)
            event.update(
                persons=[{"id": p["id"], "guid": p["guid"], "public_name": p["name"]} for p in event["persons"]],
                attachments=[],
                answers=[],
                recording_license="",
                do_not_record=True,
            )
            by_room.setdefault(event["room"], []).append(event)
        days.append(
            {"index": index, "date": day.isoformat(), "day_start": start.isoformat(), "day_end": end.isoformat(),
             "rooms": by_room}
        )  # fmt: skip
    document = {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "schedule": {
            "version": context.version,
            "base_url": context.base_url,
            "conference": {
                "acronym": workshop.slug.lower(),
                "title": workshop.title,
                "start": workshop.start_date.isoformat(),
                "end": workshop.end_date.isoformat(),
                "daysCount": len(days),
                "timeslot_duration": "00:05",
                "time_zone_name": workshop.time_zone,
                "url": context.programme_url,
                "rooms": [{"name": room, "guid": guid(f"room:{workshop.pk}", index)} for index, room in
                          enumerate(rooms)],
                "days": days,
            },
        },
    }  # fmt: skip
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _text(parent: ET.Element, tag: str, text: str = "", **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: str(value) for key, value in attributes.items()})
    element.text = text
    return element


def schedule_xml(items: list[ScheduleItem], context: ScheduleContext) -> bytes:
    """Frab XML, as c3voc's schema.xsd describes it (the element order is the schema's)."""
    workshop = context.workshop
    root = ET.Element("schedule")
    root.set("{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation",
             "https://c3voc.de/schedule/schema.xsd")  # fmt: skip
    ET.SubElement(root, "generator", name="workshop-portal", version="1")
    _text(root, "version", context.version)
    conference = ET.SubElement(root, "conference")
    _text(conference, "title", workshop.title)
    _text(conference, "acronym", workshop.slug.lower())
    _text(conference, "start", workshop.start_date.isoformat())
    _text(conference, "end", workshop.end_date.isoformat())
    days = _days(items, workshop)
    _text(conference, "days", str(len(days)))
    _text(conference, "timeslot_duration", "00:05")
    _text(conference, "base_url", context.base_url)
    _text(conference, "time_zone_name", workshop.time_zone)
    for index, day, day_items in days:
        start, end = _day_bounds(workshop, day)
        day_element = ET.SubElement(root, "day", index=str(index), date=day.isoformat(), start=start.isoformat(),
                                    end=end.isoformat())  # fmt: skip
        by_room: dict[str, list[dict]] = {}
        for item in day_items:
            event = _event(item, context)
            by_room.setdefault(event["room"], []).append(event)
        for room, events in by_room.items():
            room_element = ET.SubElement(day_element, "room", name=room)
            for event in events:
                element = ET.SubElement(room_element, "event", guid=event["guid"], id=str(event["id"]))
                for tag in ("date", "start", "duration", "room", "slug", "url"):  # xs:all: any order
                    _text(element, tag, event[tag])
                recording = ET.SubElement(element, "recording")
                _text(recording, "license", "")
                _text(recording, "optout", "true")
                for tag in ("title", "subtitle", "track", "type", "language", "abstract", "description"):
                    _text(element, tag, event[tag])
                _text(element, "logo", "")
                persons = ET.SubElement(element, "persons")
                for person in event["persons"]:
                    _text(persons, "person", person["name"], id=person["id"])
                links = ET.SubElement(element, "links")
                for link in event["links"]:
                    _text(links, "link", link["title"], href=link["url"])
                ET.SubElement(element, "attachments")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
