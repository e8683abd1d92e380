// The Chats tab's "today" line (widget/dashboard/today.js, docs/reports.md GET
// /api/reports/today): the words per desk, the seconds in words, and when it is asked: on
// showing the Chats tab, every minute while in view, soon after queued / claimed / ended chats
// (debounced), never while another tab is shown; against a fake REST api and a fake clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../dashboard/api.js";
import { decimal, seconds, share } from "../dashboard/strings-reports.js";
import { FRAME_DEBOUNCE_MS, FRESH_MS, REFRESH_MS, TodayLine, todayLines } from "../dashboard/today.js";
import { clock } from "./fake-clock.mjs";

test("seconds, shares and means in words", () => {
  assert.deepEqual([0, 41, 41.4, 118.5, 119.6, 120, 125, 600, 3599, 3600, 3720, 7200].map(seconds),
    ["0 s", "41 s", "41 s", "119 s", "2 min", "2 min", "2 min 5 s", "10 min", "59 min 59 s", "1 h", "1 h 2 min", "2 h"]);
  assert.equal(seconds(null), "");
  assert.equal(seconds(Number.NaN), "");
  assert.equal(share(0.686), "69%");
  assert.equal(share(null), "");
  assert.equal(decimal(4.444), "4.4");
});

const TODAY = {
  desks: [
    { id: "central", name: "Central Library desk", waiting: 2, claimed: 14, p50: 35.0, p90: 80.4 },
    { id: "coop", name: "Ask Us 24/7 (co-op)", waiting: 0, claimed: 0, p50: null, p90: null },
  ],
  target_seconds: 60,
};

test("one line per desk: waiting now, today's p50 and p90 against the target", () => {
  const lines = todayLines(TODAY);
  assert.deepEqual(lines.map((l) => l.text), [
    "Central Library desk: Today: 2 waiting, wait to claim p50 35 s, p90 80 s (target 60 s)",
    "Ask Us 24/7 (co-op): Today: 0 waiting, no chat claimed yet (target 60 s)",
  ]);
  assert.deepEqual(lines.map((l) => l.id), ["central", "coop"]);
  assert.equal(todayLines(TODAY, (id) => `Desk ${id}`)[0].name, "Desk central");
  assert.equal(todayLines({ desks: [{ id: "x", waiting: 1, p50: 200, p90: 700 }] })[0].line,
    "Today: 1 waiting, wait to claim p50 3 min 20 s, p90 11 min 40 s");
  assert.deepEqual(todayLines(null), []);
  assert.deepEqual(todayLines({ desks: [{ name: "no id" }] }), []);
});

function setup(o = {}) {
  const c = clock();
  const shown = [];
  let hidden = 0;
  const view = { show: (lines) => shown.push(lines), hide: () => { hidden += 1; } };
  let visible = true;
  const calls = [];
  const api = {
    reportToday: async () => {
      calls.push(c.now);
      if (o.error) throw o.error;
      return TODAY;
    },
  };
  const line = new TodayLine({ api, view, visible: () => visible, setTimeout: c.setTimeout, clearTimeout: c.clearTimeout,
    now: () => c.now, ...o.extra });
  return { c, line, shown, calls, hidden: () => hidden, setVisible: (v) => { visible = v; } };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test("shown: asked at once, then every minute while the Chats tab is in view; stopped when it is not", async () => {
  const t = setup();
  await t.line.shown();
  assert.deepEqual(t.calls, [0]);
  assert.equal(t.shown.length, 1);
  t.c.advance(REFRESH_MS - 1);
  assert.equal(t.calls.length, 1);
  t.c.advance(1);
  await settle();
  assert.deepEqual(t.calls, [0, REFRESH_MS]);
  t.setVisible(false);
  t.line.shown(); // another tab
  t.c.advance(5 * REFRESH_MS);
  await settle();
  assert.equal(t.calls.length, 2, "not asked while another tab is shown");
  t.setVisible(true);
  await t.line.shown();
  assert.equal(t.calls.length, 3, "back on the Chats tab: fresh at once");
  assert.equal(t.c.timers.length, 1, "one minute timer, never two");
  t.c.advance(FRESH_MS - 1);
  t.setVisible(false);
  t.line.shown();
  t.setVisible(true);
  await t.line.shown();
  assert.equal(t.calls.length, 3, "back again within seconds: the line shown is fresh enough");
  assert.equal(t.c.timers.length, 1, "and the minute's refresh still comes");
  t.c.advance(REFRESH_MS - FRESH_MS + 1);
  await settle();
  assert.equal(t.calls.length, 4);
});

test("frames: a burst of queued and claimed chats makes one request, soon after", async () => {
  const t = setup();
  await t.line.shown();
  for (const type of ["chat.queued", "chat.claimed", "chat.queued", "chat.ended", "message"]) t.line.onFrame({ type });
  t.line.onFrame({ type: "chat.typing" });
  t.c.advance(FRAME_DEBOUNCE_MS - 1);
  assert.equal(t.calls.length, 1);
  t.c.advance(1);
  await settle();
  assert.equal(t.calls.length, 2, "one request for the burst");
  t.line.onFrame({ type: "staff.message" });
  t.c.advance(FRAME_DEBOUNCE_MS);
  await settle();
  assert.equal(t.calls.length, 2, "other frames change nothing");
  t.setVisible(false);
  t.line.onFrame({ type: "chat.queued" });
  t.c.advance(FRAME_DEBOUNCE_MS);
  await settle();
  assert.equal(t.calls.length, 2, "not while another tab is shown");
});

test("asked again while a request is out: one more after it, not two at once", async () => {
  const t = setup();
  const first = t.line.refresh();
  const second = t.line.refresh();
  assert.equal(t.calls.length, 1);
  await first;
  await second;
  await settle();
  assert.equal(t.calls.length, 2);
});

test("a service without the route (or a librarian refused it): hidden, and no longer asked", async () => {
  const t = setup({ error: new ApiError(404, "not_found") });
  await t.line.shown();
  assert.equal(t.hidden(), 1);
  t.c.advance(3 * REFRESH_MS);
  t.line.onFrame({ type: "chat.queued" });
  t.c.advance(FRAME_DEBOUNCE_MS);
  await t.line.shown();
  assert.equal(t.calls.length, 1);

  const blip = setup({ error: new ApiError(0, "network") });
  await blip.line.shown();
  assert.equal(blip.hidden(), 0, "offline for a moment: the last line stays");
  blip.c.advance(REFRESH_MS);
  await settle();
  assert.equal(blip.calls.length, 2, "and it is asked again next minute");

  let lost = 0;
  const gone = setup({ error: new ApiError(401, "unauthorized"), extra: { onAuthLost: () => { lost += 1; } } });
  await gone.line.shown();
  assert.equal(lost, 1);
});

test("no desks to show: the line is hidden", async () => {
  const c = clock();
  let hidden = 0;
  const line = new TodayLine({ api: { reportToday: async () => ({ desks: [], target_seconds: 60 }) },
    view: { show: () => assert.fail("nothing to show"), hide: () => { hidden += 1; } }, visible: () => true,
    setTimeout: c.setTimeout, clearTimeout: c.clearTimeout });
  assert.deepEqual(await line.shown(), []);
  assert.equal(hidden, 1);
});
