// The patron's ticket page (widget/patron/ticket-controller.js) and the ticket REST calls
// (widget/patron/api.js): the link's fragment, the thread as the patron sees it, loading,
// the neutral page for a refused link, and the reply. A fake view and api, no DOM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, PatronApi } from "../patron/api.js";
import { TicketController, entryAuthor, parseLink, ticketLink, ticketModel } from "../patron/ticket-controller.js";
import { makeT } from "../patron/i18n.js";

const t = makeT("en");
const flush = () => new Promise((resolve) => setImmediate(resolve));

function fakeFetch(respond) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, ...init, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    const { status = 200, body } = await respond(url, init);
    return { ok: status >= 200 && status < 300, status, json: async () => { if (body === undefined) throw new Error("no body"); return body; } };
  };
  return { fn, calls };
}

test("ticket REST calls: paths, bodies, the patron's or the link's token", async () => {
  const f = fakeFetch(() => ({ status: 201, body: { ok: true } }));
  const api = new PatronApi("http://x/api/", f.fn);
  await api.createTicket({ question: "Q", name: "", email: "p@x.example", queue: undefined });
  await api.createTicket({ question: "Q", name: "Pat", email: "p@x.example", queue: "central" });
  await api.chatTicket("c/1", "tok", { email: "p@x.example", name: undefined });
  await api.emailTranscript("c1", "tok", "p@x.example");
  await api.publicTicket("t-1", "link.tok");
  await api.publicReply("t-1", "link.tok", "Thanks!");
  const [a, b, c, d, e, g] = f.calls;
  assert.equal(a.url, "http://x/api/tickets");
  assert.deepEqual(a.body, { question: "Q", email: "p@x.example" });
  assert.equal(a.headers.Authorization, undefined, "anyone may ask");
  assert.deepEqual(b.body, { question: "Q", email: "p@x.example", name: "Pat", queue: "central" });
  assert.equal(c.url, "http://x/api/chats/c%2F1/ticket");
  assert.deepEqual(c.body, { email: "p@x.example" });
  assert.equal(c.headers.Authorization, "Bearer tok");
  assert.equal(d.url, "http://x/api/chats/c1/transcript");
  assert.deepEqual(d.body, { email: "p@x.example" });
  assert.equal(d.headers.Authorization, "Bearer tok");
  assert.equal(e.url, "http://x/api/public/tickets/t-1");
  assert.equal(e.method, "GET");
  assert.equal(e.headers.Authorization, "Bearer link.tok");
  assert.equal(g.url, "http://x/api/public/tickets/t-1/replies");
  assert.equal(g.method, "POST");
  assert.deepEqual(g.body, { text: "Thanks!" });
  assert.equal(g.headers.Authorization, "Bearer link.tok");
  for (const call of f.calls) assert.equal(call.credentials, "omit");
});

test("the link: #t=<ticket_id>&k=<link token>, each URI-encoded; anything else is no link", () => {
  assert.deepEqual(parseLink("#t=t-abc123&k=eyJ0.sig_-+/="), { ticketId: "t-abc123", token: "eyJ0.sig_-+/=" });
  assert.deepEqual(parseLink("k=tok&t=t-1"), { ticketId: "t-1", token: "tok" }, "any order, with or without #");
  assert.deepEqual(parseLink("#t=t-1&k=a%2Bb%3D"), { ticketId: "t-1", token: "a+b=" });
  for (const bad of ["", "#", "#t=t-1", "#k=tok", "#t=&k=tok", "#t=t 1&k=tok", "#t=t-1&k=to%20k", "#t=t-1&k=%E0%A4%A",
    "#tok-only", "#t=../x&k=tok", `#t=t-1&k=${"x".repeat(5000)}`]) {
    assert.equal(parseLink(bad), null, bad);
  }
  const link = ticketLink("https://chat.example.org/", "t-1", "a+b/c=");
  assert.equal(link, "https://chat.example.org/patron/ticket.html#t=t-1&k=a%2Bb%2Fc%3D");
  assert.deepEqual(parseLink(new URL(link).hash), { ticketId: "t-1", token: "a+b/c=" });
});

const TICKET = {
  ticket_id: "t-1", queue: "central", status: "claimed", question: "Do you have Dune?", name: "Pat",
  created_at: "2026-12-02T10:00:00.000Z",
  entries: [
    { n: 1, kind: "question", text: "Do you have Dune?", at: "2026-12-02T10:00:00.000Z", sender: { role: "patron", name: "Pat" } },
    { n: 2, kind: "chat", text: "Hello", at: "2026-12-02T10:00:05.000Z", sender: { role: "patron", name: "Pat" } },
    { n: 3, kind: "chat", text: "Chat opened", at: "2026-12-02T10:00:06.000Z", sender: { role: "system" } },
    { n: 4, kind: "note", text: "internal!", at: "2026-12-02T10:01:00.000Z", sender: { role: "operator", name: "Libby" } },
    { n: 5, kind: "event", text: "claimed", at: "2026-12-02T10:01:00.000Z" },
    { n: 6, kind: "reply", text: "Yes: <b>shelf 3</b>", at: "2026-12-02T10:02:00.000Z", sender: { role: "operator", name: "Libby Librarian" } },
    { n: 7, kind: "patron", text: "Thanks!", at: "2026-12-02T10:03:00.000Z" },
    { n: 8, kind: "reply", text: "Any time", at: "2026-12-02T10:04:00.000Z" },
    null, { kind: "reply" },
  ],
};

test("the thread as the patron reads it: who and when, never a note or an event", () => {
  const model = ticketModel(TICKET, t);
  assert.equal(model.status, "claimed");
  assert.equal(model.statusKey, "tk.status.claimed");
  assert.equal(model.createdAt, "2026-12-02T10:00:00.000Z");
  assert.deepEqual(model.entries.map((e) => [e.n, e.kind, e.who, e.own]), [
    [1, "question", "You", true], [2, "chat", "You", true], [3, "chat", "Library", false],
    [6, "reply", "Libby Librarian", false], [7, "patron", "You", true], [8, "reply", "Librarian", false]]);
  assert.equal(model.entries[3].text, "Yes: <b>shelf 3</b>", "text as it is: the view sets it as text");
  assert.equal(ticketModel({ status: "weird" }, t).status, "open");
  assert.deepEqual(ticketModel({}, t).entries, []);
  assert.equal(entryAuthor({ kind: "chat", sender: { role: "operator", name: " " } }, t), "Librarian");
});

function fakeView() {
  const calls = [];
  const state = { handlers: null };
  const view = new Proxy({}, {
    get(target, name) {
      if (typeof name === "symbol") return undefined;
      return (...args) => {
        calls.push([name, ...args]);
        if (name === "setHandlers") state.handlers = args[0];
      };
    },
  });
  const of = (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1));
  return { view, calls, of, ui: () => state.handlers };
}

function fakeApi(impl) {
  const calls = [];
  const api = { calls };
  for (const [name, fn] of Object.entries(impl)) {
    api[name] = (...args) => {
      calls.push([name, ...args]);
      return fn(...args);
    };
  }
  return api;
}

const LINK = { ticketId: "t-1", token: "link.tok" };

test("the page: loading, then the ticket read with the link's token", async () => {
  const fv = fakeView();
  const api = fakeApi({ publicTicket: async () => TICKET });
  const page = new TicketController({ api, view: fv.view, t, link: LINK });
  await page.start();
  assert.deepEqual(api.calls, [["publicTicket", "t-1", "link.tok"]]);
  assert.equal(fv.of("showLoading").length, 1);
  const [model, options] = fv.of("showTicket")[0];
  assert.equal(model.entries.length, 6);
  assert.deepEqual(options, { focus: false });
});

test("no link, or one the service refuses (401, 403, 404): only 'This link has expired or is not valid'", async () => {
  const fv = fakeView();
  await new TicketController({ api: fakeApi({}), view: fv.view, t, link: null }).start();
  assert.equal(fv.of("showInvalid").length, 1);
  for (const status of [401, 403, 404]) {
    const v = fakeView();
    const api = fakeApi({ publicTicket: async () => { throw new ApiError(status, "unauthorized", "bad token"); } });
    await new TicketController({ api, view: v.view, t, link: LINK }).start();
    assert.equal(v.of("showInvalid").length, 1, String(status));
    assert.equal(v.of("showError").length, 0);
  }
  assert.equal(t("tk.invalid"), "This link has expired or is not valid");
});

test("the service unreachable: an error with Try again, which loads again", async () => {
  const fv = fakeView();
  let up = false;
  const api = fakeApi({ publicTicket: async () => {
    if (!up) throw new ApiError(0, "network", "Failed to fetch");
    return TICKET;
  } });
  const page = new TicketController({ api, view: fv.view, t, link: LINK });
  await page.start();
  assert.deepEqual(fv.of("showError"), [[t("error.network"), { focus: false }]]);
  up = true;
  fv.ui().onRetry();
  await flush();
  assert.equal(fv.of("showTicket").length, 1);
  assert.deepEqual(fv.of("showTicket")[0][1], { focus: true });
});

test("a reply: checked, sent once with the link's token, the box cleared, 'Reply sent', the thread updated", async () => {
  const fv = fakeView();
  const after = { ...TICKET, status: "open", entries: [...TICKET.entries, { n: 9, kind: "patron", text: "One more thing", at: "x" }] };
  let answer;
  const api = fakeApi({ publicTicket: async () => TICKET, publicReply: () => new Promise((resolve) => { answer = resolve; }) });
  const page = new TicketController({ api, view: fv.view, t, link: LINK });
  await page.start();
  assert.equal(await fv.ui().onReply("   "), false);
  assert.deepEqual(fv.of("setReplyError"), [["Please type your reply.", { field: true }]]);
  assert.equal(await page.reply("x".repeat(4001)), false);
  const sending = fv.ui().onReply("  One more thing \n");
  assert.equal(await page.reply("again"), false, "one at a time");
  answer(after);
  assert.equal(await sending, true);
  assert.deepEqual(api.calls.filter((c) => c[0] === "publicReply"), [["publicReply", "t-1", "link.tok", "One more thing"]]);
  assert.deepEqual(fv.of("setReplyBusy"), [[true], [false]]);
  assert.equal(fv.of("clearReply").length, 1);
  assert.deepEqual(fv.of("announce"), [["Reply sent"]]);
  const [model] = fv.of("showTicket").at(-1);
  assert.equal(model.status, "open", "a closed ticket reopens");
  assert.equal(model.entries.at(-1).text, "One more thing");
});

test("a refused reply keeps the text and says why; a refused link goes to the neutral page", async () => {
  const fv = fakeView();
  let error = new ApiError(429, "rate_limited");
  const api = fakeApi({ publicTicket: async () => TICKET, publicReply: async () => { throw error; } });
  const page = new TicketController({ api, view: fv.view, t, link: LINK });
  await page.start();
  assert.equal(await page.reply("Hello"), false);
  assert.deepEqual(fv.of("setReplyError").at(-1), [t("error.rate_limited")]);
  assert.equal(fv.of("clearReply").length, 0);
  error = new ApiError(401, "unauthorized");
  assert.equal(await page.reply("Hello"), false);
  assert.equal(fv.of("showInvalid").length, 1);
  assert.equal(await page.reply("Hello"), false, "no ticket on screen: nothing to reply to");
});

test("another link in the same tab (hashchange) loads that ticket", async () => {
  const fv = fakeView();
  const api = fakeApi({ publicTicket: async (id) => ({ ...TICKET, ticket_id: id }) });
  const page = new TicketController({ api, view: fv.view, t, link: LINK });
  await page.start();
  await page.setLink({ ticketId: "t-2", token: "k2" });
  assert.deepEqual(api.calls.at(-1), ["publicTicket", "t-2", "k2"]);
  await page.setLink(null);
  assert.equal(fv.of("showInvalid").length, 1);
});
