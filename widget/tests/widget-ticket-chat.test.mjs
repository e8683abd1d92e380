// Tickets in the patron widget (docs/tickets.md), through its controller in node without a DOM:
// the offline screen's "leave a question" form (POST /api/tickets), the waiting chat's offer
// (`chat.ticket_offer`, and after RECONNECT_OFFER_MS of failed reconnects) with "E-mail me the
// answer" (POST /api/chats/{id}/ticket) and "Keep waiting", and after a chat "E-mail me the
// transcript" (POST /api/chats/{id}/transcript) and Print. A strict fake view (only the real
// View's method names), a fake api and protocol client, a fake clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PatronController } from "../patron/controller.js";
import { View } from "../patron/view.js";
import { ChatStore, safeStorage } from "../patron/store.js";
import { makeT } from "../patron/i18n.js";
import { RECONNECT_OFFER_MS, ticketErrorText } from "../patron/tickets.js";
import { ApiError } from "../patron/api.js";
import { noticeText } from "../patron/transcript.js";

const t = makeT("en");
const START = Date.parse("2026-03-02T10:00:00.000Z");
const flush = () => new Promise((resolve) => setImmediate(resolve));

const VIEW_METHODS = new Set(Object.getOwnPropertyNames(View.prototype)
  .filter((name) => name !== "constructor" && typeof Object.getOwnPropertyDescriptor(View.prototype, name).value === "function"));
const SCREENS = { showLoading: "loading", showOffline: "offline", showForm: "form", showConversation: "chat", showGone: "gone" };

function fakeView() {
  const calls = [];
  const state = { screen: undefined, handlers: null, ticket: null };
  const answers = {
    setHandlers: (handlers) => { state.handlers = handlers; },
    currentScreen: () => state.screen,
    formValues: () => ({ question: "", name: "", email: "" }),
    ticketValues: () => state.ticket,
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

class FakeClient extends EventTarget {
  constructor(options) {
    super();
    this.options = options;
    this.state = "closed";
    this.disconnected = false;
    this.sent = [];
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
  connect() { this.setState("connecting"); }
  disconnect() {
    this.disconnected = true;
    this.setState("closed");
  }
  reconnectNow() {}
  welcome(chat) {
    this.setState("open");
    this.emit("welcome", { type: "welcome", role: "patron", chat });
  }
  frame(frame) { this.emit("frame", frame); }
  send(chatId, text) { this.sent.push(["send", chatId, text]); }
  typing() { return false; }
  presence() { return true; }
  end(chatId) {
    this.sent.push(["end", chatId]);
    return true;
  }
  pending() { return []; }
  snapshot() { return { lastSeq: { c1: 0 }, outbox: [] }; }
}

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

function fakeApi(overrides = {}) {
  const calls = [];
  const impl = {
    status: async () => ({ online: true, queues: [{ id: "general", name: "Ask a librarian", online: true }] }),
    createChat: async () => ({ chat_id: "c1", token: "tok-1", ws_url: "wss://ws.example/prod" }),
    history: async () => [],
    submitSurvey: async () => ({}),
    createTicket: async () => ({ ticket_id: "t-1", status: "open" }),
    chatTicket: async () => ({ ticket_id: "t-2" }),
    emailTranscript: async () => ({ sent: true }),
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
  offlineEmail: "ask@library.example", offlinePhone: "+1 555 0100", offlineUrl: undefined,
  offlineMessage: undefined, explicitWsUrl: false,
};
const OFFLINE = { status: async () => ({ online: false, queues: [{ id: "general", online: false }] }) };

function setup({ api = {} } = {}) {
  const fv = fakeView();
  const clock = new Clock();
  const clients = [];
  const bridge = { posts: [], post(type, extra = {}) { this.posts.push({ type, ...extra }); } };
  const store = new ChatStore(safeStorage({}), "libchat:test", clock.now);
  const fakes = fakeApi(api);
  const widget = new PatronController({
    config: { ...CONFIG }, t, view: fv.view, api: fakes, store, bridge,
    createClient: (options) => {
      const client = new FakeClient(options);
      clients.push(client);
      return client;
    },
    page: { hidden: () => false, offline: () => false },
    now: clock.now,
    timers: { setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout },
  });
  return { widget, fv, api: fakes, clock, clients, store, client: () => clients.at(-1) };
}

async function inChat(options = {}) {
  const s = setup(options);
  s.widget.start();
  await flush();
  s.fv.ui().onSubmitQuestion({ question: "Do you have Dune?", name: "Pat", email: "pat@example.org" });
  await flush();
  s.client().welcome({ chat_id: "c1", status: "queued" });
  return s;
}

const notices = (fv) => fv.of("appendItem").map(([item]) => item).filter((item) => item.kind === "notice");

// ------------------------------------------------------------ offline screen

test("nobody online: the offline screen gets the ticket form after the e-mail and phone", async () => {
  const s = setup({ api: OFFLINE });
  s.widget.start();
  await flush();
  assert.equal(s.fv.of("showOffline").length, 1);
  assert.equal(s.fv.last("showOffline")[0].email, "ask@library.example", "the e-mail and phone lines stay");
  assert.deepEqual(s.fv.of("showTicketForm"), [[{ values: {}, sent: null }]]);
});

test("the service unreachable: no ticket form (it could not be sent either)", async () => {
  const s = setup({ api: { status: async () => { throw new ApiError(0, "network"); } } });
  s.widget.start();
  await flush();
  assert.equal(s.fv.last("showOffline")[0].unavailable, true);
  assert.deepEqual(s.fv.of("showTicketForm"), []);
});

test("a desk closed for the night takes a ticket too", async () => {
  const s = setup({ api: { status: async () => ({ queues: [{ id: "general", open: false, online: false,
    next_open: "2026-03-03T09:00:00Z", timezone: "UTC" }] }) } });
  s.widget.start();
  await flush();
  assert.ok(s.fv.last("showOffline")[0].closed);
  assert.equal(s.fv.of("showTicketForm").length, 1);
});

test("leaving a question: POST /api/tickets for the widget's desk, then 'Thanks, we'll e-mail you at …'", async () => {
  const s = setup({ api: OFFLINE });
  s.widget.start();
  await flush();
  s.fv.ui().onSubmitTicket({ question: "Opening hours at Easter?", name: "", email: "pat@example.org" });
  await flush();
  assert.deepEqual(s.api.of("createTicket"), [[{ question: "Opening hours at Easter?", name: "", email: "pat@example.org",
    queue: "general" }]]);
  assert.deepEqual(s.fv.of("setTicketBusy"), [[true]]);
  assert.deepEqual(s.fv.of("showTicketSent"), [["pat@example.org"]]);
  assert.equal(t("ticket.sent", { email: "pat@example.org" }), "Thanks, we'll e-mail you at pat@example.org");
  // the screen drawn again (a status push to "closed"): the thanks stays, no empty form
  s.fv.ui().onRetryStatus();
  await flush();
  assert.deepEqual(s.fv.last("showTicketForm"), [{ values: {}, sent: "pat@example.org" }]);
});

test("a refused ticket: the service's reason in the form, nothing sent, the fields left as they are", async () => {
  const s = setup({ api: { ...OFFLINE, createTicket: async () => { throw new ApiError(400, "bad_request", "email: not an address"); } } });
  s.widget.start();
  await flush();
  s.fv.ui().onSubmitTicket({ question: "Q?", name: "Pat", email: "pat@example.org" });
  await flush();
  assert.deepEqual(s.fv.of("setTicketBusy"), [[true], [false]]);
  assert.deepEqual(s.fv.last("setTicketError"), ["The service could not accept that: email: not an address"]);
  assert.deepEqual(s.fv.of("showTicketSent"), []);
  assert.equal(ticketErrorText(t, new ApiError(429, "rate_limited")), t("error.rate_limited"));
  assert.equal(ticketErrorText(t, new ApiError(0, "network", "Failed to fetch")), t("error.network"));
  assert.equal(ticketErrorText(t, new ApiError(500, "internal")), t("error.generic"));
  assert.equal(ticketErrorText(t, new ApiError(502, "mail_failed", "SES said no")), t("ticket.mailFailed"));
  assert.equal(ticketErrorText(t, new ApiError(503, "unavailable", "no SES")), t("ticket.mailUnavailable"));
  assert.equal(ticketErrorText(t, new ApiError(413, "too_large", "this ticket is full")),
    "The service could not accept that: this ticket is full");
  assert.equal(ticketErrorText(t, new ApiError(409, "invalid_state")), t("error.invalid_state"), "only the offer reads it otherwise");
});

test("what the ticket form holds comes back when the screen is drawn again", async () => {
  const s = setup({ api: OFFLINE });
  s.widget.start();
  await flush();
  s.fv.state.ticket = { question: "Half a question", name: "", email: "" };
  s.fv.ui().onRetryStatus();
  await flush();
  assert.deepEqual(s.fv.last("showTicketForm"), [{ values: { question: "Half a question", name: "", email: "" }, sent: null }]);
});

// ------------------------------------------------------------ the offer

test("chat.ticket_offer while waiting: the offer, with the e-mail from the question form", async () => {
  const s = await inChat();
  s.client().frame({ type: "chat.ticket_offer", chat_id: "c1", waited_seconds: 131 });
  assert.deepEqual(s.fv.of("showTicketOffer"), [[{ reason: "waiting", email: "pat@example.org" }]]);
  s.client().frame({ type: "chat.ticket_offer", chat_id: "other" });
  assert.equal(s.fv.of("showTicketOffer").length, 1, "another chat's frame is not ours");
});

test("Keep waiting hides the offer and gives the composer the focus; the chat goes on", async () => {
  const s = await inChat();
  s.client().frame({ type: "chat.ticket_offer", chat_id: "c1" });
  s.fv.ui().onKeepWaiting();
  assert.equal(s.fv.of("hideTicketOffer").length, 1);
  assert.equal(s.fv.last("focusComposer").length, 0);
  assert.equal(s.client().disconnected, false);
  assert.deepEqual(s.api.of("chatTicket"), []);
});

test("a reload learns of the offer from its welcome (ticket_offered); after Keep waiting it is not made again", async () => {
  const s = await inChat();
  assert.equal(s.fv.of("showTicketOffer").length, 0, "a welcome without ticket_offered offers nothing");
  s.client().welcome({ chat_id: "c1", status: "queued", ticket_offered: true });
  assert.deepEqual(s.fv.of("showTicketOffer"), [[{ reason: "waiting", email: "pat@example.org" }]]);
  s.client().welcome({ chat_id: "c1", status: "queued", ticket_offered: true });
  assert.equal(s.fv.of("showTicketOffer").length, 1, "already on screen");
  s.fv.ui().onKeepWaiting();
  assert.equal(s.store.load().chat.offer_declined, true, "kept for the next page");
  s.client().welcome({ chat_id: "c1", status: "queued", ticket_offered: true });
  assert.equal(s.fv.of("showTicketOffer").length, 1, "declined: not asked again");
});

test("a librarian picks the chat up: no offer then, and an offer on screen goes", async () => {
  const s = await inChat();
  s.client().frame({ type: "chat.ticket_offer", chat_id: "c1" });
  s.client().frame({ type: "chat.claimed", chat_id: "c1", operator: { id: "libby", name: "Libby" }, chat: { last_seq: 1 } });
  assert.equal(s.fv.of("hideTicketOffer").length, 1);
  s.client().frame({ type: "chat.ticket_offer", chat_id: "c1" });
  assert.equal(s.fv.of("showTicketOffer").length, 1, "not made to a chat someone answers");
});

test("E-mail me the answer: POST /api/chats/{id}/ticket with the patron's token, then the chat view ends", async () => {
  const s = await inChat();
  const client = s.client();
  client.frame({ type: "chat.ticket_offer", chat_id: "c1" });
  s.fv.ui().onAcceptOffer({ email: "pat@work.example" });
  assert.deepEqual(s.fv.of("setOfferBusy"), [[true]]);
  // the service ends the chat (reason "ticket") before its answer arrives: that waits
  client.frame({ type: "chat.ended", chat_id: "c1", ended_by: "system", reason: "ticket" });
  await flush();
  assert.deepEqual(s.api.of("chatTicket"), [["c1", "tok-1", { email: "pat@work.example", name: "Pat" }]]);
  assert.deepEqual(s.fv.of("showTicketDone"), [["pat@work.example"]]);
  assert.deepEqual(s.fv.of("showSurvey"), []);
  assert.deepEqual(s.fv.of("showClosing"), [], "not 'You left the queue'");
  assert.equal(client.disconnected, true);
  assert.equal(s.store.load(), null, "the session is forgotten");
  assert.deepEqual(s.fv.last("setEndable"), [false]);
  assert.deepEqual(s.fv.last("setStatus"), ["Chat ended", "ended"]);
  assert.equal(noticeText(notices(s.fv).at(-1), t), "The chat became an e-mail question");
  assert.deepEqual(s.fv.of("focusAfter"), [[]]);
});

test("a refused 'E-mail me the answer': the reason in the offer, the chat goes on", async () => {
  const s = await inChat({ api: { chatTicket: async () => { throw new ApiError(409, "invalid_state"); } } });
  s.client().frame({ type: "chat.ticket_offer", chat_id: "c1" });
  s.fv.ui().onAcceptOffer({ email: "pat@example.org" });
  await flush();
  assert.deepEqual(s.fv.of("setOfferBusy"), [[true], [false]]);
  assert.deepEqual(s.fv.last("setOfferError"), [t("offer.invalidState")]);
  assert.deepEqual(s.fv.of("showTicketDone"), []);
  assert.equal(s.client().disconnected, false);
});

test("the chat ended for another reason while the ticket was refused: that end then shows", async () => {
  let fail;
  const s = await inChat({ api: { chatTicket: () => new Promise((resolve, reject) => { fail = reject; }) } });
  s.client().frame({ type: "chat.ticket_offer", chat_id: "c1" });
  s.fv.ui().onAcceptOffer({ email: "pat@example.org" });
  s.client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "system" });
  await flush();
  assert.deepEqual(s.fv.of("showClosing"), []);
  fail(new ApiError(409, "invalid_state"));
  await flush();
  await flush();
  assert.deepEqual(s.fv.of("showClosing"), [["left"]]);
});

test("a chat made a ticket elsewhere (chat.ended, reason ticket): 'We'll answer you by e-mail', no survey", async () => {
  const s = await inChat();
  s.client().frame({ type: "chat.claimed", chat_id: "c1", operator: { id: "libby", name: "Libby" }, chat: { last_seq: 0 } });
  s.client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator", reason: "ticket" });
  await flush();
  assert.deepEqual(s.fv.of("showTicketDone"), [[null]]);
  assert.deepEqual(s.fv.of("showSurvey"), []);
  assert.equal(s.store.load(), null);
});

test("could not reconnect: after RECONNECT_OFFER_MS of reconnecting the offer says so; back online, it goes", async () => {
  const s = await inChat();
  const client = s.client();
  client.setState("reconnecting");
  s.clock.advance(RECONNECT_OFFER_MS - 1000);
  assert.deepEqual(s.fv.of("showTicketOffer"), []);
  s.clock.advance(1000);
  assert.deepEqual(s.fv.of("showTicketOffer"), [[{ reason: "reconnect", email: "pat@example.org" }]]);
  client.setState("reconnecting");
  s.clock.advance(RECONNECT_OFFER_MS * 2);
  assert.equal(s.fv.of("showTicketOffer").length, 1, "once an outage");
  client.setState("open");
  assert.equal(s.fv.of("hideTicketOffer").length, 1);
  client.setState("reconnecting");
  s.clock.advance(RECONNECT_OFFER_MS);
  assert.equal(s.fv.of("showTicketOffer").length, 2, "a new outage, a new offer");
});

test("a short drop makes no offer", async () => {
  const s = await inChat();
  s.client().setState("reconnecting");
  s.clock.advance(5000);
  s.client().setState("open");
  s.clock.advance(RECONNECT_OFFER_MS * 2);
  assert.deepEqual(s.fv.of("showTicketOffer"), []);
});

// ------------------------------------------------------------ after the chat

async function ended() {
  const s = await inChat();
  s.client().frame({ type: "chat.claimed", chat_id: "c1", operator: { id: "libby", name: "Libby" }, chat: { last_seq: 0 } });
  s.client().frame({ type: "chat.ended", chat_id: "c1", ended_by: "operator" });
  await flush();
  return s;
}

test("after a chat: 'E-mail me the transcript' starts with the patron's address; sent to the one typed", async () => {
  const s = await ended();
  assert.deepEqual(s.fv.of("showSurvey"), [[]]);
  assert.deepEqual(s.fv.last("setTranscriptEmail"), ["pat@example.org"]);
  s.fv.ui().onEmailTranscript("other@example.org");
  await flush();
  assert.deepEqual(s.api.of("emailTranscript"), [["c1", "tok-1", "other@example.org"]]);
  assert.deepEqual(s.fv.of("setTranscriptBusy"), [[true], [false]]);
  assert.deepEqual(s.fv.last("setTranscriptResult"), [{ ok: true, text: "Transcript sent to other@example.org" }]);
});

test("the transcript e-mail still goes once the survey is done (the session forgotten)", async () => {
  const s = await ended();
  s.fv.ui().onSkipSurvey();
  assert.equal(s.store.load(), null);
  s.fv.ui().onEmailTranscript("pat@example.org");
  await flush();
  assert.deepEqual(s.api.of("emailTranscript"), [["c1", "tok-1", "pat@example.org"]]);
});

test("a refused transcript e-mail says why", async () => {
  const s = await ended();
  s.api.emailTranscript = async () => { throw new ApiError(429, "rate_limited"); };
  s.fv.ui().onEmailTranscript("pat@example.org");
  await flush();
  assert.deepEqual(s.fv.last("setTranscriptResult"), [{ ok: false, text: t("error.rate_limited") }]);
});

test("Print transcript prints what the view shows", async () => {
  const s = await ended();
  s.fv.ui().onPrint();
  assert.deepEqual(s.fv.of("printTranscript"), [[]]);
});
