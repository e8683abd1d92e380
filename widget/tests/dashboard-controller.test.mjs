// Unit tests of the dashboard controller (widget/dashboard/controller.js): server frames and
// librarian actions against a fake protocol client, a recording view and a fake REST api.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Dashboard } from "../dashboard/controller.js";
import { CONFLICT_TEXT } from "../dashboard/logic.js";
import { S } from "../dashboard/strings.js";
import { DashboardView } from "../dashboard/view.js";

class FakeClient {
  constructor() {
    this.handlers = new Map();
    this.sent = [];
    this.forgotten = [];
    this.accepted = [];
    this.online = true;
  }
  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(fn);
    return () => this.handlers.get(type).delete(fn);
  }
  emit(type, detail) {
    for (const fn of this.handlers.get(type) || []) fn(detail);
  }
  frame(f) {
    this.emit(f.type === "welcome" ? "welcome" : "frame", f);
  }
  record(frame) {
    if (!this.online) return false;
    this.sent.push(frame);
    return true;
  }
  claim(chat_id, request_id) { return this.record({ action: "claim", chat_id, request_id }); }
  end(chat_id, request_id) { return this.record({ action: "end", chat_id, request_id }); }
  closeChat(chat_id, request_id) { return this.record({ action: "close", chat_id, request_id }); }
  typing(chat_id, typing) { return this.record({ action: "typing", chat_id, typing }); }
  send(chat_id, text) {
    this.sent.push({ action: "send", chat_id, text });
    return "cmid";
  }
  pending() { return []; }
  forget(id) { this.forgotten.push(id); }
  acceptMessage(id, m) { this.accepted.push([id, m.seq]); }
  actions(name) { return this.sent.filter((f) => f.action === name); }
}

// The real view's interface: the fake answers to these names only, so a controller calling a
// method the DashboardView does not have (a typo, a rename) fails here instead of in a browser.
const VIEW_METHODS = new Set(Object.getOwnPropertyNames(DashboardView.prototype).filter((n) => n !== "constructor"));
const FAKE_ONLY = new Set(["calls", "state", "of", "last"]);

/** Records every call; `confirm` answers with `confirmAnswer`. Unknown names throw. */
function fakeView() {
  const calls = [];
  const state = { confirmAnswer: true, confirms: [] };
  const own = {
    calls,
    state,
    of: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)),
    last: (name) => own.of(name).at(-1),
    confirm: (opts) => {
      calls.push(["confirm", opts]);
      state.confirms.push(opts);
      return Promise.resolve(state.confirmAnswer);
    },
  };
  return new Proxy(own, {
    get(target, name) {
      if (name in target) return target[name];
      if (name === "then" || typeof name === "symbol") return undefined; // not a promise
      if (!VIEW_METHODS.has(name)) throw new TypeError(`DashboardView has no method ${String(name)}`);
      return (...args) => {
        calls.push([name, ...args]);
      };
    },
    set(target, name, value) {
      if (!VIEW_METHODS.has(name) && !FAKE_ONLY.has(name)) throw new TypeError(`DashboardView has no method ${String(name)}`);
      target[name] = value;
      return true;
    },
  });
}

test("the fake view only answers to the real DashboardView's methods", () => {
  const view = fakeView();
  for (const name of ["openPane", "updatePane", "addMessage", "setTyping", "announce", "confirm", "transferDialog"]) {
    assert.ok(VIEW_METHODS.has(name), name);
  }
  view.announce("x");
  assert.deepEqual(view.of("announce"), [["x"]]);
  assert.throws(() => view.announceLater("x"), /DashboardView has no method announceLater/);
  assert.throws(() => { view.updatePaneModel = () => {}; }, /no method updatePaneModel/);
});

class Timers {
  constructor() {
    this.list = [];
    this.id = 0;
    this.setTimeout = (fn, ms) => {
      this.id += 1;
      this.list.push({ id: this.id, fn, ms });
      return this.id;
    };
    this.clearTimeout = (id) => {
      this.list = this.list.filter((t) => t.id !== id);
    };
  }
  runAll() {
    const due = this.list;
    this.list = [];
    for (const t of due) t.fn();
  }
}

const operator = { id: "admin", name: "Ada Admin", role: "admin", max_chats: 3 };
const chat = (id, extra = {}) => ({
  chat_id: id, status: "queued", queue: "general", question: `Question ${id}?`, patron_name: `Pat ${id}`,
  created_at: "2026-01-01T10:00:00.000Z", last_seq: 1, patron_presence: "online", ...extra,
});
const msg = (seq, role = "patron", extra = {}) => ({
  seq, sender: role === "operator" ? { role, id: "admin", name: "Ada Admin" } : { role }, text: `m${seq}`,
  sent_at: "2026-01-01T10:00:00.000Z", ...extra,
});
const flush = () => new Promise((r) => setImmediate(r));

function setup({ history = {}, ui, now = () => Date.parse("2026-01-01T10:00:10Z") } = {}) {
  const client = new FakeClient();
  const view = fakeView();
  const timers = new Timers();
  const alerts = { chimes: 0, notes: [], chime() { this.chimes += 1; }, notify(...a) { this.notes.push(a); } };
  const api = { calls: [], async history(id, after) { this.calls.push([id, after]); return history[id] || [msg(1)]; } };
  const saved = [];
  let authLost = 0;
  const dash = new Dashboard({
    client, view, api, alerts, operator, ui, timers,
    saveUi: (u) => saved.push(u), onAuthLost: () => { authLost += 1; },
    now,
  });
  return { client, view, timers, alerts, api, dash, saved, authLost: () => authLost };
}

function welcome(client, { queued = [], mine = [] } = {}) {
  client.frame({ type: "welcome", role: "operator", operator, queued, mine });
}

test("the waiting list follows welcome, chat.queued and another librarian's claim", () => {
  const { client, view, alerts } = setup();
  welcome(client, { queued: [chat("a")] });
  assert.equal(view.of("upsertWaiting").length, 1);
  assert.equal(alerts.chimes, 0, "chats already waiting at sign-in do not ring");
  assert.deepEqual(view.last("setWaitingCount"), [1]);

  client.frame({ type: "chat.queued", chat: chat("b") });
  assert.equal(alerts.chimes, 1);
  assert.equal(alerts.notes[0][0], "New chat waiting");
  assert.deepEqual(view.last("setWaitingCount"), [2]);
  assert.match(view.last("announce")[0], /New chat waiting from Pat b: Question b\?/);

  client.frame({ type: "chat.claimed", chat_id: "b", operator: { id: "libby", name: "Libby Librarian" } });
  assert.deepEqual(view.last("removeWaiting"), ["b"]);
  assert.deepEqual(view.last("setWaitingCount"), [1]);
  assert.equal(view.last("announce")[0], "The chat from Pat b was taken by Libby Librarian.");
  assert.equal(view.of("openPane").length, 0);

  client.frame({ type: "chat.ended", chat_id: "a", ended_by: "patron" });
  assert.deepEqual(view.last("setWaitingCount"), [0]);
  assert.deepEqual(view.last("showWaitingStatus"), ["Pat a left before anyone answered."]);
});

test("a waiting patron's presence shows in the row; an abandoned chat leaves the list saying why", () => {
  const { client, view } = setup();
  welcome(client, { queued: [chat("a", { patron_presence: "offline", patron_left_at: "2026-01-01T09:59:00Z" }), chat("b")] });
  const rowOf = (id) => view.of("upsertWaiting").filter(([r]) => r.chat_id === id).at(-1)[0];
  assert.equal(rowOf("a").presence.key, "offline");
  assert.match(rowOf("a").presence.label, /^Patron left at /);
  assert.deepEqual(rowOf("b").presence, { key: "online", label: "Online" });
  client.frame({ type: "chat.queued", chat: chat("c") });
  assert.equal(rowOf("c").presence, null, "just queued: nobody has said yet");
  client.frame({ type: "chat.presence", chat_id: "c", patron: "online" });
  assert.equal(rowOf("c").presence.key, "online");
  client.frame({ type: "chat.presence", chat_id: "c", patron: "offline" });
  assert.equal(rowOf("c").presence.key, "offline");
  assert.match(rowOf("c").presence.label, /^Patron left at \d/);
  assert.equal(view.of("updatePane").length, 0, "a waiting chat's presence opens no pane");

  client.frame({ type: "chat.ended", chat_id: "c", ended_by: "system", reason: "abandoned" });
  assert.deepEqual(view.last("removeWaiting"), ["c"]);
  assert.match(view.last("showWaitingStatus")[0], /^Pat c left before anyone answered: .*taken off the queue/);
});

test("claim conflict and capacity refusals", async () => {
  const { client, view, dash } = setup();
  welcome(client, { queued: [chat("a"), chat("b")] });
  await dash.claim("a");
  const [claim] = client.actions("claim");
  assert.equal(claim.chat_id, "a");
  assert.match(claim.request_id, /^claim-/);
  assert.deepEqual(view.last("setClaimBusy"), ["a", true]);
  await dash.claim("a");
  assert.equal(client.actions("claim").length, 1, "no second claim while the first is out");

  client.frame({ type: "chat.claimed", chat_id: "a", operator: { id: "libby", name: "Libby" } });
  client.frame({ type: "error", code: "conflict", message: "another librarian claimed this chat first", request_id: claim.request_id });
  assert.deepEqual(view.last("showNotice"), [CONFLICT_TEXT]);

  await dash.claim("b");
  const second = client.actions("claim")[1];
  client.frame({ type: "error", code: "capacity", message: "full", request_id: second.request_id });
  assert.deepEqual(view.last("showNotice"), ["You are at your limit of 3 chats. End one before claiming another.", "capacity"]);
  assert.deepEqual(view.last("setClaimBusy"), ["b", false]);
});

test("the 'at your limit' alert goes once a chat of mine ends", async () => {
  const { client, view, dash } = setup();
  client.frame({ type: "welcome", role: "operator", operator: { ...operator, max_chats: 1 }, queued: [chat("b")],
                 mine: [chat("a", { status: "active", operator })] });
  await flush();
  await dash.claim("b");
  const [c] = client.actions("claim");
  client.frame({ type: "error", code: "capacity", message: "full", request_id: c.request_id });
  assert.deepEqual(view.last("showNotice"), ["You are at your limit of 1 chat. End one before claiming another.", "capacity"]);
  client.emit("message", { chat_id: "a", message: msg(2) });
  assert.equal(view.of("clearNotice").filter(([k]) => k === "capacity").length, 0, "nothing changed: it stays");
  client.frame({ type: "chat.ended", chat_id: "a", ended_by: "patron" });
  assert.deepEqual(view.last("clearNotice"), ["capacity"]);
});

test("claim while offline says so instead of waiting forever", async () => {
  const { client, view, dash } = setup();
  welcome(client, { queued: [chat("a")] });
  client.online = false;
  await dash.claim("a");
  assert.match(view.last("showNotice")[0], /offline/);
  assert.deepEqual(view.last("setClaimBusy"), ["a", false]);
});

test("my claim opens a pane, focuses its text box and loads its history", async () => {
  const { client, view, dash, api } = setup({ history: { a: [msg(1), msg(2)] } });
  welcome(client, { queued: [chat("a")] });
  await dash.claim("a");
  client.frame({ type: "chat.claimed", chat_id: "a", operator: { id: "admin", name: "Ada Admin" } });
  const [id, model] = view.last("openPane");
  assert.equal(id, "a");
  assert.equal(model.name, "Pat a");
  assert.equal(model.question, "Question a?");
  assert.equal(model.presence.key, "online");
  assert.deepEqual(view.last("selectTab"), ["a", { focus: "composer" }]);
  await flush();
  assert.deepEqual(api.calls, [["a", 0]]);
  assert.deepEqual(client.accepted, [["a", 1], ["a", 2]], "history goes through the client's seq tracker");
  assert.deepEqual(view.of("addMessage").map((c) => c[1].seq), [1, 2]);
  assert.deepEqual(view.last("setMineSummary"), [1, 3]);
});

test("a claim from chat.queued alone does not pretend to know the patron's presence", async () => {
  const { client, view, dash } = setup();
  welcome(client);
  client.frame({ type: "chat.queued", chat: chat("a", { patron_presence: "offline" }) });
  await dash.claim("a");
  client.frame({ type: "chat.claimed", chat_id: "a", operator: { id: "admin", name: "Ada Admin" } });
  assert.equal(view.last("openPane")[1].presence.key, "unknown");
  client.frame({ type: "chat.typing", chat_id: "a", role: "patron", typing: true, preview: "Do you" });
  assert.equal(view.last("updatePane")[1].presence.key, "online", "a typing patron is there");
});

test("at the hard limit the 4th chat is only explained: nothing to confirm, no claim", async () => {
  const { client, view, dash } = setup();
  welcome(client, {
    queued: [chat("d")],
    mine: ["a", "b", "c"].map((id) => chat(id, { status: "active", operator })),
  });
  view.state.confirmAnswer = true; // even a "yes" could not claim
  await dash.claim("d");
  const [asked] = view.state.confirms;
  assert.equal(asked.title, "You are at your chat limit");
  assert.match(asked.body, /You have 3 active chats and your limit is 3/);
  assert.equal(asked.confirm, null, "no Claim anyway");
  assert.equal(asked.cancel, "OK");
  assert.equal(client.actions("claim").length, 0);
});

test("the 4th concurrent chat below the hard limit asks first; cancelling does not claim", async () => {
  const { client, view, dash } = setup();
  client.frame({ type: "welcome", role: "operator", operator: { ...operator, max_chats: 5 }, queued: [chat("d")],
                 mine: ["a", "b", "c"].map((id) => chat(id, { status: "active", operator })) });
  view.state.confirmAnswer = false;
  await dash.claim("d");
  assert.equal(view.state.confirms.length, 1);
  assert.match(view.state.confirms[0].body, /You already have 3 chats\. The manual advises no more than 3 unless one is winding down\./);
  assert.equal(view.state.confirms[0].confirm, "Claim anyway");
  assert.equal(client.actions("claim").length, 0);
  view.state.confirmAnswer = true;
  await dash.claim("d");
  assert.equal(client.actions("claim").length, 1);
});

test("an ended chat does not count towards the warning", async () => {
  const { client, view, dash } = setup();
  welcome(client, {
    queued: [chat("d")],
    mine: [chat("a", { status: "active" }), chat("b", { status: "active" }), chat("c", { status: "ended" })],
  });
  await dash.claim("d");
  assert.equal(view.state.confirms.length, 0);
  assert.equal(client.actions("claim").length, 1);
});

test("unread counts for panes not in view; selecting a pane clears them", async () => {
  const { client, view, dash } = setup();
  welcome(client, { mine: [chat("a", { status: "active" }), chat("b", { status: "active" })] });
  await flush();
  dash.select("a");
  client.emit("message", { chat_id: "b", message: msg(2) });
  client.emit("message", { chat_id: "b", message: msg(3) });
  client.emit("message", { chat_id: "b", message: msg(4, "operator") });
  assert.deepEqual(view.last("setUnread"), ["b", 2]);
  assert.equal(view.last("announce")[0], "New message from Pat b.");
  client.emit("message", { chat_id: "a", message: msg(2) });
  assert.ok(!view.of("setUnread").some(([id, n]) => id === "a" && n > 0), "the pane in view stays read");
  dash.select("b");
  assert.deepEqual(view.last("setUnread"), ["b", 0]);
});

test("typing notice with the preview; cleared by the patron's message", async () => {
  const { client, view, dash } = setup();
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  client.frame({ type: "chat.typing", chat_id: "a", role: "patron", typing: true, preview: "Do you have the 19" });
  assert.deepEqual(view.last("setTyping"), ["a", { lead: "Pat a is typing:", preview: "“Do you have the 19”" }]);
  client.emit("message", { chat_id: "a", message: { ...msg(2), sent_at: new Date(dash.now()).toISOString() } });
  assert.deepEqual(view.last("setTyping"), ["a", null]);
  client.frame({ type: "chat.typing", chat_id: "a", role: "patron", typing: true });
  assert.deepEqual(view.last("setTyping"), ["a", { lead: "Pat a is typing...", preview: "" }]);
  client.frame({ type: "chat.typing", chat_id: "a", role: "patron", typing: false });
  assert.deepEqual(view.last("setTyping"), ["a", null]);
});

test("the librarian's typing: true once, refreshed after 20 s, false after 10 s idle, nothing on send", async () => {
  const clock = { t: Date.parse("2026-01-01T10:00:10Z") };
  const { client, timers, dash } = setup({ now: () => clock.t });
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  dash.composing("a", true);
  dash.composing("a", true);
  assert.deepEqual(client.actions("typing").map((f) => f.typing), [true]);
  timers.runAll(); // idle
  assert.deepEqual(client.actions("typing").map((f) => f.typing), [true, false]);
  dash.composing("a", true);
  assert.equal(dash.send("a", "  Hello  "), true);
  assert.deepEqual(client.actions("send"), [{ action: "send", chat_id: "a", text: "Hello" }]);
  assert.deepEqual(client.actions("typing").map((f) => f.typing), [true, false, true],
    "the message clears the patron's notice: no 'stopped' frame");
  timers.runAll();
  assert.deepEqual(client.actions("typing").map((f) => f.typing), [true, false, true], "nor later");
  assert.equal(dash.send("a", "   "), false, "blank messages are not sent");
  // a long message: one refresh per 20 s of typing, none in between
  const start = clock.t;
  for (; clock.t <= start + 45000; clock.t += 333) dash.composing("a", true);
  assert.deepEqual(client.actions("typing").map((f) => f.typing), [true, false, true, true, true, true]);
});

test("patron presence drives the status; the patron ending turns it red; close removes the pane", async () => {
  const { client, view, dash } = setup();
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  client.frame({ type: "chat.presence", chat_id: "a", patron: "away" });
  assert.deepEqual(view.last("updatePane")[1].presence, { key: "away", label: "Away" });
  client.frame({ type: "chat.presence", chat_id: "a", patron: "offline", patron_left_at: "2026-01-01T10:00:05Z" });
  const gone = view.last("updatePane")[1].presence;
  assert.equal(gone.key, "offline", "gone is gone: red, not a hopeful Reconnecting");
  assert.match(gone.label, /^Patron left at \d/);
  assert.match(view.last("announce")[0], /^Pat a: Patron left at /);
  client.frame({ type: "chat.presence", chat_id: "a", patron: "online" });
  assert.deepEqual(view.last("updatePane")[1].presence, { key: "online", label: "Online" });

  client.frame({ type: "chat.ended", chat_id: "a", ended_by: "patron" });
  const model = view.last("updatePane")[1];
  assert.deepEqual(model.presence, { key: "left", label: "Left the chat" });
  assert.equal(model.ended, true);
  assert.match(model.endedText, /^Pat a ended the chat/);
  assert.equal(dash.send("a", "too late"), false);

  dash.close("a");
  const [close] = client.actions("close");
  assert.equal(close.chat_id, "a");
  client.frame({ type: "chat.closed", chat_id: "a" });
  assert.deepEqual(view.last("removePane"), ["a"]);
  assert.deepEqual(client.forgotten, ["a"]);
  assert.equal(dash.panes.size, 0);
});

test("End Chat asks, then sends end; a refusal shows in the pane", async () => {
  const { client, view, dash } = setup();
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  view.state.confirmAnswer = false;
  await dash.end("a");
  assert.equal(client.actions("end").length, 0);
  view.state.confirmAnswer = true;
  await dash.end("a");
  const [end] = client.actions("end");
  client.frame({ type: "error", code: "invalid_state", message: "already ended", request_id: end.request_id });
  assert.equal(view.last("showPaneNotice")[0], "a");
  client.frame({ type: "chat.ended", chat_id: "a", ended_by: "operator" });
  assert.deepEqual(view.last("updatePane")[1].presence, { key: "ended", label: "Chat ended" });
});

test("after a reload: panes come back from welcome.mine with what was read and who ended", async () => {
  const ui = { active: "b", read: { a: 3 }, endedBy: { b: "patron" } };
  const { client, view, dash, api } = setup({
    ui, history: { a: [msg(1), msg(2), msg(3), msg(4)], b: [msg(1)] },
  });
  welcome(client, { mine: [chat("a", { status: "active", last_seq: 4 }), chat("b", { status: "ended" })] });
  await flush();
  assert.deepEqual(api.calls.map((c) => c[0]).sort(), ["a", "b"]);
  assert.deepEqual(view.last("selectTab"), ["b", { focus: false }], "the pane that was in view");
  assert.equal(dash.panes.get("a").unread, 1, "only seq 4 is new");
  const b = view.of("openPane").find(([id]) => id === "b")[1];
  assert.equal(b.presence.key, "left");

  // a second welcome (reconnect) without chat b: it was closed from another tab
  welcome(client, { mine: [chat("a", { status: "active", last_seq: 4 })] });
  assert.deepEqual(view.last("removePane"), ["b"]);
  assert.deepEqual(client.forgotten, ["b"]);
});

test("history refused with 401 means the sign-in is gone", async () => {
  const { client, dash, authLost } = setup();
  dash.api.history = async () => {
    const e = new Error("no");
    e.status = 401;
    throw e;
  };
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  assert.equal(authLost(), 1);
});

test("a message the server refused is shown with the reason", async () => {
  const { client, view } = setup();
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  client.emit("rejected", { chat_id: "a", item: { text: "x" }, error: { code: "too_large" } });
  const [id, item, reason] = view.last("addRejected");
  assert.equal(id, "a");
  assert.equal(item.text, "x");
  assert.match(reason, /too long/);
});

test("a transfer moves the pane: away from me, or to me", async () => {
  const { client, view, dash } = setup();
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  client.frame({
    type: "chat.transferred", chat_id: "a", from: { id: "admin", name: "Ada Admin" },
    to: { id: "libby", name: "Libby Librarian" }, chat: chat("a", { status: "active" }),
  });
  assert.deepEqual(view.last("removePane"), ["a"]);
  assert.deepEqual(client.forgotten, ["a"]);
  assert.equal(view.last("announce")[0], "The chat with Pat a went to Libby Librarian.");

  client.frame({
    type: "chat.transferred", chat_id: "b", from: { id: "libby", name: "Libby Librarian" },
    to: { id: "admin", name: "Ada Admin" }, chat: chat("b", { status: "active" }),
  });
  assert.equal(view.last("openPane")[0], "b");
  assert.equal(dash.activeCount(), 1);
  assert.equal(view.last("announce")[0], "Libby Librarian passed you the chat with Pat b.");
});

test("my own lower chat_limit is the limit the capacity message names", async () => {
  const { client, view, dash } = setup();
  client.frame({ type: "welcome", role: "operator", operator: { ...operator, chat_limit: 1 }, queued: [chat("a")], mine: [] });
  assert.deepEqual(view.last("setMineSummary"), [0, 1]);
  await dash.claim("a");
  const [c] = client.actions("claim");
  client.frame({ type: "error", code: "capacity", message: "full", request_id: c.request_id });
  assert.deepEqual(view.last("showNotice"), ["You are at your limit of 1 chat. End one before claiming another.", "capacity"]);
  client.frame({ type: "operator.status", operator: { id: "admin", name: "Ada Admin", state: "available", chat_limit: null } });
  assert.deepEqual(view.last("setMineSummary"), [0, 3]);
});

test("other chats' messages without a pane are ignored; the staff room's go to its log", () => {
  const { client, view } = setup();
  welcome(client);
  client.emit("message", { chat_id: "elsewhere", message: msg(1, "patron") });
  assert.equal(view.of("addMessage").length, 0);
  client.emit("message", { chat_id: "staff", message: msg(1, "operator") });
  client.emit("message", { chat_id: "staff", message: msg(1, "operator") }); // once only
  assert.equal(view.of("addMessage").length, 1);
  assert.equal(view.last("addMessage")[0], "staff");
  assert.equal(view.last("addMessage")[2].own, true);
  // a colleague's message while another tab shows: the staff tab counts it
  client.emit("message", { chat_id: "staff", message: { ...msg(2, "operator"), sender: { role: "operator", id: "libby", name: "Libby" } } });
  assert.deepEqual(view.last("setStaffUnread"), [1]);
});

class StatusClient extends FakeClient {
  sendFrame(frame) { return this.record(frame); }
}

function setupWithFrames(opts = {}) {
  const client = new StatusClient();
  const view = fakeView();
  const timers = new Timers();
  const alerts = { chime() {}, notify() {} };
  const uploads = [];
  const api = {
    calls: [],
    async history(id, after) { this.calls.push([id, after]); return id === "staff" ? [msg(1, "system")] : [msg(1)]; },
    async upload(chatId, file) {
      uploads.push([chatId, file.name]);
      if (opts.uploadError) throw opts.uploadError;
      return { key: `chats/${chatId}/r/${file.name}`, name: file.name, size: file.size, content_type: file.type };
    },
  };
  const dash = new Dashboard({ client, view, api, alerts, operator, timers, now: () => Date.parse("2026-01-01T10:00:10Z") });
  client.send = function send(chat_id, text, extra = {}) {
    this.sent.push({ action: "send", chat_id, text, ...extra });
    return "cmid";
  };
  return { client, view, api, dash, uploads };
}

test("welcome: roster of who is signed in, my status, and the staff room's history", async () => {
  const { client, view, api } = setupWithFrames();
  client.frame({
    type: "welcome", role: "operator", operator: { ...operator, availability: "away", chat_limit: 1 },
    queued: [], mine: [], staff: { chat_id: "staff", kind: "staff", last_seq: 1 },
    operators: [{ id: "libby", name: "Libby", state: "available" }, { id: "admin", name: "Ada Admin", state: "away" }],
  });
  await flush();
  assert.deepEqual(view.last("setMyStatus"), ["away", 1]);
  const roster = view.last("setRoster")[0];
  assert.deepEqual(roster.map((o) => [o.id, o.state, o.me]), [["libby", "available", false], ["admin", "away", true]]);
  assert.deepEqual(api.calls, [["staff", 0]]);
  assert.equal(view.last("addMessage")[0], "staff");

  client.frame({ type: "operator.status", operator: { id: "theo", name: "Theo", state: "available", chat_limit: 1 } });
  assert.equal(view.last("setRoster")[0].length, 3);
  client.frame({ type: "operator.status", operator: { id: "theo", name: "Theo", state: "offline" } });
  assert.equal(view.last("setRoster")[0].length, 2);
});

test("status: Available/Away and one chat at a time go out as `status` actions", () => {
  const { client, dash, view } = setupWithFrames();
  welcome(client);
  dash.setStatus({ state: "away" });
  dash.setStatus({ chat_limit: 1 });
  dash.setStatus({ chat_limit: null });
  const sent = client.actions("status").map(({ request_id, ...f }) => f);
  assert.deepEqual(sent, [{ action: "status", state: "away" }, { action: "status", chat_limit: 1 }, { action: "status", chat_limit: null }]);
  client.frame({ type: "operator.status", operator: { id: "admin", name: "Ada Admin", state: "away", chat_limit: 1 } });
  assert.deepEqual(view.last("setMyStatus"), ["away", 1]);
  assert.deepEqual(view.last("setMineSummary"), [0, 1]);
});

test("transfer: the dialog lists signed-in colleagues, the frame carries to and note; refusals in words", async () => {
  const { client, dash, view } = setupWithFrames();
  client.frame({
    type: "welcome", role: "operator", operator, queued: [], mine: [chat("a", { status: "active" })],
    operators: [{ id: "admin", name: "Ada Admin", state: "available" }, { id: "libby", name: "Libby", state: "available" }],
  });
  await flush();
  view.transferDialog = async (o) => {
    view.state.transferOpts = o;
    return { to: "libby", note: "  needs the atlas  " };
  };
  await dash.transfer("a");
  assert.deepEqual(view.state.transferOpts.targets.map((o) => o.id), ["libby"]);
  const [f] = client.actions("transfer");
  assert.equal(f.chat_id, "a");
  assert.equal(f.to, "libby");
  assert.equal(f.note, "needs the atlas");
  client.frame({ type: "error", code: "capacity", message: "full", request_id: f.request_id });
  assert.deepEqual(view.last("showPaneNotice"), ["a", "That colleague is at their chat limit, so the chat stayed with you."]);

  view.transferDialog = async () => ({ to: "", note: "" });
  await dash.transfer("a");
  const back = client.actions("transfer")[1];
  assert.equal("to" in back, false);
  assert.equal("note" in back, false);
});

test("a chat passed to me opens with the note; a requeued chat shows its note in the waiting list", async () => {
  const { client, view } = setupWithFrames();
  welcome(client);
  client.frame({
    type: "chat.transferred", chat_id: "b", from: { id: "libby", name: "Libby" }, to: { id: "admin", name: "Ada Admin" },
    note: "wants maps", chat: chat("b", { status: "active" }),
  });
  assert.deepEqual(view.last("openPane")[1].transferNote, { from: "Libby", note: "wants maps" });
  client.frame({ type: "chat.queued", chat: chat("c"), note: "call back" });
  assert.equal(view.last("upsertWaiting")[0].note, "call back");
});

test("the paperclip uploads, then sends a message carrying the attachment; refusals stay in the pane", async () => {
  const { client, dash, view, uploads } = setupWithFrames();
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  const file = { name: "map.png", size: 10, type: "image/png" };
  assert.equal(await dash.attach("a", file), true);
  assert.deepEqual(uploads, [["a", "map.png"]]);
  const [s] = client.actions("send");
  assert.deepEqual(s.attachment, { key: "chats/a/r/map.png", name: "map.png", size: 10, content_type: "image/png" });
  assert.equal(s.text, undefined);
  assert.equal(await dash.attach("a", { name: "x.exe", size: 5, type: "application/x-msdownload" }), false);
  assert.match(view.last("showPaneNotice")[1], /cannot be sent/);
  assert.equal(uploads.length, 1);
  // no type reported (some systems, for office documents): typed by its extension, as the widget does
  assert.equal(await dash.attach("a", { name: "Reading list.docx", size: 12, type: "" }), true);
  assert.deepEqual(uploads.at(-1), ["a", "Reading list.docx"]);
  assert.equal(client.actions("send").length, 2);
  assert.deepEqual(view.of("setAttachBusy").slice(-2), [["a", true], ["a", false]]);
});

test("a chosen file waits for Upload: Cancel sends nothing, Upload sends it, a refused type never shows", async () => {
  const { client, dash, view, uploads } = setupWithFrames();
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  const file = { name: "map.png", size: 10, type: "image/png" };
  assert.equal(dash.chooseFile("a", file), true);
  assert.deepEqual(view.last("showChosenFile"), ["a", file]);
  assert.match(view.last("announce")[0], /^map\.png is ready\. Upload sends it/);
  assert.equal(uploads.length, 0, "choosing uploads nothing");
  dash.cancelFile("a");
  assert.deepEqual(view.last("clearChosenFile"), ["a", { focus: true }]);
  assert.equal(await dash.uploadFile("a"), false, "cancelled: nothing left to upload");
  assert.equal(uploads.length, 0);
  assert.equal(client.actions("send").length, 0);

  dash.chooseFile("a", file);
  assert.equal(await dash.uploadFile("a"), true);
  assert.deepEqual(uploads, [["a", "map.png"]]);
  assert.equal(client.actions("send")[0].attachment.name, "map.png");
  assert.deepEqual(view.last("clearChosenFile"), ["a", { focus: true }]);
  assert.equal(await dash.uploadFile("a"), false, "sent once");

  const before = view.of("showChosenFile").length;
  assert.equal(dash.chooseFile("a", { name: "tool.exe", size: 2, type: "application/x-msdownload" }), false);
  assert.match(view.last("showPaneNotice")[1], /cannot be sent/);
  assert.equal(view.of("showChosenFile").length, before);
});

test("a refused upload keeps the chosen file, to try again", async () => {
  const failed = Object.assign(new Error("The file could not be uploaded"), { status: 0, code: "network" });
  const { client, dash, view } = setupWithFrames({ uploadError: failed });
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  dash.chooseFile("a", { name: "scan.pdf", size: 10, type: "application/pdf" });
  const cleared = view.of("clearChosenFile").length;
  assert.equal(await dash.uploadFile("a"), false);
  assert.match(view.last("showPaneNotice")[1], /^The file was not sent/);
  assert.equal(view.of("clearChosenFile").length, cleared, "still chosen");
  assert.equal(dash.panes.get("a").chosen.name, "scan.pdf");
});

test("an upload the service or S3 refuses says why in the pane; a 401 ends the sign-in", async () => {
  const tooBig = Object.assign(new Error("EntityTooLarge"), { status: 400, code: "too_large" });
  const { client, dash, view } = setupWithFrames({ uploadError: tooBig });
  welcome(client, { mine: [chat("a", { status: "active" })] });
  await flush();
  assert.equal(await dash.attach("a", { name: "scan.pdf", size: 10, type: "application/pdf" }), false);
  assert.deepEqual(view.last("showPaneNotice"), ["a", "The file is too large to send."]);
  const failed = Object.assign(new Error("The file could not be uploaded"), { status: 0, code: "network" });
  const second = setupWithFrames({ uploadError: failed });
  welcome(second.client, { mine: [chat("a", { status: "active" })] });
  await flush();
  await second.dash.attach("a", { name: "scan.pdf", size: 10, type: "application/pdf" });
  assert.deepEqual(second.view.last("showPaneNotice"), ["a", "The file was not sent: The file could not be uploaded."]);
  assert.equal(second.client.actions("send").length, 0);
});

// ------------------------------------------------------------ desks (docs/desks.md)

const DESKS = [
  { id: "central", name: "Central", library: "Central Library", enabled: true,
    card: { text: "Holds: https://central.example.org/holds", reviewed_on: "2026-11-01" } },
  { id: "coop", name: "Co-op", library: "Library co-op", enabled: true, card: null },
  { id: "riverside", name: "Riverside", library: "Riverside Library", enabled: true, card: { text: "River card" } },
];
const riverOp = { id: "rita", name: "Rita River", role: "librarian", max_chats: 3 };

function setupDesks({ me = riverOp, queues = ["riverside", "coop"], watching = ["riverside", "coop"], queued = [], mine = [] } = {}) {
  const client = new StatusClient();
  const view = fakeView();
  const alerts = { chimes: 0, chime() { this.chimes += 1; }, notify() {} };
  const api = { async history() { return [msg(1)]; } };
  const dash = new Dashboard({ client, view, api, alerts, operator: me, timers: new Timers(), now: () => Date.parse("2026-01-01T10:00:10Z") });
  client.frame({ type: "welcome", role: "operator", operator: { ...me, queues, watching }, queued, mine, queues: DESKS,
                 operators: [{ id: me.id, name: me.name, state: "available" }, { id: "libby", name: "Libby", state: "available" }] });
  return { client, view, alerts, dash };
}
const rolled = (id, extra = {}) => chat(id, { queue: "central", offered: ["central", "coop"], ...extra });

test("desks: the watch boxes are my desks, the waiting list has a heading per desk I watch", () => {
  const { view } = setupDesks({ queued: [rolled("r"), chat("h", { queue: "riverside", offered: ["riverside"] })] });
  assert.deepEqual(view.last("setWatchOptions"), [[
    { id: "coop", label: "Co-op (Library co-op)", checked: true },
    { id: "riverside", label: "Riverside (Riverside Library)", checked: true },
  ], { shown: true }]);
  assert.deepEqual(view.last("setWaitingGroups"), [[
    { id: "coop", label: "Co-op (Library co-op)" }, { id: "riverside", label: "Riverside (Riverside Library)" },
  ], { none: false }]);
  const rows = Object.fromEntries(view.of("upsertWaiting").map(([r]) => [r.chat_id, r]));
  assert.equal(rows.r.group, "coop", "not my library's desk: under the co-op desk it rolled over to");
  assert.equal(rows.r.rolledOver, "Rolled over from Central (Central Library)");
  assert.equal(rows.r.queue, "Central", "the row still names its home desk");
  assert.equal(rows.h.group, "riverside");
  assert.equal(rows.h.rolledOver, "");
});

test("desks: a service without desks keeps one plain list and no watch boxes", () => {
  const { client, view } = setup();
  welcome(client, { queued: [chat("a")] });
  assert.deepEqual(view.last("setWatchOptions"), [[], { shown: false }]);
  assert.deepEqual(view.last("setWaitingGroups"), [[], { none: false }]);
  assert.equal(view.last("upsertWaiting")[0].group, "");
  assert.equal(view.last("upsertWaiting")[0].rolledOver, "");
});

test("desks: a librarian of one desk who watches it has nothing to choose", () => {
  const { view } = setupDesks({ queues: ["riverside"], watching: ["riverside"] });
  assert.equal(view.last("setWatchOptions")[1].shown, false);
  const { view: all } = setupDesks({ queues: null, watching: ["coop"] });
  assert.deepEqual(all.last("setWatchOptions")[0].map((o) => [o.id, o.checked]),
    [["central", false], ["coop", true], ["riverside", false]], "operator.queues null: every desk is mine");
});

test("watch: the ticked desks go out; the answer's queued replaces the list, quietly", () => {
  const { client, view, alerts, dash } = setupDesks({ queued: [chat("h", { queue: "riverside", offered: ["riverside"] })] });
  dash.watch(["coop", "nonsense"]);
  const [w] = client.actions("watch");
  assert.deepEqual(w.queues, ["coop"], "only my desks");
  assert.ok(w.request_id);
  client.frame({ type: "watching", queues: ["coop"], queued: [rolled("r")] });
  assert.deepEqual(view.last("removeWaiting"), ["h"]);
  assert.equal(view.last("upsertWaiting")[0].chat_id, "r");
  assert.equal(alerts.chimes, 0, "chats I asked to see do not ring");
  assert.deepEqual(view.last("setWaitingGroups"), [[{ id: "coop", label: "Co-op (Library co-op)" }], { none: false }]);
  assert.deepEqual(view.last("setWatchOptions")[0].map((o) => o.checked), [true, false]);
  assert.equal(view.last("announce")[0], "Watching Co-op (Library co-op).");
  assert.equal(dash.findRequest("watch", null), null, "answered");

  dash.watch([]);
  client.frame({ type: "watching", queues: [], queued: [] });
  assert.deepEqual(view.last("setWaitingGroups"), [[], { none: true }], "watching nothing: the list says so");
  assert.deepEqual(view.last("setWaitingCount"), [0]);
});

test("watch: offline, the boxes go back and the Chats tab says so; a refusal says why", () => {
  const { client, view, dash } = setupDesks();
  client.online = false;
  assert.equal(dash.watch(["coop"]), false);
  assert.deepEqual(view.last("setWatchOptions")[0].map((o) => o.checked), [true, true]);
  assert.deepEqual(view.last("showNotice"), [S.chatDesks.watchOffline, "watch"]);
  client.online = true;
  dash.watch(["coop"]);
  const [w] = client.actions("watch");
  client.frame({ type: "error", code: "forbidden", message: "not one of your desks: coop", request_id: w.request_id });
  assert.deepEqual(view.last("showNotice"), ["The desks you watch did not change: You are not allowed to do that for this chat.", "watch"]);
  assert.deepEqual(view.last("setWatchOptions")[0].map((o) => o.checked), [true, true]);
});

test("watching from another tab of mine: what I no longer watch goes; watching more asks again (hello)", () => {
  const { client, view, alerts } = setupDesks({ queued: [rolled("r"), chat("h", { queue: "riverside", offered: ["riverside"] })] });
  client.frame({ type: "watching", queues: ["riverside"] });
  assert.deepEqual(view.last("removeWaiting"), ["r"]);
  assert.equal(client.actions("hello").length, 0, "fewer desks: nothing to ask");
  client.frame({ type: "chat.queued", chat: rolled("r2") });
  assert.equal(view.of("upsertWaiting").some(([r]) => r.chat_id === "r2"), false, "a desk I stopped watching");
  client.frame({ type: "watching", queues: ["riverside", "coop"] });
  assert.equal(client.actions("hello").length, 1, "more desks: a fresh welcome brings their waiting chats");
  const chimes = alerts.chimes;
  client.frame({ type: "welcome", role: "operator", operator: { ...riverOp, queues: ["riverside", "coop"], watching: ["riverside", "coop"] },
                 queued: [rolled("r"), chat("h", { queue: "riverside", offered: ["riverside"] })], mine: [], queues: DESKS });
  assert.equal(view.last("upsertWaiting")[0].chat_id, "h");
  assert.ok(view.of("upsertWaiting").some(([r]) => r.chat_id === "r"));
  assert.equal(alerts.chimes, chimes, "that welcome does not ring for chats already waiting");
});

test("a rollover re-announces a chat I already list: no second chime; a rolled-in chat is new and rings", () => {
  const { client, alerts, view } = setupDesks({ me: { ...riverOp, id: "cora" }, queues: ["central", "coop"], watching: ["central", "coop"],
                                                queued: [chat("c", { queue: "central", offered: ["central"] })] });
  client.frame({ type: "chat.queued", rolled_over: true, chat: chat("c", { queue: "central", offered: ["central", "coop"] }) });
  assert.equal(alerts.chimes, 0);
  const row = view.last("upsertWaiting")[0];
  assert.equal(row.group, "central", "offered to two desks I watch: once, under its home desk");
  assert.equal(row.rolledOver, "Rolled over from Central (Central Library)");
  client.frame({ type: "chat.queued", rolled_over: true, chat: rolled("n") });
  assert.equal(alerts.chimes, 1);
});

test("a claim refused as forbidden (no longer offered to my desks): the row goes, in words", async () => {
  const { client, view, dash } = setupDesks({ queued: [rolled("r")] });
  await dash.claim("r");
  const [c] = client.actions("claim");
  client.frame({ type: "error", code: "forbidden", message: "only a librarian watching", request_id: c.request_id });
  assert.deepEqual(view.last("removeWaiting"), ["r"]);
  assert.deepEqual(view.last("showNotice"), [S.chatDesks.notWatched]);
});

test("the pane of a rolled-over chat is marked and shows its home desk's card", async () => {
  const { client, view, dash } = setupDesks({ queued: [rolled("r")] });
  await dash.claim("r");
  client.frame({ type: "chat.claimed", chat_id: "r", operator: { id: "rita", name: "Rita River" },
                 chat: rolled("r", { status: "active", patron_presence: "online" }) });
  const [, model] = view.last("openPane");
  assert.equal(model.rolledOver, "Rolled over from Central (Central Library)");
  assert.equal(model.card.desk, "Central (Central Library)");
  assert.deepEqual(model.card.parts.map((p) => p.href || null), [null, "https://central.example.org/holds"]);
  assert.match(model.card.reviewed, /^last reviewed /);
  // my own desk's chat: its card, no mark
  client.frame({ type: "chat.transferred", chat_id: "m", from: { id: "libby", name: "Libby" }, to: { id: "rita", name: "Rita River" },
                 chat: chat("m", { status: "active", queue: "riverside", offered: ["riverside"] }) });
  const [, own] = view.last("openPane");
  assert.equal(own.rolledOver, "");
  assert.equal(own.card.desk, "Riverside (Riverside Library)");
  assert.equal(own.card.reviewed, "");
  // the co-op desk has no card
  client.frame({ type: "chat.transferred", chat_id: "k", from: { id: "libby", name: "Libby" }, to: { id: "rita", name: "Rita River" },
                 chat: chat("k", { status: "active", queue: "coop", offered: ["coop"] }) });
  assert.equal(view.last("openPane")[1].card, null);
});

test("transfer to a desk: the dialog offers the enabled desks; the frame carries to_queue, not to", async () => {
  const { client, view, dash } = setupDesks({ mine: [chat("a", { status: "active", queue: "riverside", offered: ["riverside"] })] });
  await flush();
  view.transferDialog = async (o) => {
    view.state.transferOpts = o;
    return { to: "", to_queue: "coop", note: " for the co-op " };
  };
  await dash.transfer("a");
  assert.deepEqual(view.state.transferOpts.desks.map((q) => q.id), ["central", "coop", "riverside"]);
  assert.deepEqual(view.state.transferOpts.targets.map((o) => o.id), ["libby"], "colleagues as before");
  const [f] = client.actions("transfer");
  assert.deepEqual({ ...f, request_id: undefined }, { action: "transfer", chat_id: "a", to_queue: "coop", note: "for the co-op", request_id: undefined });
  client.frame({ type: "chat.transferred", chat_id: "a", from: { id: "rita", name: "Rita River" }, to: null, to_queue: "coop",
                 chat: chat("a", { status: "queued", queue: "riverside", offered: ["coop"] }) });
  assert.deepEqual(view.last("removePane"), ["a"]);
  assert.equal(view.last("announce")[0], "The chat with Pat a is waiting at the Co-op (Library co-op) desk.");
});

test("an admin's saved desks: new names and cards reach the list and the panes, not new desks", async () => {
  const { view, dash } = setupDesks({ queued: [rolled("r")], mine: [chat("a", { status: "active", queue: "central", offered: ["central", "coop"] })] });
  await flush();
  const central = { ...DESKS[0], name: "Central desk", card: { text: "New card https://c.example/new" } };
  dash.queue.refreshDesks([central, DESKS[1], DESKS[2], { id: "annex", name: "Annex", enabled: true }]);
  assert.equal(view.last("upsertWaiting")[0].rolledOver, "Rolled over from Central desk (Central Library)");
  const [, model] = view.last("updatePane");
  assert.equal(model.card.desk, "Central desk (Central Library)");
  assert.equal(model.card.parts[1].href, "https://c.example/new");
  assert.equal(dash.queue.desks.has("annex"), false, "which desks I have comes from the service");
});
