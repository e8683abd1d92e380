// The widget's desk (desk.js: which QueueStatus, closed or not, the next opening in the patron's
// and the library's time, when to look again) and the place in line (line.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_TIMER_MS, REOPEN_GRACE_MS, REOPEN_RETRY_MS, deskMode, deskOf, opening, placeOfZone, reopenDelay } from "../patron/desk.js";
import { LineAnnouncer, lineOf, lineText, waitPhrase } from "../patron/line.js";
import { makeT } from "../patron/i18n.js";

const t = makeT("en");
const LAW = { id: "law", name: "Law Library", online: false, open: false, timezone: "America/New_York",
  next_open: "2026-03-09T13:00:00Z" }; // Monday 9:00 in New York (EDT since 8 March)
const GENERAL = { id: "general", name: "Ask a librarian", online: true, open: true, timezone: "UTC" };

test("the widget's desk: the status's own queue, else its entry, else the first desk (the service's default)", () => {
  const status = { online: true, queues: [GENERAL, LAW] };
  assert.equal(deskOf(status, "law"), LAW);
  assert.equal(deskOf({ ...status, queue: { ...LAW, name: "Law (asked)" } }, "law").name, "Law (asked)");
  assert.equal(deskOf(status, undefined), GENERAL);
  assert.equal(deskOf(status, "nope"), GENERAL);
  assert.equal(deskOf({ online: false, queues: [] }, "law"), null);
  assert.equal(deskOf(null, "law"), null);
});

test("closed outside hours, offline when open with nobody there, online otherwise; old services are always open", () => {
  assert.equal(deskMode({ online: true, queues: [GENERAL, LAW] }, "law"), "closed");
  assert.equal(deskMode({ online: true, queues: [GENERAL, LAW] }, "general"), "online");
  assert.equal(deskMode({ online: false, queues: [{ ...GENERAL, online: false }] }, "general"), "offline");
  assert.equal(deskMode({ online: true, queues: [{ id: "general", name: "G", online: true }] }, "general"), "online");
  assert.equal(deskMode({ online: false, queues: [{ id: "general", name: "G", online: false }] }, "general"), "offline");
  assert.equal(deskMode({ online: true, queues: [] }, undefined), "online", "no desks listed: the service as a whole");
});

test("the next opening in the patron's time, naming the library's: another day, another zone", () => {
  const now = Date.parse("2026-03-06T22:00:00Z"); // Friday evening
  const o = opening(LAW, { lang: "en", now, timeZone: "Europe/Paris" });
  assert.equal(o.key, "closed.opensDay");
  assert.equal(t(o.key, o.vars), "Opens Monday 2:00 PM (your time).");
  assert.equal(t(o.library.key, o.library.vars), "That's 9:00 AM in New York.");
  const far = opening(LAW, { lang: "en", now, timeZone: "Pacific/Auckland" }); // already Tuesday 2 AM there
  assert.equal(t(far.key, far.vars), "Opens Tuesday 2:00 AM (your time).");
  assert.equal(t(far.library.key, far.library.vars), "That's Monday 9:00 AM in New York.");
});

test("today and tomorrow by the patron's calendar; a week or more away: the date", () => {
  const o1 = opening(LAW, { now: Date.parse("2026-03-09T11:00:00Z"), timeZone: "America/New_York" });
  assert.equal(t(o1.key, o1.vars), "Opens today at 9:00 AM (your time).");
  assert.equal(o1.library, null, "the patron is in the library's zone: said once");
  const o2 = opening(LAW, { now: Date.parse("2026-03-08T20:00:00Z"), timeZone: "America/Chicago" });
  assert.equal(t(o2.key, o2.vars), "Opens tomorrow at 8:00 AM (your time).");
  const o3 = opening({ ...LAW, next_open: "2026-12-28T14:00:00Z" }, { now: Date.parse("2026-12-20T12:00:00Z"), timeZone: "UTC" });
  assert.equal(t(o3.key, o3.vars), "Opens Monday, December 28 at 2:00 PM (your time).");
});

test("the patron's language formats the times; unusable times or zones are left out", () => {
  const es = makeT("es");
  const o = opening(LAW, { lang: "es", now: Date.parse("2026-03-06T22:00:00Z"), timeZone: "Europe/Madrid" });
  assert.equal(es(o.key, o.vars), "Abre el lunes a las 14:00 (su hora).");
  assert.equal(es(o.library.key, o.library.vars), "Es decir, a las 9:00 en New York.");
  assert.equal(opening({ ...LAW, next_open: undefined }, {}), null);
  assert.equal(opening({ ...LAW, next_open: "soon" }, {}), null);
  const noZone = opening({ ...LAW, timezone: "Mars/Olympus" }, { now: Date.parse("2026-03-06T22:00:00Z"), timeZone: "UTC" });
  assert.equal(noZone.library, null);
  assert.equal(t(noZone.key, noZone.vars), "Opens Monday 1:00 PM (your time).");
  assert.equal(placeOfZone("America/Argentina/Buenos_Aires"), "Buenos Aires");
  assert.equal(placeOfZone("Etc/UTC"), "UTC");
});

test("look again just after the opening; already past: in 30 s; far away: one timer's reach at most", () => {
  const now = Date.parse("2026-03-09T12:00:00Z");
  assert.equal(reopenDelay("2026-03-09T13:00:00Z", now), 3600000 + REOPEN_GRACE_MS);
  assert.equal(reopenDelay("2026-03-09T12:00:00Z", now), REOPEN_RETRY_MS);
  assert.equal(reopenDelay("2026-03-09T11:00:00Z", now), REOPEN_RETRY_MS);
  assert.equal(reopenDelay("2026-06-01T00:00:00Z", now), MAX_TIMER_MS);
  assert.equal(reopenDelay(undefined, now), null);
});

test("place in line: the sentence, with or without an estimate", () => {
  assert.equal(lineText(t, { position: 2, wait: 180 }), "You are number 2 in line. Expected wait: about 3 minutes.");
  assert.equal(lineText(t, { position: 3, wait: null }), "You are number 3 in line.");
  assert.equal(lineText(t, { position: 1, wait: null }), "You are next in line.");
  assert.equal(lineText(t, { position: 1, wait: 40 }), "You are next in line. Expected wait: less than a minute.");
  assert.equal(lineText(t, null), null);
  assert.deepEqual([waitPhrase(59), waitPhrase(60), waitPhrase(89 * 60), waitPhrase(100 * 60), waitPhrase(3 * 3600)],
    [["wait.underMinute", {}], ["wait.minute", {}], ["wait.minutes", { n: 89 }], ["wait.hours", { n: 2 }], ["wait.hours", { n: 3 }]]);
  assert.equal(makeT("es")("line.position", { n: 2 }), "Usted es el número 2 en la fila.");
});

test("place in line from frames: only usable values; only changes of the text are announced", () => {
  assert.deepEqual(lineOf({ chat_id: "c1", position: 2, expected_wait_seconds: 179.6 }), { position: 2, wait: 180 });
  assert.deepEqual(lineOf({ position: 4 }), { position: 4, wait: null });
  assert.equal(lineOf({ position: 0 }), null);
  assert.equal(lineOf({ position: "2" }), null);
  assert.equal(lineOf(undefined), null);
  const a = new LineAnnouncer(t);
  assert.equal(a.update({ position: 2, wait: 180 }), "You are number 2 in line. Expected wait: about 3 minutes.");
  assert.equal(a.update({ position: 2, wait: 180 }), undefined, "the same frame again: nothing to announce");
  assert.equal(a.update({ position: 2, wait: 170 }), undefined, "still 'about 3 minutes'");
  assert.equal(a.update({ position: 1, wait: null }), "You are next in line.");
  assert.equal(a.clear(), null);
  assert.equal(a.clear(), undefined);
});
