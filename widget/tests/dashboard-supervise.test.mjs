// The Supervise tab's controller (supervise.js) on a recording view: the live view loaded and
// refreshed, a look into one chat (observe, its messages once each, typing, the end), the
// take-over handing the chat to its own tab, refusals in words, and a reconnect looking in again.
import test from "node:test";
import assert from "node:assert/strict";

import { SuperviseController, supervises } from "../dashboard/supervise.js";

const LIVE = {
  desks: [{ id: "general", name: "Ask a librarian", waiting: 0, active: 1, online: 2, observer_notice: false }],
  librarians: [{ id: "libby", name: "Libby", online: true, active_chats: 1, limit: 3, queues: null }],
  chats: [{ chat_id: "c1", queue: "general", status: "active", patron_name: "Pat", question: "Atlases?",
    operator: { id: "libby", name: "Libby" }, observers: 0 }],
};

function setup({ api = {}, send = true } = {}) {
  const calls = [];
  const view = new Proxy({}, { get: (_, name) => (...args) => calls.push([name, ...args]) });
  const frames = [];
  const timers = { setTimeout: (fn) => { fn.pending = true; return fn; }, clearTimeout() {},
    setInterval: () => 1, clearInterval() {} };
  const opened = [];
  const forgotten = [];
  const c = new SuperviseController({
    api: { supervision: async () => LIVE, ...api }, view,
    send: (f) => (send ? frames.push(f) > 0 : false),
    me: () => ({ id: "sam", role: "supervisor" }), visible: () => true,
    confirm: async () => true, openChat: (id) => opened.push(id), deskLabel: (id) => `desk ${id}`, timers,
    forget: (id) => forgotten.push(id),
  });
  return { c, calls, frames, opened, forgotten, of: (name) => calls.filter((x) => x[0] === name).map((x) => x.slice(1)) };
}

test("who supervises: admins and supervisors", () => {
  assert.equal(supervises({ role: "admin" }), true);
  assert.equal(supervises({ role: "supervisor" }), true);
  assert.equal(supervises({ role: "librarian" }), false);
  assert.equal(supervises(null), false);
});

test("shown: the live view is loaded and drawn; a refusal is said in words", async () => {
  const s = setup();
  s.c.shown();
  await new Promise((r) => setImmediate(r));
  assert.equal(s.of("render")[0][0], LIVE);
  const refused = setup({ api: { supervision: async () => { const e = new Error("no"); e.status = 403; throw e; } } });
  await refused.c.refresh();
  assert.deepEqual(refused.of("setNotice").at(-1), ["Only admins and supervisors see the live view."]);
});

test("looking in: observe goes out, the conversation arrives once, typing and the end show", async () => {
  const s = setup();
  await s.c.refresh();
  s.c.watch("c1");
  assert.equal(s.frames[0].action, "observe");
  assert.match(s.frames[0].request_id, /^sv-observe-/);
  assert.equal(s.of("openWatch")[0][0].patron_name, "Pat");
  s.c.onFrame({ type: "observing", chat_id: "c1", observing: true, chat: LIVE.chats[0] });
  assert.deepEqual(s.of("watchStatus").at(-1), ["You are looking in read-only. The patron is not told (desk policy).", "info"]);
  const m = { seq: 1, text: "Atlases?", sender: { role: "patron", name: "Pat" } };
  s.c.onMessage("c1", m);
  s.c.onMessage("c1", m); // the backlog and a reconnect's backlog: once
  s.c.onMessage("other", { seq: 2, text: "not this chat" });
  assert.equal(s.of("watchMessage").length, 1);
  s.c.onFrame({ type: "chat.typing", chat_id: "c1", role: "operator", typing: true });
  assert.deepEqual(s.of("watchTyping").at(-1), ["Libby is typing…"]);
  s.c.onFrame({ type: "chat.ended", chat_id: "c1", ended_by: "operator", by: { id: "ada", name: "Ada" } });
  assert.deepEqual(s.of("watchEnded").at(-1), ["The chat has ended (Ada ended it)."]);
  s.c.takeOver(); // nothing to take over any more
  assert.equal(s.frames.filter((f) => f.action === "take_over").length, 0);
});

test("take over: the frame goes out; once it is mine the look closes and its tab opens", async () => {
  const s = setup();
  await s.c.refresh();
  s.c.watch("c1");
  s.c.takeOver();
  assert.equal(s.frames.at(-1).action, "take_over");
  s.c.onFrame({ type: "chat.transferred", chat_id: "c1", from: { id: "libby" }, to: { id: "sam", name: "Sam" }, taken_over: true });
  assert.deepEqual(s.opened, ["c1"]);
  assert.equal(s.c.watching, null);
  assert.equal(s.of("closeWatch").length, 1);
});

test("a refused take-over is said where the supervisor looks; other errors are not ours", async () => {
  const s = setup();
  await s.c.refresh();
  s.c.watch("c1");
  s.c.takeOver();
  s.c.onFrame({ type: "error", code: "capacity", request_id: s.frames.at(-1).request_id, message: "full" });
  assert.match(s.of("watchStatus").at(-1)[0], /^Could not take the chat over: You already hold as many chats/);
  const before = s.calls.length;
  s.c.onFrame({ type: "error", code: "forbidden", request_id: "claim-123", message: "x" });
  assert.equal(s.calls.length, before);
});

test("a reconnect looks in again; ending asks first; stop leaves", async () => {
  const s = setup();
  await s.c.refresh();
  s.c.watch("c1");
  s.c.onWelcome();
  assert.deepEqual(s.frames.map((f) => f.action), ["observe", "observe"]);
  await s.c.end();
  assert.equal(s.frames.at(-1).action, "end");
  s.c.stop();
  assert.equal(s.frames.at(-1).action, "unobserve");
  assert.equal(s.c.watching, null);
  assert.deepEqual(s.forgotten, ["c1"], "a reconnect no longer resumes it");
  const offline = setup({ send: false });
  await offline.c.refresh();
  offline.c.watch("c1");
  assert.match(offline.of("watchStatus").at(-1)[0], /not connected/i);
});
