// The admins' Desks tab rules (widget/dashboard/desks-admin.js), with node --test: hours typed
// per day, the list's summaries, time zones, closed dates, and the form <-> Queue body of
// POST/PUT /api/queues (docs/desks.md), plus the desk REST calls in api.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addDate, cardSummary, checkZone, deskNames, deskToForm, fieldOfMessage, formatSeconds, formatSpans, formToBody,
  hoursSummary, isDate, parseSpans, removeDate, rolloverSummary, rolloverTargets, suggestId, timeZones, WEEKDAYS,
} from "../dashboard/desks-admin.js";
import { Api } from "../dashboard/api.js";

test("a day's hours as typed: ranges in time order, 24:00 allowed, forgiving spellings", () => {
  assert.deepEqual(parseSpans(""), { spans: [] }, "empty: closed that day");
  assert.deepEqual(parseSpans("  "), { spans: [] });
  assert.deepEqual(parseSpans("09:00-17:00"), { spans: [["09:00", "17:00"]] });
  assert.deepEqual(parseSpans("13:00-17:00, 9-12"), { spans: [["09:00", "12:00"], ["13:00", "17:00"]] });
  assert.deepEqual(parseSpans("9:30 to 12; 12:00–24:00"), { spans: [["09:30", "12:00"], ["12:00", "24:00"]] }, "touching is not overlapping");
  assert.deepEqual(parseSpans("0800-1200"), { spans: [["08:00", "12:00"]] });
  assert.deepEqual(parseSpans("00:00-24:00"), { spans: [["00:00", "24:00"]] });
});

test("a day's hours that cannot be: said in the admin's words", () => {
  assert.match(parseSpans("nine to five").error, /“nine to five” is not a time range like 09:00-17:00/);
  assert.match(parseSpans("09:00").error, /not a time range/);
  assert.match(parseSpans("17:00-09:00").error, /17:00-09:00 must open before it closes/);
  assert.match(parseSpans("09:00-09:00").error, /must open before it closes/);
  assert.match(parseSpans("09:00-13:00, 12:00-17:00").error, /09:00-13:00 and 12:00-17:00 overlap/);
  assert.match(parseSpans("24:30-25:00").error, /not a time range/);
  assert.match(parseSpans("09:60-10:00").error, /not a time range/);
  assert.match(parseSpans("1-2,3-4,5-6,7-8,9-10,11-12,13-14").error, /at most 6 time ranges a day/);
});

test("the form shows a day's spans back the way they are typed", () => {
  assert.equal(formatSpans([["09:00", "12:00"], ["13:00", "17:00"]]), "09:00-12:00, 13:00-17:00");
  assert.equal(formatSpans([]), "");
  assert.equal(formatSpans(undefined), "");
  const typed = "09:00-12:00, 13:00-17:00";
  assert.equal(formatSpans(parseSpans(typed).spans), typed);
});

test("the list's hours: always open, or equal days grouped, closed days named", () => {
  assert.equal(hoursSummary(null), "Always open");
  assert.equal(hoursSummary(undefined), "Always open");
  const nine = [["09:00", "17:00"]];
  assert.equal(hoursSummary({ mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [["10:00", "14:00"]], sun: [] }),
    "Mon–Fri 09:00–17:00 · Sat 10:00–14:00 · Sun closed");
  assert.equal(hoursSummary({ mon: nine, wed: nine }), "Mon 09:00–17:00 · Tue closed · Wed 09:00–17:00 · Thu–Sun closed");
  assert.equal(hoursSummary({}), "Closed every day");
  assert.equal(hoursSummary({ mon: [["09:00", "12:00"], ["13:00", "17:00"]] }).split(" · ")[0], "Mon 09:00–12:00, 13:00–17:00");
});

test("rollover, card and seconds for the list", () => {
  assert.equal(formatSeconds(45), "45 s");
  assert.equal(formatSeconds(60), "1 min");
  assert.equal(formatSeconds(90), "1 min 30 s");
  assert.equal(formatSeconds(7200), "2 h");
  assert.equal(formatSeconds(3661), "1 h 1 min 1 s");
  assert.equal(rolloverSummary(null), "None");
  assert.equal(rolloverSummary({ to: "coop", after_seconds: 60 }, { coop: "Co-op desk" }), "After 1 min to Co-op desk");
  assert.equal(rolloverSummary({ to: "gone", after_seconds: 30 }, {}), "After 30 s to gone", "an unknown desk by its id");
  assert.equal(cardSummary(null), "None");
  assert.equal(cardSummary({ text: "Parking: lot B", reviewed_on: "2026-11-01" }), "Reviewed 2026-11-01");
  assert.equal(cardSummary({ text: "Parking: lot B", reviewed_on: null }), "Not reviewed");
  assert.deepEqual(deskNames([{ id: "law", name: "Law Library" }, { id: "x" }, null]), { law: "Law Library", x: "x" });
});

test("time zones: the browser's list (UTC in it) and a check that corrects only the case", () => {
  const fake = { supportedValuesOf: (k) => (k === "timeZone" ? ["Europe/Paris", "America/New_York"] : []) };
  assert.deepEqual(timeZones(fake), ["America/New_York", "Europe/Paris", "UTC"]);
  assert.deepEqual(timeZones({}), [], "an older browser: no list, the text box alone");
  assert.deepEqual(timeZones({ supportedValuesOf: () => { throw new RangeError("no"); } }), []);
  const real = timeZones();
  assert.ok(real.length === 0 || (real.includes("America/New_York") && real.includes("UTC")));
  assert.equal(checkZone("America/New_York"), "America/New_York");
  assert.equal(checkZone(" america/new_york "), "America/New_York");
  assert.equal(checkZone("UTC"), "UTC");
  assert.equal(checkZone("Mars/Olympus_Mons"), null);
  assert.equal(checkZone(""), null);
  assert.equal(checkZone("Anything/Goes", {}), "Anything/Goes", "without Intl the service decides");
});

test("desk ids from names, dates checked and kept sorted once", () => {
  assert.equal(suggestId("Law Library"), "law-library");
  assert.equal(suggestId("  Bibliothèque  Centrale! "), "bibliotheque-centrale");
  assert.equal(suggestId("---"), "");
  assert.equal(suggestId("a".repeat(40)).length, 32);
  assert.ok(isDate("2026-12-25"));
  assert.ok(isDate("2028-02-29"));
  assert.ok(!isDate("2026-02-30"));
  assert.ok(!isDate("25/12/2026"));
  assert.deepEqual(addDate(["2026-12-31"], "2026-12-25"), ["2026-12-25", "2026-12-31"]);
  assert.deepEqual(addDate(["2026-12-25"], "2026-12-25"), ["2026-12-25"]);
  assert.deepEqual(addDate([], "nope"), []);
  assert.deepEqual(removeDate(["2026-12-25", "2026-12-31"], "2026-12-25"), ["2026-12-31"]);
  assert.deepEqual(rolloverTargets([{ id: "a" }, { id: "b" }, null], "a").map((q) => q.id), ["b"]);
  assert.deepEqual(rolloverTargets([{ id: "a" }], null).map((q) => q.id), ["a"]);
});

const LAW = {
  id: "law", name: "Law Library", library: "State University", timezone: "America/New_York",
  hours: { mon: [["09:00", "12:00"], ["13:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [], thu: [], fri: [], sat: [], sun: [] },
  closed_dates: ["2026-12-31", "2026-12-25"], rollover: { to: "coop", after_seconds: 90 },
  card: { text: "Parking: lot B. https://law.example.edu", reviewed_on: "2026-11-01" }, enabled: true,
};

test("a desk in the form and back: the PUT body is the desk as it was (id left out)", () => {
  const form = deskToForm(LAW);
  assert.equal(form.days.mon, "09:00-12:00, 13:00-17:00");
  assert.equal(form.days.wed, "");
  assert.equal(form.alwaysOpen, false);
  assert.deepEqual(form.closedDates, ["2026-12-25", "2026-12-31"]);
  assert.equal(form.rolloverTo, "coop");
  assert.equal(form.rolloverAfter, "90");
  const { body, errors } = formToBody(form, { creating: false });
  assert.equal(errors, undefined);
  assert.deepEqual(body, {
    name: "Law Library", library: "State University", timezone: "America/New_York",
    hours: LAW.hours, closed_dates: ["2026-12-25", "2026-12-31"], rollover: { to: "coop", after_seconds: 90 },
    card: LAW.card, enabled: true,
  });
  assert.ok(!("id" in body), "a desk's id never changes");
});

test("a new desk: id required and checked, weekday hours to start from, always open by default", () => {
  const form = deskToForm(null, { timezone: "Europe/Paris" });
  assert.equal(form.alwaysOpen, true);
  assert.equal(form.timezone, "Europe/Paris");
  assert.equal(form.days.mon, "09:00-17:00");
  assert.equal(form.days.sat, "");
  assert.equal(form.enabled, true);
  const missing = formToBody({ ...form, name: "" }, { creating: true });
  assert.deepEqual(missing.errors.map((e) => e.field), ["name", "id"], "in the order of the form");
  const badId = formToBody({ ...form, id: "Law Library", name: "Law" }, { creating: true });
  assert.deepEqual(badId.errors.map((e) => e.field), ["id"]);
  const ok = formToBody({ ...form, id: "law", name: " Law Library ", library: "  " }, { creating: true });
  assert.deepEqual(ok.body, {
    id: "law", name: "Law Library", timezone: "Europe/Paris", hours: null, closed_dates: [], rollover: null, card: null,
  }, "no library, no enabled: the service's defaults (enabled true)");
  const off = formToBody({ ...form, id: "law", name: "Law", enabled: false }, { creating: true });
  assert.equal(off.body.enabled, false, "a desk made switched off says so");
  const edit = formToBody({ ...form, name: "Law", library: "" }, { creating: false });
  assert.equal(edit.body.library, null, "an emptied library is removed");
});

test("the form's problems point at their fields", () => {
  const form = {
    ...deskToForm(LAW), timezone: "Nowhere/Atlantis", days: { ...deskToForm(LAW).days, tue: "17-9" },
    rolloverAfter: "5", cardText: "", cardReviewed: "2026-11-01",
  };
  const { errors } = formToBody(form, { creating: false });
  assert.deepEqual(errors.map((e) => e.field), ["timezone", "day-tue", "rollover-after", "card-text"]);
  assert.match(errors[1].text, /^Tuesday: 17:00-09:00 must open before it closes/);
  assert.match(errors[2].text, /from 10 to 86400/);
  const self = formToBody({ ...deskToForm(null), id: "a", name: "A", rolloverTo: "a" }, { creating: true });
  assert.deepEqual(self.errors.map((e) => e.field), ["rollover-to"]);
  const tooLong = formToBody({ ...deskToForm(LAW), cardText: "x".repeat(4001) }, { creating: false });
  assert.deepEqual(tooLong.errors.map((e) => e.field), ["card-text"]);
  const always = formToBody({ ...deskToForm(LAW), alwaysOpen: true, days: { mon: "rubbish" } }, { creating: false });
  assert.equal(always.body.hours, null, "always open: the day boxes do not matter");
  const noRollover = formToBody({ ...deskToForm(LAW), rolloverTo: "", rolloverAfter: "" }, { creating: false });
  assert.equal(noRollover.body.rollover, null);
  assert.deepEqual(Object.keys(formToBody({ ...deskToForm(LAW), alwaysOpen: false }).body.hours), WEEKDAYS);
});

test("a service refusal is placed at the field its message names", () => {
  assert.equal(fieldOfMessage("this rollover would make a loop: a -> b -> a"), "rollover-to");
  assert.equal(fieldOfMessage("rollover target 'x' is not a desk"), "rollover-to");
  assert.equal(fieldOfMessage("'rollover.after_seconds' is required"), "rollover-after");
  assert.equal(fieldOfMessage("'timezone' must be an IANA time zone such as 'America/New_York'"), "timezone");
  assert.equal(fieldOfMessage("'hours.wed': 09:00-13:00 overlaps the next opening"), "day-wed");
  assert.equal(fieldOfMessage("there is already a desk 'law'"), "id");
  assert.equal(fieldOfMessage("'card.reviewed_on' must be a date as YYYY-MM-DD"), "card-reviewed");
  assert.equal(fieldOfMessage("'name' must not be empty"), "name");
  assert.equal(fieldOfMessage("something else"), null);
  assert.equal(fieldOfMessage(undefined), null);
});

function fakeFetch(respond) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init, body: typeof init.body === "string" ? JSON.parse(init.body) : init.body });
    const { status = 200, body } = (await respond(url, init)) || {};
    return { ok: status >= 200 && status < 300, status, json: async () => body ?? {} };
  };
  return { fn, calls };
}

test("desk REST calls: list, create, edit (the id in the path), refusals as ApiErrors", async () => {
  const f = fakeFetch((url, init) => (init.method === "PUT" && url.endsWith("/queues/a")
    ? { status: 400, body: { error: { code: "bad_request", message: "this rollover would make a loop: a -> b -> a" } } }
    : { status: init.method === "POST" ? 201 : 200, body: { queues: [], id: "law" } }));
  const api = new Api("http://x/api", f.fn);
  api.token = "t";
  await api.queues();
  await api.createQueue({ id: "law", name: "Law" });
  await api.updateQueue("law/x", { name: "Law" });
  assert.deepEqual(f.calls.map((c) => [c.init.method, c.url]), [
    ["GET", "http://x/api/queues"], ["POST", "http://x/api/queues"], ["PUT", "http://x/api/queues/law%2Fx"]]);
  assert.deepEqual(f.calls[1].body, { id: "law", name: "Law" });
  assert.equal(f.calls[2].init.headers.Authorization, "Bearer t");
  await assert.rejects(api.updateQueue("a", { rollover: { to: "b", after_seconds: 60 } }),
    (e) => e.status === 400 && e.code === "bad_request" && e.message === "this rollover would make a loop: a -> b -> a");
});
