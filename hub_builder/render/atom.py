"""The Atom feed of changes, ``/changes.xml`` (RFC 4287), written with ElementTree.

One entry per change readers are told of, newest first by the moment it was recorded,
with the wording of the /changes/ page. Links are absolute under the site's address
(``site_url``) when it is known, otherwise relative to the feed, which sits at the site's
root. Ids are ``urn:uuid:`` names derived from the change itself, so an entry keeps its id
from build to build; an entry's ``updated`` is the moment the change was recorded (midnight
UK time of its day for changes recorded before moments were kept), and the feed's that of
its newest entry, so a build that records nothing leaves the feed as it was (with no entry
at all, the day the newest source file was compiled).

    >>> render(hub)[0].path                                            # doctest: +SKIP
    'changes.xml'
"""

from __future__ import annotations

import uuid
from datetime import datetime, time
from xml.etree import ElementTree as ET

from hub_builder.calendar import LONDON
from hub_builder.model import Hub, RecordedChange
from hub_builder.render.changes_page import change_rows, public_changes, recorded_at
from hub_builder.render.output import Output

ATOM = "http://www.w3.org/2005/Atom"
FEED_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "vtq-hub:changes")
TITLE = "VTQ Hub: what changed"


def render(hub: Hub) -> list[Output]:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    add(feed, "id", f"urn:uuid:{FEED_NAMESPACE}")
    add(feed, "title", TITLE)
    add(feed, "subtitle", "Key dates added, moved or cancelled; guidance and contacts changed.")
    add(feed, "updated", feed_updated(hub).isoformat())
    add(feed, "link", rel="self", href=f"{hub.site_url}changes.xml", type="application/atom+xml")
    add(feed, "link", rel="alternate", href=f"{hub.site_url}changes/", type="text/html")
    author = add(feed, "author")
    add(author, "name", "VTQ Hub")
    add(feed, "generator", "vtq-hub")
    for recorded, row in zip(public_changes(hub), change_rows(hub), strict=True):
        entry = add(feed, "entry")
        add(entry, "id", entry_id(recorded))
        add(entry, "title", row.headline)
        add(entry, "updated", recorded_at(recorded).isoformat())
        if row.url:
            add(entry, "link", rel="alternate", href=f"{hub.site_url}{row.url}", type="text/html")
        add(entry, "category", term=recorded.change.kind)
        add(entry, "content", row.sentence, type="text")
    ET.indent(feed)
    text = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return [Output("changes.xml", f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'.encode())]


def add(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text:
        element.text = text
    return element


def feed_updated(hub: Hub) -> datetime:
    newest = public_changes(hub)[:1]
    if newest:
        return recorded_at(newest[0])
    compiled = max((o.compiled_on for o in hub.organisations), default=hub.built_at.date())
    return datetime.combine(compiled, time(0), LONDON)


def entry_id(recorded: RecordedChange) -> str:
    c = recorded.change
    name = "/".join(
        (recorded.on.isoformat(), c.kind, c.organisation_id, c.record_id, c.before, c.after)
    )
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, name)}"
