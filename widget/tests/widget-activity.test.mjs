// Typing notices (a notice at once, the draft on pauses, few frames a message, nothing while
// queued) and presence reporting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PresenceReporter, TYPING_IDLE_MS, TYPING_KEEPALIVE_MS, TYPING_MAX_INTERVAL_MS, TYPING_MIN_GAP_MS,
  TYPING_PAUSE_MS, TypingNotifier, presenceFor } from "../patron/activity.js";
import { clock } from "./fake-clock.mjs";


function notifier(extra = {}) {
  const c = clock();
  const sent = [];
  const n = new TypingNotifier({ send: (typing, preview) => sent.push(typing ? ["on", preview] : ["off"]),
    setTimeout: c.setTimeout, clearTimeout: c.clearTimeout, now: () => c.now, active: true, ...extra });
  return { c, sent, n };
}

/** Type `text` one character every 1000/cps ms (the first at once); Enter one keystroke later. */
function typeOut(c, n, text, cps = 3) {
  const step = 1000 / cps;
  for (let i = 1; i <= text.length; i += 1) {
    n.input(text.slice(0, i));
    c.advance(step);
  }
}

const SIXTY = "Hello, do you have the third edition of Dune on the shelves?";

test("the cadence is exported for the cost benchmark, and is what an instance uses by default", () => {
  assert.deepEqual([TYPING_PAUSE_MS, TYPING_MAX_INTERVAL_MS, TYPING_MIN_GAP_MS, TYPING_KEEPALIVE_MS, TYPING_IDLE_MS],
    [1500, 10000, 4000, 10000, 10000]);
  const n = new TypingNotifier({ send: () => true });
  assert.deepEqual([n.pause, n.maxInterval, n.minGap, n.keepAlive, n.idle, n.active], [1500, 10000, 4000, 10000, 10000, false]);
});

test("the first keystroke sends typing with the draft at once", () => {
  const { sent, n } = notifier();
  n.input("W");
  assert.deepEqual(sent, [["on", "W"]]);
});

test("a 60-character message typed at 3 a second costs a handful of frames, and no 'stopped' after the send", () => {
  assert.equal(SIXTY.length, 60);
  const { c, sent, n } = notifier();
  typeOut(c, n, SIXTY);
  n.stop(); // Enter: the message goes, the dashboard clears the notice when it arrives
  c.advance(60000);
  assert.ok(sent.length <= 6, `${sent.length} frames`);
  assert.equal(sent.length, 2, "at once, then after 10 s of the 20 s of steady typing");
  assert.deepEqual(sent[0], ["on", "H"]);
  assert.ok(sent.every(([kind]) => kind === "on"), "no typing false after a send");
  // each draft is what was typed by then: a useful view for the librarian while it goes on
  assert.deepEqual(sent.map(([, preview]) => preview.length), [1, 31]);
  assert.ok(sent.slice(1).every(([, preview]) => SIXTY.startsWith(preview)));
});

test("a pause delivers the latest draft once; nothing more while it lasts", () => {
  const { c, sent, n } = notifier();
  n.input("W");
  for (const text of ["Wh", "Whe", "Wher", "Where"]) {
    c.advance(300);
    n.input(text);
  }
  assert.equal(sent.length, 1, "typing on: nothing before the pause or the 10 s mark");
  c.advance(TYPING_PAUSE_MS); // paused at 2.7 s: within 4 s of the notice, so at the 4 s mark
  assert.equal(sent.length, 1);
  c.advance(TYPING_MIN_GAP_MS - 1200 - TYPING_PAUSE_MS - 1);
  assert.equal(sent.length, 1);
  c.advance(1);
  assert.deepEqual(sent, [["on", "W"], ["on", "Where"]], "the pause brings the latest draft");
  c.advance(3000);
  assert.equal(sent.length, 2, "no repeat while nothing changes");
  n.input("Where is");
  assert.equal(sent.length, 2, "typing again inside 10 s of the last draft: wait for the next pause");
  c.advance(TYPING_PAUSE_MS); // 3 s + 1.5 s after the last draft: past the gap
  assert.deepEqual(sent.at(-1), ["on", "Where is"]);
});

test("a patron who pauses after every word costs a draft per 4 s, not one per word", () => {
  const { c, sent, n } = notifier();
  let draft = "";
  for (const word of "where do I find the old maps of the town please".split(" ")) {
    for (const ch of `${word} `) {
      draft += ch;
      n.input(draft);
      c.advance(200);
    }
    c.advance(TYPING_PAUSE_MS + 100); // a pause after each word
  }
  c.advance(TYPING_MIN_GAP_MS); // the last pause's draft waits out the gap if it must
  const drafts = sent.slice(1);
  assert.ok(drafts.length >= 3, `the pauses bring drafts: ${drafts.length}`);
  assert.ok(drafts.length <= Math.ceil(c.now / TYPING_MIN_GAP_MS), `${drafts.length} drafts in ${c.now} ms`);
  assert.deepEqual(sent.at(-1), ["on", draft], "the last pause brings the whole draft");
});

test("the same draft after a pause is not sent again (a cursor move, an undo back to it)", () => {
  const { c, sent, n } = notifier();
  n.input("Hello");
  c.advance(TYPING_PAUSE_MS);
  assert.equal(sent.length, 1, "the notice already carried this draft");
  n.input("Hello!");
  n.input("Hello");
  c.advance(TYPING_PAUSE_MS);
  assert.equal(sent.length, 1);
});

test("an emptied draft sends 'stopped' once; a draft left alone sends it once, after the idle time", () => {
  const { c, sent, n } = notifier();
  n.input("Hello");
  n.input("");
  assert.deepEqual(sent, [["on", "Hello"], ["off"]]);
  n.input("   ");
  n.input("");
  c.advance(60000);
  assert.deepEqual(sent, [["on", "Hello"], ["off"]], "only once, and no timer left behind");
  n.input("Hi");
  assert.deepEqual(sent.at(-1), ["on", "Hi"], "typing again: a notice at once");
  c.advance(TYPING_IDLE_MS - 1);
  assert.deepEqual(sent.at(-1), ["on", "Hi"]);
  c.advance(1);
  assert.deepEqual(sent.at(-1), ["off"], "abandoned");
  c.advance(60000);
  assert.equal(sent.length, 4);
});

test("a send says nothing and leaves no timer; the next message starts with a notice", () => {
  const { c, sent, n } = notifier();
  n.input("x");
  n.stop();
  c.advance(60000);
  assert.deepEqual(sent, [["on", "x"]]);
  n.input("y");
  assert.deepEqual(sent.at(-1), ["on", "y"]);
});

test("nothing at all while the chat is not active (queued); claimed: the next keystroke is a notice", () => {
  const { c, sent, n } = notifier({ active: false });
  typeOut(c, n, "Are you there?");
  n.input("");
  c.advance(60000);
  assert.deepEqual(sent, []);
  n.setActive(true);
  assert.deepEqual(sent, [], "claiming sends nothing by itself");
  n.input("Are you there?!");
  assert.deepEqual(sent, [["on", "Are you there?!"]]);
  n.setActive(false); // back in the queue, or ended: silent, and no timer fires later
  c.advance(60000);
  n.input("more");
  assert.deepEqual(sent, [["on", "Are you there?!"]]);
});

test("previews off: the notice only, kept alive every 10 s while typing goes on, no draft on pauses", () => {
  const { c, sent, n } = notifier({ previews: () => false });
  typeOut(c, n, SIXTY);
  c.advance(TYPING_PAUSE_MS);
  n.stop();
  assert.deepEqual(sent.map(([kind]) => kind), ["on", "on"], "at once and at the 10 s mark");
  assert.ok(sent.length <= 3);
});

test("a frame that could not go out (not connected) is tried again at the next keystroke", () => {
  let up = false;
  const c = clock();
  const sent = [];
  const n = new TypingNotifier({ active: true, setTimeout: c.setTimeout, clearTimeout: c.clearTimeout, now: () => c.now,
    send: (typing, preview) => (up ? sent.push([typing, preview]) > 0 : false) });
  n.input("a");
  up = true;
  n.input("ab");
  assert.deepEqual(sent, [[true, "ab"]]);
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
