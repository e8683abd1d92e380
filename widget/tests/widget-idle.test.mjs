// The warning before a waiting chat is given up (stay.js, WCAG 2.2.1), on a fake clock: it
// appears 30 s (>= 20 s) before the service's ABANDON_AFTER_SECONDS would end the chat,
// counts down, goes when the connection is back, and never shows for a claimed chat or an
// open connection. The setting reaches the frame from config.json, ?abandon= and the embed's
// data-abandon-after.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { clock } from "./fake-clock.mjs";
import { ABANDON_AFTER_SECONDS, AbandonWarning, WARN_LEAD_SECONDS } from "../patron/stay.js";
import { fromFile, fromQuery } from "../patron/config.js";
import { ChatConnection } from "../patron/connection.js";

function fakeView() {
  const v = { shown: null, calls: [] };
  v.showStayWarning = (s) => { v.shown = s; v.calls.push(["show", s]); };
  v.updateStayWarning = (s) => { v.shown = s; v.calls.push(["update", s]); };
  v.hideStayWarning = () => { v.shown = null; v.calls.push(["hide"]); };
  v.setConnection = () => {};
  v.setPending = () => {};
  return v;
}

function warning(c, view, extra = {}) {
  return new AbandonWarning({ view, now: () => c.now, setTimeout: c.setTimeout, clearTimeout: c.clearTimeout, ...extra });
}

test("the defaults match the service's and leave at least 20 s", () => {
  assert.equal(ABANDON_AFTER_SECONDS, 120);
  assert.ok(WARN_LEAD_SECONDS >= 20);
});

test("a waiting chat's dropped connection: warned 30 s before the end, then counted down to 0", () => {
  const c = clock();
  const view = fakeView();
  let warned = 0;
  const w = warning(c, view, { onWarn: () => { warned += 1; } });
  w.connectionChanged("reconnecting", true);
  c.advance(89_999);
  assert.equal(view.shown, null, "not before 90 s of 120");
  c.advance(1);
  assert.deepEqual(view.calls, [["show", 30]]);
  assert.equal(warned, 1);
  c.advance(10_000);
  assert.equal(view.shown, 20);
  w.connectionChanged("reconnecting", true); // another failed try: the clock is not restarted
  c.advance(20_000);
  assert.equal(view.shown, 0);
  const calls = view.calls.length;
  c.advance(60_000);
  assert.equal(view.calls.length, calls, "no ticks after the end");
});

test("the connection is back (Stay connected worked): the warning goes and the clock stops", () => {
  const c = clock();
  const view = fakeView();
  const w = warning(c, view);
  w.connectionChanged("reconnecting", true);
  c.advance(95_000);
  assert.equal(view.shown, 25);
  w.connectionChanged("open", true);
  assert.deepEqual(view.calls.at(-1), ["hide"]);
  c.advance(60_000);
  assert.equal(view.shown, null);
  w.connectionChanged("reconnecting", true); // a later drop counts afresh
  c.advance(89_000);
  assert.equal(view.shown, null);
  c.advance(1_000);
  assert.equal(view.shown, 30);
});

test("no warning for a claimed chat, an open connection or one closed for good", () => {
  const c = clock();
  const view = fakeView();
  const w = warning(c, view);
  w.connectionChanged("reconnecting", false); // claimed: the service does not give it up
  w.connectionChanged("open", true);
  c.advance(600_000);
  assert.deepEqual(view.calls, []);
  w.connectionChanged("reconnecting", true);
  c.advance(100_000);
  w.connectionChanged("closed", true);
  assert.equal(view.shown, null);
});

test("a shortened limit (configuration): shown at once when it is no longer than the lead", () => {
  const c = clock();
  const view = fakeView();
  warning(c, view, { abandonAfter: 25 }).connectionChanged("connecting", true);
  c.advance(0);
  assert.equal(view.shown, 25);
  const v2 = fakeView();
  warning(c, v2, { abandonAfter: 36 }).connectionChanged("reconnecting", true);
  c.advance(6_000);
  assert.equal(v2.shown, 30);
});

test("the limit comes from config.json, ?abandon= and the embed's data-abandon-after", () => {
  assert.equal(fromFile({ abandonAfterSeconds: 300 }).abandonAfter, 300);
  assert.equal(fromQuery("?abandon=45").abandonAfter, 45);
  for (const bad of ["?abandon=0", "?abandon=-5", "?abandon=1e3", "?abandon=abc", "?abandon=1234567"]) {
    assert.equal(fromQuery(bad).abandonAfter, undefined, bad);
  }
  const sandbox = { URL, URLSearchParams };
  vm.runInNewContext(readFileSync(new URL("../embed.js", import.meta.url), "utf8"), sandbox);
  const { parseOptions, frameSrc } = sandbox.LibChatEmbed;
  const opts = parseOptions({ abandonAfter: "200" }, "https://chat.example.org/embed.js", "https://www.library.example/", "en");
  assert.match(frameSrc(opts, "https://www.library.example"), /[?&]abandon=200(&|$)/);
  const none = parseOptions({ abandonAfter: "soon" }, "https://chat.example.org/embed.js", "https://www.library.example/", "en");
  assert.doesNotMatch(frameSrc(none, "https://www.library.example"), /abandon=/);
});

test("ChatConnection: a queued chat's drop warns; Stay connected reconnects at once; open hides", () => {
  const c = clock();
  const view = fakeView();
  let reconnects = 0;
  const handlers = {};
  const client = { state: "open", on: (type, fn) => { handlers[type] = fn; }, connect() {}, disconnect() {},
    pending: () => [], reconnectNow: () => { reconnects += 1; } };
  const conn = new ChatConnection({ createClient: () => client, api: {}, view, page: { offline: () => true },
    now: () => c.now, timers: { setTimeout: c.setTimeout, clearTimeout: c.clearTimeout }, onGone() {}, abandonAfter: 40 });
  const session = { chat: { chat_id: "c1", token: "t", status: "queued" }, lastSeq: 0, outbox: [], transcript: { lastSeq: 0 } };
  conn.open(session, "ws://x/ws", {});
  handlers.state({ state: "reconnecting" });
  c.advance(10_000);
  assert.equal(view.shown, 30);
  conn.stayConnected();
  assert.equal(reconnects, 1);
  handlers.state({ state: "open" });
  assert.equal(view.shown, null);
  session.chat.status = "active"; // claimed: a later drop is no threat to it
  handlers.state({ state: "reconnecting" });
  c.advance(60_000);
  assert.equal(view.shown, null);
  conn.close();
});
