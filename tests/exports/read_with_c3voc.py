"""Read a schedule.json with c3voc-schedule-tools (the c3voc team's own library) and report what it saw.

Run by test_frab.py in the library's own virtualenv (its pins clash with Marquee's):

    python read_with_c3voc.py schedule.json

prints JSON: the conference as the library reads it, every event it iterates over, and the
library's own conversion of the schedule to XML.
"""

import json
import sys

from voc import Schedule

schedule = Schedule.from_file(sys.argv[1])
events = schedule.foreach_event(
    lambda event: {
        "guid": event["guid"],
        "id": event["id"],
        "start": event.start.isoformat(),
        "duration": event["duration"],
        "room": event["room"],
        "title": event["title"],
        "persons": event.persons(),
        "track": event["track"],
        "slug": event["slug"],
    }
)
print(
    json.dumps(
        {
            "acronym": schedule.conference("acronym"),
            "title": schedule.conference("title"),
            "days": len(schedule.days()),
            "rooms": schedule.rooms(),
            "version": schedule.version(),
            "events": events,
            "xml": schedule.xml(),
        }
    )
)
