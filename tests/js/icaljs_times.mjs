// Reads an iCalendar file on stdin with ical.js (the library Thunderbird uses) and prints,
// as JSON, each event's UID, SEQUENCE, method and its occurrences' start and end in UTC.
import ICAL from "ical.js";

let text = "";
for await (const chunk of process.stdin) text += chunk;
const root = new ICAL.Component(ICAL.parse(text));
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtz);
}
const out = { method: root.getFirstPropertyValue("method"), events: [] };
const masters = new Map();
const exceptions = [];
for (const vevent of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  if (event.isRecurrenceException()) exceptions.push(event);
  else masters.set(event.uid, event);
}
for (const ex of exceptions) masters.get(ex.uid)?.relateException(ex);
for (const event of masters.values()) {
  const occurrences = [];
  if (event.isRecurring()) {
    const it = event.iterator();
    let next;
    while ((next = it.next()) && occurrences.length < 20) {
      const details = event.getOccurrenceDetails(next);
      occurrences.push({ start: details.startDate.toJSDate().toISOString(), end: details.endDate.toJSDate().toISOString() });
    }
  } else {
    occurrences.push({ start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString() });
  }
  out.events.push({
    uid: event.uid,
    sequence: event.sequence,
    status: event.component.getFirstPropertyValue("status"),
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    occurrences,
  });
}
process.stdout.write(JSON.stringify(out));
