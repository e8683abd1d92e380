// Unit tests of the patron widget's controller (widget/patron/controller.js), in node without a
// DOM: a strict fake view (only the real View's method names), a fake REST api, a fake protocol
// client driven by the test (and, where the wire matters, the real one over a fake WebSocket),
// a fake clock with its timers, the real ChatStore over in-memory storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PatronController } from "../patron/controller.js";
import { View } from "../patron/view.js";
import { ChatStore, safeStorage } from "../patron/store.js";
import { makeT } from "../patron/i18n.js";
import { noticeText } from "../patron/transcript.js";
import { ProtocolClient } from "../js/protocol.js";

const t = makeT("en");
const START = Date.parse("2026-03-02T10:00:00.000Z");
const flush = () => new Promise((resolve) => setImmediate(resolve));

// ------------------------------------------------------------------ fakes

const VIEW_METHODS = new Set(Object.getOwnPropertyNames(View.prototype)
  .filter((name) => name !== "constructor" && typeof Object.getOwnPropertyDescriptor(View.prototype, name).value === "function"));
const SCREENS = { showLoading: "loading", showOffline: "offline", showForm: "form", showConversation: "chat", showGone: "gone" };

/** A view that records calls and throws on any name the real View does not have. */
function fakeView() {
  const calls = [];
  const state = { screen: undefined, form: { question: "", name: "", email: "" }, draft: undefined, handlers: null, tabs: [] };
  const answers = {
    setHandlers: (handlers) => { state.handlers = handlers; },
    currentScreen: () => state.screen,
    formValues: () => ({ ...state.form }),
    takeDraft: () => {
      const draft = state.draft;
      state.draft = undefined;
      return draft;
    },
    openTab: () => {
      const tab = { url: null, closed: false, show(url) { this.url = url; }, close() { this.closed = true; } };
      state.tabs.push(tab);
      return tab;
    },
  };
  const view = new Proxy({}, {
    get(target, name) {
      if (typeof name === "symbol") return undefined;
      if (!VIEW_METHODS.has(name)) throw new TypeError(`the View has no method ${name}`);
      return (...args) => {
        calls.push([name, ...args]);
        if (SCREENS[name]) state.screen = SCREENS[name];
        return answers[name] ? answers[name](...args) : undefined;
      };
    },
  });
  const of = (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1));
  return { view, calls, state, of, last: (name) => of(name).at(-1), ui: () => state.handlers };
}

/** The protocol client's surface on an EventTarget, driven by the test: welcome, messages, frames, states. */
class FakeClient extends EventTarget {
  constructor(options) {
    super();
    this.options = options;
    this.state = "closed";
    this.sent = [];
    this.outbox = [...(options.outbox || [])];
    this.seen = { ...(options.lastSeq || {}) };
    this.connects = 0;
    this.disconnected = false;
    this.online = true;
  }
  on(type, fn) {
    const listener = (event) => fn(event.detail);
    this.addEventListener(type, listener);
    return () => this.removeEventListener(type, listener);
  }
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
  setState(state) {
    this.state = state;
    this.emit("state", { state });
  }
  connect() {
    this.connects += 1;
    this.setState("connecting");
  }
  disconnect() {
    this.disconnected = true;
    this.setState("closed");
  }
  reconnectNow() {
    this.sent.push(["reconnectNow"]);
  }
  welcome(chat) {
    this.setState("open");
    this.emit("welcome", { type: "welcome", role: "patron", chat });
  }
  message(message) {
    this.seen[message.chat_id || "c1"] = Math.max(this.seen.c1 || 0, message.seq);
    this.emit("message", { chat_id: "c1", message });
  }
  frame(frame) {
    this.emit("frame", frame);
  }
  send(chatId, text, extra = {}) {
    this.sent.push(["send", chatId, text, extra]);
    return `cm${this.sent.length}`;
  }
  typing(chatId, typing, preview) {
    if (this.state !== "open") return false;
    this.sent.push(["typing", chatId, typing, preview]);
    return true;
  }
  presence(chatId, state) {
    this.sent.push(["presence", chatId, state]);
    return true;
  }
  end(chatId, requestId) {
    this.sent.push(["end", chatId, requestId]);
    return this.online;
  }
  pending() {
    return this.outbox;
  }
  snapshot() {
    return { lastSeq: { ...this.seen }, outbox: this.outbox };
  }
  actions(name) {
    return this.sent.filter((s) => s[0] === name).map((s) => s.slice(1));
  }
}

/** setTimeout/clearTimeout and now() on one fake clock; advance() runs what falls due, in order. */
class Clock {
  constructor() {
    this.time = START;
    this.timers = [];
    this.nextId = 1;
    this.now = () => this.time;
    this.setTimeout = (fn, ms = 0) => {
      const id = this.nextId++;
      this.timers.push({ id, at: this.time + ms, fn });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers = this.timers.filter((timer) => timer.id !== id);
    };
  }
  advance(ms) {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

class ApiError extends Error {
  constructor(status, code) {
    super(code);
    this.status = status;
    this.code = code;
  }
}

function fakeApi(overrides = {}) {
  const calls = [];
  const impl = {
    status: async () => ({ online: true, queues: [{ id: "general", name: "Ask a librarian", online: true }] }),
    createChat: async () => ({ chat_id: "c1", token: "tok-1", ws_url: "wss://ws.example/prod" }),
    history: async () => [],
    submitSurvey: async () => ({}),
    uploadSlot: async () => ({ url: "https://bucket.example/", fields: { key: "chats/c1/k1" }, key: "chats/c1/k1",
      max_bytes: 10 * 1024 * 1024 }),
    upload: async () => undefined,
    fileUrl: async () => "https://bucket.example/chats/c1/k1?sig=1",
    fileLink: async () => ({ url: "https://bucket.example/chats/c1/k1?sig=1", expires_in: 300 }),
    ...overrides,
  };
  const api = { calls, of: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)) };
  for (const [name, fn] of Object.entries(impl)) {
    api[name] = (...args) => {
      calls.push([name, ...args]);
      return fn(...args);
    };
  }
  return api;
}

const CONFIG = {
  mode: "page", queue: "general", wsUrl: "wss://ws.example/default", restUrl: "https://api.example/api",
  offlineEmail: "ask@library.example", offlinePhone: "+1 555 0100", offlineUrl: "https://library.example/help",
  offlineMessage: undefined, explicitWsUrl: false,
};

function setup({ config = {}, api = {}, saved = null, createClient } = {}) {
  const fv = fakeView();
  const clock = new Clock();
  const clients = [];
  const bridge = { posts: [], post(type, extra = {}) { this.posts.push({ type, ...extra }); } };
  const store = new ChatStore(safeStorage({}), "libchat:test", clock.now);
  if (saved) store.save(saved);
  const page = { hidden: false, offline: false };
  const fakes = fakeApi(api);
  const widget = new PatronController({
    config: { ...CONFIG, ...config }, t, view: fv.view, api: fakes, store, bridge,
    createClient: createClient ? createClient(clock) : (options) => {
      const client = new FakeClient(options);
      clients.push(client);
      return client;
    },
    page: { hidden: () => page.hidden, offline: () => page.offline },
    now: clock.now,
    timers: { setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout },
  });
  return { widget, fv, api: fakes, clock, clients, bridge, store, page, client: () => clients.at(-1) };
}

/** Start, see the form, ask; returns the setup with the chat's client connected and welcomed. */
async function inChat(options = {}, { welcome = true } = {}) {
  const s = setup(options);
  s.widget.start();
  await flush();
  s.fv.ui().onSubmitQuestion({ question: "Do you have Dune?", name: "Pat", email: "pat@example.org" });
  await flush();
  if (welcome) s.client().welcome({ chat_id: "c1", status: "queued" });
  return s;
}

const librarian = { id: "libby", name: "Libby Librarian" };
const msg = (seq, role = "operator", extra = {}) => ({
  seq, chat_id: "c1", text: `m${seq}`, sent_at: "2026-03-02T10:00:05.000Z",
  sender: role === "operator" ? { role, ...librarian } : { role }, ...extra,
});
const notices = (fv) => fv.of("appendItem").map(([item]) => item).filter((item) => item.kind === "notice");
const messageSeqs = (fv) => fv.of("appendItem").map(([item]) => item).filter((item) => item.kind === "msg").map((i) => i.seq);

// ------------------------------------------------------------------ tests

test("the fake view only answers to the real View's method names", () => {
  const { view } = fakeView();
  assert.ok(VIEW_METHODS.has("showSurvey") && VIEW_METHODS.has("appendItem") && VIEW_METHODS.has("setHandlers"));
  assert.throws(() => view.showQuestionnaire(), /the View has no method showQuestionnaire/);
});

test("nobody online: the offline screen with the library's other ways to get help, and no form", async () => {
  const { widget, fv, clients } = setup({ api: { status: async () => ({ online: false, queues: [{ id: "general", online: false }] }) } });
  widget.start();
  assert.deepEqual(fv.of("showLoading"), [[]]);
  assert.deepEqual(fv.last("setStatus"), ["Checking availability…", "neutral"]);
  await flush();
  assert.deepEqual(fv.of("showOffline"), [[{ email: "ask@library.example", phone: "+1 555 0100",
    url: "https://library.example/help", message: undefined, unavailable: false, kept: false }]]);
  assert.deepEqual(fv.last("setStatus"), ["No librarians online right now", "offline"]);
  assert.deepEqual(fv.of("showForm"), []);
  assert.deepEqual(fv.of("focusOffline"), [], "a check the patron did not ask for takes no focus");
  assert.equal(clients.length, 0);
});

test("the service unreachable: the offline screen says so; Check again retries and focuses", async () => {
  let up = false;
  const { widget, fv } = setup({ api: { status: async () => {
    if (!up) throw new ApiError(0, "network");
    return { online: true, queues: [{ id: "general", online: true }] };
  } } });
  widget.start();
  await flush();
  assert.equal(fv.last("showOffline")[0].unavailable, true);
  assert.deepEqual(fv.last("setStatus"), ["Chat is unavailable", "offline"]);
  up = true;
  fv.ui().onRetryStatus();
  await flush();
  assert.deepEqual(fv.of("showForm"), [[{}]]);
  assert.deepEqual(fv.of("focusForm"), [[]]);
});

test("librarians online: the question form", async () => {
  const { widget, fv, bridge } = setup();
  widget.start();
  assert.deepEqual(bridge.posts, [{ type: "ready", active: false }]);
  await flush();
  assert.deepEqual(fv.of("showForm"), [[{}]]);
  assert.deepEqual(fv.last("setStatus"), ["Librarians are online", "online"]);
  assert.deepEqual(fv.of("showOffline"), []);
});

test("asking: createChat gets the question, name and email; the client gets the chat's ws_url and token; queued", async () => {
  const s = await inChat({}, { welcome: false });
  const { fv, api, bridge, store } = s;
  assert.deepEqual(fv.of("setFormBusy"), [[true]]);
  assert.deepEqual(api.of("createChat"), [[{ question: "Do you have Dune?", name: "Pat", email: "pat@example.org", queue: "general" }]]);
  const client = s.client();
  assert.equal(client.options.url, "wss://ws.example/prod");
  assert.equal(client.options.token, "tok-1");
  assert.deepEqual(client.options.lastSeq, { c1: 0 });
  assert.deepEqual(client.options.outbox, []);
  assert.equal(client.connects, 1);
  await client.options.fetchHistory("c1", 3);
  assert.deepEqual(api.of("history"), [["c1", "tok-1", 3]], "gaps are filled with the patron's token");
  assert.equal(fv.of("showConversation").length, 1);
  assert.deepEqual(fv.last("setWaiting"), [true]);
  assert.deepEqual(fv.last("setEndable"), [true]);
  assert.deepEqual(fv.last("setStatus"), ["Waiting for a librarian", "waiting"]);
  assert.deepEqual(fv.of("focusComposer"), [[]]);
  assert.deepEqual(bridge.posts.at(-1), { type: "active", active: true });
  const saved = store.load();
  assert.equal(saved.chat.chat_id, "c1");
  assert.equal(saved.chat.token, "tok-1");
  assert.equal(saved.chat.status, "queued");
});

test("a refused question keeps the form with the reason, and no chat starts", async () => {
  const s = setup({ api: { createChat: async () => { throw new ApiError(429, "rate_limited"); } } });
  s.widget.start();
  await flush();
  s.fv.ui().onSubmitQuestion({ question: "Hello?", name: "", email: "" });
  await flush();
  assert.deepEqual(s.fv.of("setFormBusy"), [[true], [false]]);
  assert.deepEqual(s.fv.last("setFormError"), ["You're sending messages very quickly. Please wait a moment and try again."]);
  assert.equal(s.clients.length, 0);
  assert.equal(s.store.load(), null);
});

test("chat.claimed: a 'joined' notice with the librarian's name, once; the header names them", async () => {
  const { fv, client, clock } = await inChat();
  clock.advance(1000);
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  const [joined] = notices(fv);
  assert.deepEqual(joined, { kind: "notice", id: "claimed:libby", type: "joined", vars: { name: "Libby Librarian" },
    at: "2026-03-02T10:00:01.000Z", after: 0 }, "a claim without the chat's facts follows what is here");
  assert.equal(noticeText(joined, t), "Libby Librarian joined the chat");
  assert.deepEqual(fv.last("setWaiting"), [false]);
  assert.deepEqual(fv.last("setStatus"), ["Chatting with Libby Librarian", "active"]);
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client().frame({ type: "chat.claimed", chat_id: "other", operator: { id: "ada", name: "Ada" } });
  assert.equal(notices(fv).length, 1, "the same librarian joins once; another chat's frames are ignored");
});

test("messages are shown once each, in the order the client releases them", async () => {
  const { fv, client, store } = await inChat();
  client().message(msg(1));
  client().message(msg(2, "patron", { client_msg_id: "cm-a" }));
  client().message(msg(2, "patron", { client_msg_id: "cm-a" })); // the history catch-up and the push overlap
  client().message(msg(1));
  client().message(msg(3));
  assert.deepEqual(messageSeqs(fv), [1, 2, 3]);
  const items = fv.of("appendItem").map(([item]) => item).filter((item) => item.kind === "msg");
  assert.deepEqual(items.map((i) => [i.role, i.text]), [["operator", "m1"], ["patron", "m2"], ["operator", "m3"]]);
  assert.equal(items[0].name, "Libby Librarian");
  assert.deepEqual(store.load().transcript.filter((i) => i.kind === "msg").map((i) => i.seq), [1, 2, 3]);
  assert.equal(store.load().lastSeq.c1, 3);
  assert.equal(noticeText(notices(fv)[0], t), "Libby Librarian joined the chat",
    "a librarian's message to a queued chat means it was claimed");
});

test("the patron sends with Enter: client.send with the text; too long or ended: not sent, the draft kept", async () => {
  const { fv, client } = await inChat();
  const ui = fv.ui();
  assert.equal(ui.onSend("Is it on the shelf?"), true);
  assert.deepEqual(client().actions("send"), [["c1", "Is it on the shelf?", {}]]);
  assert.deepEqual(fv.last("showComposerError"), [""]);
  assert.equal(ui.onSend("x".repeat(4001)), false);
  assert.equal(client().actions("send").length, 1);
  assert.deepEqual(fv.last("showComposerError"), ["That message is too long (at most 4,000 characters), so it was not sent."]);
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "patron" });
  await flush();
  assert.equal(ui.onSend("Still there?"), false);
  assert.equal(client().actions("send").length, 1);
});

test("a message the service refuses comes back into the text box with the reason", async () => {
  const { fv, client } = await inChat();
  client().emit("rejected", { chat_id: "c1", item: { text: "spam spam" }, error: { code: "rate_limited" } });
  assert.deepEqual(fv.last("showComposerError"), ["You're sending messages very quickly. Please wait a moment and try again."]);
  assert.deepEqual(fv.last("setDraft"), ["spam spam"]);
});

test("typing: nothing while queued; once claimed a notice at once, the draft on a pause, nothing after the send", async () => {
  const { fv, client, clock } = await inChat({}, { welcome: false });
  const ui = fv.ui();
  ui.onDraft("Is");
  assert.deepEqual(client().actions("typing"), [], "not before the connection is open");
  client().welcome({ chat_id: "c1", status: "queued" });
  ui.onDraft("Is it");
  clock.advance(20000);
  ui.onDraft("");
  assert.deepEqual(client().actions("typing"), [], "queued: no librarian's pane would show it");
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  ui.onDraft("Is");
  assert.deepEqual(client().actions("typing"), [["c1", true, "Is"]]);
  clock.advance(100);
  ui.onDraft("Is it");
  assert.equal(client().actions("typing").length, 1, "typing on: no frame per keystroke");
  clock.advance(1500);
  assert.equal(client().actions("typing").length, 1, "paused, but within 4 s of the notice");
  clock.advance(2400);
  assert.deepEqual(client().actions("typing")[1], ["c1", true, "Is it"], "a pause brings the draft");
  clock.advance(6100);
  assert.deepEqual(client().actions("typing")[2], ["c1", false, undefined], "a draft left alone: stopped");
  ui.onDraft("Is it out?");
  ui.onSend("Is it out?");
  clock.advance(60000);
  assert.deepEqual(client().actions("typing").slice(3), [["c1", true, "Is it out?"]], "no 'stopped' after a send");
});

test("typing stops going out when the chat goes back to the queue, and after it ends", async () => {
  const { fv, client, clock } = await inChat();
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  fv.ui().onDraft("a");
  client().frame({ type: "chat.transferred", chat_id: "c1", from: librarian, to: null });
  fv.ui().onDraft("ab");
  clock.advance(60000);
  assert.deepEqual(client().actions("typing"), [["c1", true, "a"]]);
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: { id: "ada", name: "Ada" } });
  fv.ui().onDraft("abc");
  assert.deepEqual(client().actions("typing").at(-1), ["c1", true, "abc"]);
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator" });
  await flush();
  clock.advance(60000);
  assert.equal(client().actions("typing").length, 2);
});

test("the librarian's typing notice shows their name and fades without an update", async () => {
  const { fv, client, clock } = await inChat();
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client().frame({ type: "chat.typing", chat_id: "c1", role: "operator", typing: true });
  assert.deepEqual(fv.last("setTyping"), ["Libby Librarian"]);
  clock.advance(29999); // over the dashboard's 20 s refresh (one frame per message)
  assert.deepEqual(fv.last("setTyping"), ["Libby Librarian"]);
  clock.advance(1);
  assert.deepEqual(fv.last("setTyping"), [null]);
  client().frame({ type: "chat.typing", chat_id: "c1", role: "patron", typing: true });
  assert.deepEqual(fv.last("setTyping"), [null], "the patron's own typing echo is not shown");
});

test("chat.ended: the ended notice, the socket let go, the survey offered and saved as pending", async () => {
  const { fv, client, store, bridge } = await inChat();
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator" });
  await flush();
  const ended = notices(fv).at(-1);
  assert.equal(ended.type, "ended");
  assert.equal(noticeText(ended, t), "Libby Librarian ended the chat");
  assert.equal(client().disconnected, true);
  assert.deepEqual(fv.of("showSurvey"), [[]]);
  assert.deepEqual(fv.of("focusAfter"), [[]]);
  assert.deepEqual(fv.last("setEndable"), [false]);
  assert.deepEqual(fv.last("setStatus"), ["Chat ended", "ended"]);
  assert.deepEqual(fv.last("setPending"), [[]]);
  assert.equal(store.load().survey, "pending");
  assert.equal(store.load().chat.status, "ended");
  assert.deepEqual(bridge.posts.filter((p) => p.type === "active"), [{ type: "active", active: true }]);
});

test("a chat left before anyone claimed it: no survey, 'You left the queue'", async () => {
  const { fv, client, store } = await inChat();
  fv.ui().onEndConfirmed();
  assert.deepEqual(client().actions("end"), [["c1", "end"]]);
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "patron" });
  await flush();
  assert.equal(noticeText(notices(fv).at(-1), t), "You ended the chat");
  assert.deepEqual(fv.of("showSurvey"), []);
  assert.deepEqual(fv.of("showClosing"), [["left"]]);
  assert.equal(store.load(), null);
});

test("the survey goes to the api as the endpoint wants it; then thanks, and the session is forgotten", async () => {
  const { fv, client, api, store, bridge } = await inChat();
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator" });
  await flush();
  fv.ui().onSurvey({ rating: "5", answered: "yes", comment: "  Thanks a lot!  " });
  assert.deepEqual(fv.last("setSurveyBusy"), [true]);
  await flush();
  assert.deepEqual(api.of("submitSurvey"), [["c1", "tok-1", { rating: 5, answered: true, comment: "Thanks a lot!" }]]);
  assert.deepEqual(fv.of("showClosing"), [["thanks"]]);
  assert.equal(store.load(), null);
  assert.deepEqual(bridge.posts.at(-1), { type: "active", active: false });
});

test("a survey that fails to send says why and stays; one already sent (conflict) still thanks", async () => {
  let failure = new ApiError(0, "network");
  const { fv, client } = await inChat({ api: { submitSurvey: async () => { throw failure; } } });
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator" });
  await flush();
  fv.ui().onSurvey({ rating: "3", answered: null, comment: "" });
  await flush();
  assert.deepEqual(fv.of("setSurveyBusy"), [[true], [false]]);
  assert.deepEqual(fv.last("setSurveyError"), ["We couldn't reach the chat service. Please check your connection and try again."]);
  assert.deepEqual(fv.of("showClosing"), []);
  failure = new ApiError(409, "conflict");
  fv.ui().onSurvey({ rating: "3", answered: null, comment: "" });
  await flush();
  assert.deepEqual(fv.of("showClosing"), [["thanks"]]);
});

/** A WebSocket the test plays the server of (for the real ProtocolClient). */
class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.frames = [];
    FakeSocket.all.push(this);
  }
  send(data) { this.frames.push(JSON.parse(data)); }
  close() { this.readyState = 3; }
  accept() {
    this.readyState = 1;
    this.onopen();
  }
  push(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
}

test("a reload resumes from the store: transcript restored, hello with the last seq, the outbox sent once", async () => {
  FakeSocket.all = [];
  const saved = {
    chat: { chat_id: "c9", token: "tok-9", ws_url: "wss://ws.example/prod", status: "active", operator: librarian },
    lastSeq: { c9: 2 },
    outbox: [{ chat_id: "c9", client_msg_id: "cm-offline", text: "written while offline" }],
    transcript: [
      { kind: "msg", seq: 1, role: "patron", text: "Do you have Dune?", sent_at: "2026-03-02T09:59:00.000Z" },
      { kind: "notice", id: "claimed:libby", type: "joined", vars: { name: "Libby Librarian" }, at: "2026-03-02T09:59:10.000Z" },
      { kind: "msg", seq: 2, role: "operator", name: "Libby Librarian", text: "Let me look.", sent_at: "2026-03-02T09:59:20.000Z" },
    ],
    survey: null,
  };
  const { widget, fv, api, bridge } = setup({ saved, createClient: (clock) => (options) => new ProtocolClient({
    ...options, WebSocket: FakeSocket, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, random: () => 0.5,
  }) });
  widget.start();
  assert.deepEqual(api.of("status"), [], "a resumed chat needs no status check");
  assert.deepEqual(bridge.posts, [{ type: "ready", active: true }]);
  const [[items]] = fv.of("renderTranscript");
  assert.deepEqual(items.map((i) => i.seq ?? i.id), [1, "claimed:libby", 2]);
  assert.deepEqual(fv.last("setStatus"), ["Chatting with Libby Librarian", "active"]);
  assert.deepEqual(fv.of("setPending")[0], [[{ chat_id: "c9", client_msg_id: "cm-offline", text: "written while offline" }]]);

  const [ws] = FakeSocket.all;
  assert.equal(ws.url, "wss://ws.example/prod?token=tok-9");
  ws.accept();
  assert.deepEqual(ws.frames, [{ action: "hello", after: { c9: 2 } }]);
  ws.push({ type: "welcome", role: "patron", chat: { chat_id: "c9", status: "active", operator: librarian, patron_presence: "online" } });
  assert.deepEqual(ws.frames.slice(1), [{ action: "send", request_id: "cm-offline", chat_id: "c9", client_msg_id: "cm-offline",
    text: "written while offline" }]);
  assert.equal(notices(fv).length, 0, "the saved 'joined' notice is not repeated");
  ws.push({ type: "chat.message", chat_id: "c9", message: { seq: 4, text: "Found it.", sender: { role: "operator", ...librarian } } });
  ws.push({ type: "chat.message", chat_id: "c9", message: { seq: 3, text: "written while offline", client_msg_id: "cm-offline",
    sender: { role: "patron" } } });
  ws.push({ type: "chat.message", chat_id: "c9", message: { seq: 3, text: "written while offline", sender: { role: "patron" } } });
  assert.deepEqual(messageSeqs(fv), [3, 4]);
  assert.deepEqual(fv.last("setPending"), [[]], "the stored message leaves the outbox");
});

test("forbidden or not_found pushed while reconnecting: the chat is gone, nothing to resume", async () => {
  for (const code of ["forbidden", "not_found"]) {
    const { fv, client, store, bridge } = await inChat();
    client().setState("reconnecting");
    client().frame({ type: "error", code, message: "no such chat" });
    assert.deepEqual(fv.of("showGone"), [[]], code);
    assert.deepEqual(fv.last("setStatus"), ["Chat ended", "ended"]);
    assert.equal(client().disconnected, true);
    assert.equal(store.load(), null);
    assert.deepEqual(bridge.posts.at(-1), { type: "active", active: false });
  }
  const { fv, client } = await inChat();
  client().frame({ type: "error", code: "forbidden", request_id: "r1", message: "not yours" });
  assert.deepEqual(fv.of("showGone"), [], "an answer to one request while connected is only an error");
  assert.deepEqual(fv.last("showComposerError"), ["Something went wrong on our side. Please try again."]);
});

test("reconnecting drags on: REST is asked after 5 s, then every 20 s; a 404 means the chat is gone", async () => {
  let answer = new ApiError(0, "network");
  const { fv, client, clock, api } = await inChat({ api: { history: async () => { throw answer; } } });
  client().setState("reconnecting");
  clock.advance(4999);
  assert.equal(api.of("history").length, 0);
  clock.advance(1);
  await flush();
  assert.deepEqual(api.of("history"), [["c1", "tok-1", 0]]);
  assert.deepEqual(fv.of("showGone"), [], "an unreachable service is not a verdict");
  answer = new ApiError(404, "not_found");
  clock.advance(19999);
  assert.equal(api.of("history").length, 1);
  clock.advance(1);
  await flush();
  assert.equal(api.of("history").length, 2);
  assert.deepEqual(fv.of("showGone"), [[]]);
  assert.equal(client().disconnected, true);
});

test("the probe stops once the connection is back", async () => {
  const { client, clock, api } = await inChat();
  client().setState("reconnecting");
  clock.advance(1000);
  client().setState("open");
  clock.advance(60000);
  await flush();
  assert.deepEqual(api.of("history"), []);
});

test("uploads: a file over the limit is refused before any request; a good one is uploaded and sent with the caption", async () => {
  const { fv, client, api } = await inChat();
  const huge = { name: "scan.pdf", type: "application/pdf", size: 10 * 1024 * 1024 + 1 };
  await fv.ui().onAttach([huge]);
  assert.deepEqual(api.calls.filter(([name]) => name === "uploadSlot" || name === "upload"), []);
  assert.deepEqual(fv.last("showComposerError"), ["That file is too large to send. Files can be up to 10 MB."]);
  assert.deepEqual(fv.of("setPendingFiles"), [], "a refused file is not offered");
  assert.deepEqual(client().actions("send"), []);

  fv.state.draft = "Here is the page";
  const shot = new File(["png-bytes"], "shelf.png", { type: "image/png" });
  fv.ui().onAttach([shot], { focus: true });
  assert.deepEqual(fv.last("setPendingFiles"), [[{ file: shot, name: "shelf.png", size: 9, image: true }], { focus: true }]);
  assert.deepEqual(api.calls.filter(([name]) => name === "uploadSlot" || name === "upload"), [], "only Upload sends");
  await fv.ui().onUpload();
  assert.deepEqual(api.of("uploadSlot"), [["c1", "tok-1", { filename: "shelf.png", content_type: "image/png", size: 9 }]]);
  assert.equal(api.of("upload")[0][0], "https://bucket.example/");
  assert.deepEqual(client().actions("send"), [["c1", "Here is the page",
    { attachment: { key: "chats/c1/k1", name: "shelf.png", size: 9, content_type: "image/png" } }]]);
  assert.deepEqual(fv.of("setUploading"), [["Uploading shelf.png…"], [null]]);
  assert.deepEqual(fv.last("setPendingFiles"), [[], { focus: false }], "sent: nothing is on offer any more");
});

test("uploads: the service's smaller limit is learnt from the slot and applies to the next file", async () => {
  const { fv, client, api } = await inChat({ api: { uploadSlot: async () => ({ url: "https://bucket.example/", fields: {},
    key: "chats/c1/k1", max_bytes: 1024 * 1024 }) } });
  fv.ui().onAttach([{ name: "notes.txt", type: "text/plain", size: 2 * 1024 * 1024 }]);
  await fv.ui().onUpload();
  assert.equal(api.of("uploadSlot").length, 1);
  assert.deepEqual(api.of("upload"), []);
  assert.deepEqual(fv.last("showComposerError"), ["That file is too large to send. Files can be up to 1 MB."]);
  await fv.ui().onAttach([{ name: "more.txt", type: "text/plain", size: 2 * 1024 * 1024 }]);
  assert.equal(api.of("uploadSlot").length, 1, "refused before asking again");
  assert.deepEqual(client().actions("send"), []);
});

test("a file in the conversation opens in a tab opened at the click, pointed at its short-lived link", async () => {
  const { fv, api } = await inChat();
  await fv.ui().onOpenFile({ key: "chats/c1/k1", name: "shelf.png" });
  assert.deepEqual(api.of("fileUrl"), [["c1", "tok-1", "chats/c1/k1"]]);
  assert.equal(fv.state.tabs[0].url, "https://bucket.example/chats/c1/k1?sig=1");
});

test("unread count on the launcher while the panel is closed or the tab hidden; opening clears it", async () => {
  const s = setup({ config: { mode: "floating" } });
  const { widget, fv, bridge, page, api } = s;
  widget.start();
  assert.deepEqual(fv.of("showLoading"), [[]]);
  assert.deepEqual(api.of("status"), [], "a closed floating panel checks nothing yet");
  widget.onHostCommand({ type: "open" });
  await flush();
  fv.ui().onSubmitQuestion({ question: "Hours on Sunday?", name: "", email: "" });
  await flush();
  const client = s.client();
  client.welcome({ chat_id: "c1", status: "queued" });
  widget.onHostCommand({ type: "close" });
  assert.deepEqual(client.actions("presence").at(-1), ["c1", "away"]);
  const unread = () => bridge.posts.filter((p) => p.type === "unread").map((p) => p.count);
  client.frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client.message(msg(1));
  client.message(msg(2, "patron"));
  assert.deepEqual(unread(), [1, 2], "the joined notice and the librarian's message; not the patron's own");
  widget.onHostCommand({ type: "open" });
  assert.deepEqual(unread(), [1, 2, 0]);
  assert.deepEqual(client.actions("presence").at(-1), ["c1", "online"]);
  page.hidden = true;
  widget.activityChanged();
  client.message(msg(3));
  assert.deepEqual(unread(), [1, 2, 0, 1]);
  page.hidden = false;
  widget.activityChanged();
  assert.deepEqual(unread(), [1, 2, 0, 1, 0]);
});

test("Download transcript: a dated file with the conversation as text, also after the chat is over", async () => {
  const { fv, client, clock } = await inChat();
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client().message(msg(1, "operator", { text: "Dune is on shelf 3." }));
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator" });
  await flush();
  fv.ui().onSkipSurvey();
  assert.deepEqual(fv.of("showClosing"), [["skipped"]]);
  clock.advance(24 * 3600 * 1000);
  fv.ui().onDownload();
  const [[name, text]] = fv.of("saveFile");
  assert.equal(name, "library-chat-2026-03-03.txt");
  assert.match(text, /^Chat transcript\n/);
  assert.match(text, /Libby Librarian: Dune is on shelf 3\.\n/);
  assert.match(text, /-- Libby Librarian ended the chat --\n$/);
});

test("Start a new chat: the old one is let go and the status checked again", async () => {
  const { fv, client, api } = await inChat();
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "patron" });
  await flush();
  fv.ui().onNewChat();
  await flush();
  assert.equal(api.of("status").length, 2);
  assert.deepEqual(fv.of("showForm").at(-1), [{}]);
  assert.deepEqual(fv.of("focusForm"), [[]]);
});

// ------------------------------------------------- issue 9: the manual under real hands

const ONLINE = { online: true, queues: [{ id: "general", name: "Ask a librarian", online: true }] };
const OFFLINE = { online: false, queues: [{ id: "general", name: "Ask a librarian", online: false }] };

test("quick claims: 'joined' goes after the question by the protocol's facts, however its frame races the backlog", async () => {
  // (a) claimed before the widget's hello: the welcome says active (claimed_at) before message 1 arrives
  const a = await inChat({}, { welcome: false });
  a.client().welcome({ chat_id: "c1", status: "active", operator: librarian, claimed_at: "2026-03-02T10:00:00.400Z",
    last_seq: 1 });
  a.client().message(msg(1, "patron", { sent_at: "2026-03-02T10:00:00.100Z" }));
  assert.deepEqual(a.fv.last("renderTranscript")[0].map((i) => i.seq ?? i.id), [1, "claimed:libby"]);
  a.client().message(msg(2, "patron", { sent_at: "2026-03-02T10:00:01.000Z" }));
  assert.deepEqual(a.fv.last("appendItem")[0].seq, 2, "later messages follow the notice");
  assert.deepEqual(a.store.load().transcript.map((i) => i.seq ?? i.id), [1, "claimed:libby", 2], "and so it is saved");
  // (b) chat.claimed (with the chat's last_seq at claim) before the backlog's message 1
  const b = await inChat();
  b.client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian,
    chat: { chat_id: "c1", status: "active", last_seq: 1, claimed_at: "2026-03-02T10:00:00.400Z" } });
  b.client().message(msg(1, "patron"));
  b.client().message(msg(2, "operator"));
  const order = b.fv.last("renderTranscript")[0].map((i) => i.seq ?? i.id);
  assert.deepEqual(order.slice(0, 2), [1, "claimed:libby"]);
  assert.equal(notices(b.fv)[0].at, "2026-03-02T10:00:00.400Z", "the notice shows the claim's own time");
  // (c) a reload keeps the order it was saved in
  const saved = a.store.load();
  const c = setup({ saved });
  c.widget.start();
  assert.deepEqual(c.fv.of("renderTranscript")[0][0].map((i) => i.seq ?? i.id), [1, "claimed:libby", 2]);
});

test("the ended notice stays last even when the catch-up brings messages after it", async () => {
  const { fv, client } = await inChat();
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian, chat: { last_seq: 1 } });
  client().message(msg(1, "patron"));
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator" });
  await flush();
  const tr = fv.of("appendItem").map(([i]) => i.seq ?? i.id);
  assert.equal(tr.at(-1), "ended");
});

test("the header never says 'Chatting with' over a connection that is down", async () => {
  const { fv, client, page, widget } = await inChat();
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  assert.deepEqual(fv.last("setStatus"), ["Chatting with Libby Librarian", "active"]);
  client().setState("reconnecting");
  assert.deepEqual(fv.last("setStatus"), ["Reconnecting…", "reconnecting"]);
  client().welcome({ chat_id: "c1", status: "active", operator: librarian });
  assert.deepEqual(fv.last("setStatus"), ["Chatting with Libby Librarian", "active"]);
  page.offline = true;
  client().setState("connecting");
  widget.networkChanged(false);
  assert.deepEqual(fv.last("setStatus"), ["Reconnecting…", "reconnecting"], "offline: connecting is reconnecting");
});

test("typing previews: a note while the library shows them; none sent and no note when it does not", async () => {
  const on = await inChat({}, { welcome: false });
  on.client().welcome({ chat_id: "c1", status: "active", operator: librarian }); // a service without the field: previews on
  assert.deepEqual(on.fv.last("setPreviewNote"), [true]);
  on.fv.ui().onDraft("Is");
  assert.deepEqual(on.client().actions("typing"), [["c1", true, "Is"]]);

  FakeSocket.all = [];
  const off = setup({ createClient: (clock) => (options) => new ProtocolClient({
    ...options, WebSocket: FakeSocket, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, random: () => 0.5,
  }) });
  off.widget.start();
  await flush();
  off.fv.ui().onSubmitQuestion({ question: "Do you have Dune?", name: "", email: "" });
  await flush();
  const [ws] = FakeSocket.all;
  ws.accept();
  ws.push({ type: "welcome", role: "patron", typing_preview: false, chat: { chat_id: "c1", status: "active",
    operator: librarian } });
  assert.deepEqual(off.fv.last("setPreviewNote"), [false]);
  off.fv.ui().onDraft("My card number is");
  off.clock.advance(2000);
  off.fv.ui().onDraft("My card number is 1234");
  off.clock.advance(2000);
  off.fv.ui().onDraft("My card number is 1234 5678");
  off.clock.advance(7000);
  off.fv.ui().onDraft("My card number is 1234 5678 9");
  const typing = ws.frames.filter((f) => f.action === "typing");
  assert.deepEqual(typing, [{ action: "typing", chat_id: "c1", typing: true }, { action: "typing", chat_id: "c1", typing: true }],
    "the notice, then only a keep-alive after 10 s: no draft to send on pauses");
  assert.ok(typing.every((f) => !("preview" in f)), "no preview on the wire");
  assert.equal(off.store.load().chat.typing_preview, false, "remembered for a reload");
});

/** A setup whose status names the service's WebSocket, with the watch's client recorded apart. */
function watching(statuses) {
  const watchers = [];
  let next = 0;
  const s = setup({ api: { status: async () => ({ ...statuses[Math.min(next++, statuses.length - 1)], ws_url: "wss://ws.example/prod" }) },
    createClient: () => (options) => {
      const client = new FakeClient(options);
      (options.token ? s.clients : watchers).push(client);
      return client;
    } });
  s.watchers = watchers;
  return s;
}

test("nobody online: a watch connection (no token) brings the form when a librarian comes online, without a click", async () => {
  const s = watching([OFFLINE]);
  s.widget.start();
  await flush();
  assert.equal(s.fv.last("showOffline")[0].unavailable, false);
  const [watch] = s.watchers;
  assert.equal(watch.options.url, "wss://ws.example/prod?watch=status");
  assert.equal(watch.options.token, null);
  assert.equal(watch.options.resume, false);
  assert.equal(watch.connects, 1);
  watch.setState("open");
  watch.emit("welcome", { type: "welcome", role: "watcher", status: OFFLINE });
  assert.equal(s.fv.of("showOffline").length, 1, "the same status changes nothing");
  watch.frame({ type: "service.status", ...ONLINE });
  assert.deepEqual(s.fv.of("showForm"), [[{}]]);
  assert.deepEqual(s.fv.last("setStatus"), ["Librarians are online", "online"]);
  watch.frame({ type: "service.status", ...ONLINE });
  assert.equal(s.fv.of("showForm").length, 1, "pushed twice: idempotent");
  assert.equal(s.api.of("status").length, 1, "no polling");
  // the last librarian leaves while the patron writes: the offline screen, what was typed kept
  s.fv.state.form = { question: "Do you have Dune?", name: "Pat", email: "" };
  watch.frame({ type: "service.status", ...OFFLINE });
  assert.deepEqual(s.fv.last("showOffline")[0].kept, true);
  watch.frame({ type: "service.status", ...ONLINE });
  assert.deepEqual(s.fv.last("showForm"), [{ question: "Do you have Dune?", name: "Pat", email: "" }]);
  // asking: the chat's own connection takes over
  s.fv.ui().onSubmitQuestion({ question: "Do you have Dune?", name: "Pat", email: "" });
  await flush();
  assert.equal(watch.disconnected, true);
  assert.equal(s.clients.length, 1);
  watch.frame({ type: "service.status", ...OFFLINE });
  assert.equal(s.fv.of("showOffline").length, 2, "a chat is not replaced by a late status");
});

test("the watch follows the panel: closed with it, opened again with the next status check; Check again still works", async () => {
  const s = watching([OFFLINE, OFFLINE, ONLINE]);
  const { widget } = s;
  s.widget.config.mode = "floating";
  widget.panel.open = true;
  widget.start();
  await flush();
  const [first] = s.watchers;
  assert.equal(first.connects, 1);
  widget.onHostCommand({ type: "close" });
  assert.equal(first.disconnected, true, "no watching behind a closed panel");
  widget.onHostCommand({ type: "open" });
  await flush();
  assert.equal(s.watchers.length, 2);
  assert.equal(s.watchers[1].connects, 1);
  s.fv.ui().onRetryStatus();
  await flush();
  assert.deepEqual(s.fv.of("showForm"), [[{}]]);
  assert.equal(s.watchers.length, 2, "the open watch is kept");
  assert.equal(s.watchers[1].disconnected, false);
});

test("a service without ws_url in /api/status: no watch connection (nothing to dial in vain)", async () => {
  const s = setup({ api: { status: async () => OFFLINE } });
  s.widget.start();
  await flush();
  assert.equal(s.clients.length, 0);
});

test("files wait for Upload: Cancel sends nothing; a paste is offered without taking the focus", async () => {
  const { fv, client, api } = await inChat();
  const shot = new File(["png-bytes"], "image.png", { type: "image/png" });
  fv.ui().onAttach([shot], { focus: false });
  assert.deepEqual(fv.last("setPendingFiles"), [[{ file: shot, name: "image.png", size: 9, image: true }], { focus: false }]);
  fv.ui().onCancelUpload();
  assert.deepEqual(fv.last("setPendingFiles"), [[]]);
  await fv.ui().onUpload();
  assert.deepEqual(api.calls.filter(([name]) => name === "uploadSlot" || name === "upload"), []);
  assert.deepEqual(client().actions("send"), []);
  const pdf = new File(["%PDF"], "slip.pdf", { type: "application/pdf" });
  const page = new File(["<p>"], "page.html", { type: "text/html" });
  fv.ui().onAttach([page, pdf], { focus: true });
  assert.match(fv.last("showComposerError")[0], /That type of file can't be sent/);
  assert.deepEqual(fv.last("setPendingFiles")[0].map((f) => f.name), ["slip.pdf"], "the good one is offered");
  await fv.ui().onUpload();
  assert.equal(client().actions("send")[0][2].attachment.name, "slip.pdf");
});

// ------------------------------------------------------------------ desks (docs/desks.md)

const LAW_CLOSED = { id: "law", name: "Law Library", online: false, open: false, timezone: "America/New_York",
  next_open: "2026-03-02T14:00:00Z" }; // 9:00 AM in New York, 3:00 PM in Paris; START is 10:00Z
const LAW_OPEN = { id: "law", name: "Law Library", online: true, open: true, timezone: "America/New_York" };
const GENERAL_ON = { id: "general", name: "Ask a librarian", online: true, open: true, timezone: "UTC" };

test("desks: the status is asked for the widget's desk and the chat is created on it", async () => {
  const s = setup({ config: { queue: "law" }, api: { status: async () => ({ online: true, queues: [GENERAL_ON, LAW_OPEN],
    queue: LAW_OPEN }) } });
  s.widget.start();
  await flush();
  assert.deepEqual(s.api.of("status"), [["law"]]);
  assert.deepEqual(s.fv.of("showForm"), [[{}]]);
  s.fv.ui().onSubmitQuestion({ question: "Moot court rules?", name: "", email: "" });
  await flush();
  assert.equal(s.api.of("createChat")[0][0].queue, "law");
});

test("desks: a closed desk says when it opens, in the patron's time and the library's, even with others online", async () => {
  const s = setup({ config: { queue: "law", timeZone: "Europe/Paris" },
    api: { status: async () => ({ online: true, queues: [GENERAL_ON, LAW_CLOSED], queue: LAW_CLOSED }) } });
  s.widget.start();
  await flush();
  assert.deepEqual(s.fv.of("showForm"), [], "another desk's librarians do not answer this one");
  const [screen] = s.fv.last("showOffline");
  assert.equal(screen.unavailable, false);
  assert.equal(screen.closed.desk, "Law Library");
  const { opening } = screen.closed;
  assert.equal(t(opening.key, opening.vars), "Opens today at 3:00 PM (your time).");
  assert.equal(t(opening.library.key, opening.library.vars), "That's 9:00 AM in New York.");
  assert.deepEqual(s.fv.last("setStatus"), ["Chat is closed right now", "offline"]);
  assert.equal(screen.email, "ask@library.example", "the other ways to get help stay");
});

test("desks: left open across the opening, the widget looks again at next_open and brings the form", async () => {
  let open = false;
  const s = setup({ config: { queue: "law" }, api: { status: async () => (open
    ? { online: true, queues: [LAW_OPEN], queue: LAW_OPEN }
    : { online: false, queues: [LAW_CLOSED], queue: LAW_CLOSED }) } });
  s.widget.start();
  await flush();
  assert.equal(s.api.of("status").length, 1);
  s.clock.advance(4 * 3600 * 1000 - 1); // up to 14:00Z, less a millisecond
  assert.equal(s.api.of("status").length, 1, "no polling before the opening");
  open = true;
  s.clock.advance(2001); // the grace after next_open
  await flush();
  assert.equal(s.api.of("status").length, 2);
  assert.deepEqual(s.fv.of("showForm"), [[{}]]);
  s.clock.advance(24 * 3600 * 1000);
  assert.equal(s.api.of("status").length, 2, "open: no more timers");
});

test("desks: the reopen timer goes with the panel and with a chat", async () => {
  const s = setup({ config: { queue: "law", mode: "floating" }, api: { status: async () => ({ online: false,
    queues: [LAW_CLOSED], queue: LAW_CLOSED }) } });
  s.widget.panel.open = true;
  s.widget.start();
  await flush();
  s.widget.onHostCommand({ type: "close" });
  s.clock.advance(5 * 3600 * 1000);
  await flush();
  assert.equal(s.api.of("status").length, 1, "nothing behind a closed panel: it checks when opened");
  s.widget.onHostCommand({ type: "open" });
  await flush();
  assert.equal(s.api.of("status").length, 2);
});

test("desks: a desk the service does not know (404) falls back to the service's default desk", async () => {
  const s = setup({ config: { queue: "typo" }, api: { status: async (queue) => {
    if (queue) throw new ApiError(404, "not_found");
    return { online: true, queues: [GENERAL_ON] };
  } } });
  s.widget.start();
  await flush();
  assert.deepEqual(s.api.of("status"), [["typo"], []]);
  assert.deepEqual(s.fv.of("showForm"), [[{}]]);
  s.fv.ui().onSubmitQuestion({ question: "Hi", name: "", email: "" });
  await flush();
  assert.equal(s.api.of("createChat")[0][0].queue, undefined, "no unknown desk on the new chat");
});

test("desks: the desk closes while the patron writes (409): the closed screen, the question kept", async () => {
  let closed = false;
  const s = setup({ config: { queue: "law" }, api: {
    status: async () => (closed ? { online: false, queues: [LAW_CLOSED], queue: LAW_CLOSED }
      : { online: true, queues: [LAW_OPEN], queue: LAW_OPEN }),
    createChat: async () => { closed = true; throw new ApiError(409, "invalid_state"); },
  } });
  s.widget.start();
  await flush();
  s.fv.state.form = { question: "Moot court rules?", name: "", email: "" };
  s.fv.ui().onSubmitQuestion({ question: "Moot court rules?", name: "", email: "" });
  await flush();
  await flush();
  const [screen] = s.fv.last("showOffline");
  assert.ok(screen.closed, "the closed screen");
  assert.equal(screen.kept, true);
  assert.deepEqual(s.fv.of("setFormError").filter(([text]) => text), [], "not 'this chat has ended'");
});

test("desks: pushes follow the widget's desk among the queues, and a new next_open redraws the closed screen", async () => {
  const s = watching([{ online: false, queues: [GENERAL_ON, LAW_CLOSED], queue: LAW_CLOSED }]);
  s.widget.config.queue = "law";
  s.widget.intake.config.queue = "law";
  s.widget.start();
  await flush();
  const [watch] = s.watchers;
  assert.equal(s.fv.of("showOffline").length, 1);
  watch.frame({ type: "service.status", online: true, queues: [GENERAL_ON, LAW_CLOSED] });
  assert.equal(s.fv.of("showOffline").length, 1, "the same: nothing redrawn");
  watch.frame({ type: "service.status", online: true, queues: [GENERAL_ON, { ...LAW_CLOSED, next_open: "2026-03-03T14:00:00Z" }] });
  assert.equal(s.fv.of("showOffline").length, 2, "an admin changed the hours: the new opening shows");
  watch.frame({ type: "service.status", online: true, queues: [GENERAL_ON, { ...LAW_OPEN, online: false }] });
  assert.equal(s.fv.last("showOffline")[0].closed, undefined, "open, nobody there: the offline screen as before");
  watch.frame({ type: "service.status", online: true, queues: [GENERAL_ON, LAW_OPEN] });
  assert.deepEqual(s.fv.of("showForm"), [[{}]]);
});

test("place in line: from the welcome and chat.line, announced only when the text changes, gone once claimed", async () => {
  const { fv, client } = await inChat({}, { welcome: false });
  client().welcome({ chat_id: "c1", status: "queued", position: 2, expected_wait_seconds: 180 });
  assert.deepEqual(fv.last("setLine"), ["You are number 2 in line. Expected wait: about 3 minutes."]);
  const calls = () => fv.of("setLine").length;
  const before = calls();
  client().frame({ type: "chat.line", chat_id: "c1", position: 2, expected_wait_seconds: 180 });
  client().frame({ type: "chat.line", chat_id: "c1", position: 2, expected_wait_seconds: 185 });
  assert.equal(calls(), before, "the same values: the live region is left alone");
  client().frame({ type: "chat.line", chat_id: "other", position: 1 });
  assert.equal(calls(), before, "another chat's line");
  client().frame({ type: "chat.line", chat_id: "c1", position: 1 });
  assert.deepEqual(fv.last("setLine"), ["You are next in line."]);
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  assert.deepEqual(fv.last("setLine"), [null]);
  client().frame({ type: "chat.line", chat_id: "c1", position: 1 });
  assert.deepEqual(fv.last("setLine"), [null], "a late frame after the claim shows nothing");
});

test("place in line: a service that sends none shows none; back in the queue, the next chat.line shows it", async () => {
  const { fv, client } = await inChat();
  assert.deepEqual(fv.of("setLine").filter(([text]) => text), []);
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client().frame({ type: "chat.transferred", chat_id: "c1", from: librarian, to: null });
  client().frame({ type: "chat.line", chat_id: "c1", position: 3, expected_wait_seconds: 30 });
  assert.deepEqual(fv.last("setLine"), ["You are number 3 in line. Expected wait: less than a minute."]);
});

test("End confirmed while the socket is still opening: it waits for the connection, then goes out once", async () => {
  const { fv, client } = await inChat({}, { welcome: false });
  assert.equal(client().state, "connecting");
  fv.ui().onEndConfirmed();
  assert.deepEqual(client().actions("end"), []);
  assert.deepEqual(fv.last("showComposerError"), ["Connecting… the chat will end as soon as we're connected."]);
  client().welcome({ chat_id: "c1", status: "queued" });
  assert.deepEqual(client().actions("end"), [["c1", "end"]]);
  assert.deepEqual(fv.last("showComposerError"), [""]);
  client().setState("reconnecting");
  client().setState("open");
  assert.deepEqual(client().actions("end"), [["c1", "end"]], "asked once, sent once");
});

test("End confirmed while the page is offline: the patron is told to try again, nothing is held", async () => {
  const { fv, client, page } = await inChat();
  client().setState("reconnecting");
  page.offline = true;
  fv.ui().onEndConfirmed();
  assert.deepEqual(fv.last("showComposerError"), ["You're not connected right now. Please try again once we've reconnected."]);
  client().setState("open");
  assert.deepEqual(client().actions("end"), []);
});

test("chat.observed: the patron is told in the log when a supervisor looks in and stops; `by` names who ended it", async () => {
  const { fv, client, clock } = await inChat();
  client().frame({ type: "chat.claimed", chat_id: "c1", operator: librarian });
  client().frame({ type: "chat.observed", chat_id: "c1", observed: true });
  assert.equal(noticeText(notices(fv).at(-1), t), "A supervisor is now viewing this chat, as the library's privacy policy allows.");
  clock.advance(1000);
  client().frame({ type: "chat.observed", chat_id: "c1", observed: false });
  assert.equal(noticeText(notices(fv).at(-1), t), "The supervisor is no longer viewing this chat.");
  client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator", by: { id: "sue", name: "Sue Supervisor" } });
  await flush();
  assert.equal(noticeText(notices(fv).at(-1), t), "Sue Supervisor ended the chat");
});
