"""schedule.xml: the frab schedule in XML, as the c3voc XSD describes it, made from `schedule_document`."""

from __future__ import annotations

from xml.etree import ElementTree

from app.exports.frab import GENERATOR, schedule_document
from app.scheduling.programme import Programme

_XML_EVENT_FIELDS = ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract", "slug",
                     "track", "language", "description", "url")  # fmt: skip


def _text(parent: ElementTree.Element, tag: str, value: object, **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attributes)
    if value is not None:
        element.text = str(value)
    return element


def render_schedule_xml(programme: Programme, *, base_url: str) -> bytes:
    """schedule.xml: the same schedule in frab's XML (as the c3voc XSD describes it)."""
    document = schedule_document(programme, base_url=base_url)
    schedule = document["schedule"]
    conference = schedule["conference"]
    root = ElementTree.Element("schedule")
    ElementTree.SubElement(root, "generator", {"name": GENERATOR["name"], "version": GENERATOR["version"]})
    _text(root, "version", schedule["version"])
    head = ElementTree.SubElement(root, "conference")
    for tag in ("acronym", "title", "start", "end"):
        _text(head, tag, conference[tag])
    _text(head, "days", conference["daysCount"])
    _text(head, "timeslot_duration", conference["timeslot_duration"])
    if schedule["base_url"].startswith("http"):
        _text(head, "base_url", schedule["base_url"])
    if conference["url"].startswith("http"):
        _text(head, "url", conference["url"])
    if "time_zone_name" in conference:
        _text(head, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        _text(
            head,
            "track",
            track["name"],
            name=track["name"],
            **({"slug": track["slug"]} if "slug" in track and track["slug"][0].isalpha() else {}),
        )
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = ElementTree.SubElement(
            root,
            "day",
            {"index": str(day["index"]), "date": day["date"], "start": day["day_start"], "end": day["day_end"]},
        )
        for room, events in day["rooms"].items():
            room_element = ElementTree.SubElement(day_element, "room", {"name": room, "guid": guids[room]})
            for event in events:
                _event_xml(room_element, event, base_url)
    ElementTree.indent(root, space=" ")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _event_xml(room: ElementTree.Element, event: dict, base_url: str) -> None:
    element = ElementTree.SubElement(room, "event", {"guid": event["guid"], "id": str(event["id"])})
    for tag in _XML_EVENT_FIELDS:
        if tag == "url" and not str(event[tag]).startswith("http"):
            continue
        _text(element, tag, event[tag])
    recording = ElementTree.SubElement(element, "recording")
    _text(recording, "license", "")
    _text(recording, "optout", "true" if event["do_not_record"] else "false")
    persons = ElementTree.SubElement(element, "persons")
    for person in event["persons"]:
        _text(persons, "person", person["name"], guid=person["guid"])
    links = ElementTree.SubElement(element, "links")
    for link in event["links"]:
        _text(links, "link", link["title"], href=link["url"])
    ElementTree.SubElement(element, "attachments")
