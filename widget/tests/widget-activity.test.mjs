// Typing notices (throttled preview, idle stop) and presence reporting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PresenceReporter, TypingNotifier, presenceFor } from "../patron/activity.js";
import { clock } from "./fake-clock.mjs";


function notifier(extra = {}) {
  const c = clock();
  const sent = [];
  const n = new TypingNotifier({ send: (typing, preview) => sent.push(typing ? ["on", preview] : ["off"]),
    setTimeout: c.setTimeout, clearTimeout: c.clearTimeout, now: () => c.now, ...extra });
  return { c, sent, n };
}

test("the first keystroke sends typing with the draft at once", () => {
  const { sent, n } = notifier();
  n.input("W");
  assert.deepEqual(sent, [["on", "W"]]);
});

test("previews are throttled to two a second, and the latest draft always gets through", () => {
  const { c, sent, n } = notifier();
  n.input("W");
  for (const [ms, text] of [[100, "Wh"], [100, "Whe"], [100, "Wher"]]) {
    c.advance(ms);
    n.input(text);
  }
  assert.equal(sent.length, 1, "nothing more inside the 500 ms window");
  c.advance(200); // t = 500: the trailing send carries the latest draft
  assert.deepEqual(sent, [["on", "W"], ["on", "Wher"]]);
  c.advance(600);
  assert.equal(sent.length, 2, "no repeat when nothing changed");
  n.input("Where");
  assert.deepEqual(sent.at(-1), ["on", "Where"], "window passed: sent at once");
});

test("three idle seconds, an emptied draft, or a send stop the notice, once", () => {
  const { c, sent, n } = notifier();
  n.input("Hello");
  c.advance(2999);
  assert.equal(sent.length, 1);
  c.advance(1);
  assert.deepEqual(sent.at(-1), ["off"]);
  n.input("Hello!");
  n.input("   ");
  assert.deepEqual(sent.slice(-2), [["on", "Hello!"], ["off"]]);
  n.stop();
  assert.deepEqual(sent.slice(-1), [["off"]], "stop when not typing sends nothing");
  n.input("x");
  n.stop();
  c.advance(10000);
  assert.deepEqual(sent.slice(-2), [["on", "x"], ["off"]], "no timer fires after stop");
});

test("previews are capped", () => {
  const { sent, n } = notifier({ maxPreview: 5 });
  n.input("abcdefghij");
  assert.deepEqual(sent, [["on", "abcde"]]);
});

test("presence: away while the tab is hidden or the panel is minimized", () => {
  assert.equal(presenceFor({ hidden: false, open: true }), "online");
  assert.equal(presenceFor({ hidden: true, open: true }), "away");
  assert.equal(presenceFor({ hidden: false, open: false }), "away");
});

test("presence changes are reported once; a reconnect compares with what the service knows", () => {
  const sent = [];
  let connected = true;
  const r = new PresenceReporter((state) => (connected ? sent.push(state) : false));
  assert.equal(r.update("away"), true);
  assert.equal(r.update("away"), false);
  assert.equal(r.update("online"), true);
  connected = false;
  assert.equal(r.update("away"), false, "not connected: nothing sent");
  connected = true;
  // after welcome the service says "online" (it sets that at hello); we are away
  assert.equal(r.update("away", { force: true, serverState: "online" }), true);
  assert.equal(r.update("online", { force: true, serverState: "online" }), false);
  assert.deepEqual(sent, ["away", "online", "away"]);
});
