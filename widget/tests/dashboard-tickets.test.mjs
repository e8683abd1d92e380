// The dashboard's Tickets tab (widget/dashboard/tickets.js, docs/tickets.md): the lists, the
// thread (internal notes and events told apart), the mail list, which actions a librarian
// has, and the controller's calls against a fake REST api and a recording view; and the
// ticket routes of api.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, Api } from "../dashboard/api.js";
import { Dashboard } from "../dashboard/controller.js";
import { S } from "../dashboard/strings.js";
import {
  mailItems, splitTickets, statusText, threadItems, ticketActions, ticketErrorText, ticketModel, TicketsController,
} from "../dashboard/tickets.js";

const ME = { id: "libby", name: "Libby Librarian", role: "librarian" };
const ADMIN = { id: "ada", name: "Ada", role: "admin" };

function ticket(over = {}) {
  return {
    ticket_id: "t-1", queue: "central", status: "open", question: "Do you have the 1911 census?",
    name: "Pat", email: "pat@example.org", created_at: "2026-12-02T10:00:00.000Z", operator: null, chat_id: null,
    entries: [{ n: 1, kind: "question", text: "Do you have the 1911 census?", at: "2026-12-02T10:00:00.000Z", sender: { role: "patron", name: "Pat" } }],
    mail: [], record: null, ...over,
  };
}

test("the lists: open and claimed apart, anything else left out", () => {
  const out = splitTickets([ticket(), ticket({ ticket_id: "t-2", status: "claimed" }), ticket({ ticket_id: "t-3", status: "closed" }), null, { status: "open" }]);
  assert.deepEqual(out.open.map((t) => t.ticket_id), ["t-1"]);
  assert.deepEqual(out.claimed.map((t) => t.ticket_id), ["t-2"]);
  assert.deepEqual(splitTickets(undefined), { open: [], claimed: [] });
});

test("the thread: conversation, internal notes marked, events as system lines", () => {
  const items = threadItems([
    { n: 1, kind: "question", text: "Census?", sender: { role: "patron", name: "Pat" } },
    { n: 2, kind: "chat", text: "Hello", sender: { role: "operator", name: "Libby" } },
    { n: 3, kind: "chat", text: "Hi", sender: { role: "patron" } },
    { n: 4, kind: "note", text: "Ask genealogy", sender: { role: "operator", name: "Libby" } },
    { n: 5, kind: "reply", text: "Yes we do", sender: { role: "operator", name: "Libby" } },
    { n: 6, kind: "event", text: "claimed by Libby" },
    { n: 7, kind: "patron", text: "Thanks!" },
    { n: 8, kind: "something-new", text: "mystery" },
  ], "Pat");
  assert.deepEqual(items.map((i) => [i.type, i.side]), [
    ["message", "patron"], ["message", "librarian"], ["message", "patron"], ["note", "librarian"],
    ["message", "librarian"], ["event", "system"], ["message", "patron"], ["event", "system"],
  ]);
  assert.equal(items[2].who, "Pat", "a patron entry without a name: the ticket's name");
  assert.equal(items[6].who, "Pat");
  assert.equal(items[4].who, "Libby");
  assert.equal(items[3].who, "Libby");
  assert.equal(items.filter((i) => i.type === "note").length, 1);
});

test("the mail list: failures and bounces counted and flagged", () => {
  const m = mailItems([
    { to: "pat@example.org", subject: "Your question", status: "sent" },
    { to: "pat@example.org", status: "failed", detail: "SES refused" },
    { to: "pat@example.org", status: "bounced", detail: "mailbox full" },
  ]);
  assert.equal(m.problems, 2);
  assert.deepEqual(m.items.map((i) => [i.label, i.problem]), [["Sent", false], ["Failed", true], ["Bounced", true]]);
  assert.equal(m.items[1].detail, "SES refused");
  assert.deepEqual(mailItems(null), { items: [], problems: 0 });
  assert.match(S.tickets.mailProblems(2), /2 e-mails to the patron were not delivered/);
});

test("actions: claim when open, reply only when I hold it, close mine (or an admin), reopen closed", () => {
  const open = ticketActions(ticket(), ME);
  assert.equal(open.claim, true);
  assert.equal(open.reply, false);
  assert.equal(open.close, false);
  assert.equal(open.reopen, false);
  assert.equal(open.note, true);
  const mine = ticketActions(ticket({ status: "claimed", operator: { id: "libby", name: "Libby" } }), ME);
  assert.deepEqual([mine.claim, mine.reply, mine.close, mine.reopen], [false, true, true, false]);
  const theirs = ticketActions(ticket({ status: "claimed", operator: { id: "theo", name: "Theo" } }), ME);
  assert.deepEqual([theirs.claim, theirs.reply, theirs.close], [false, false, false]);
  assert.equal(ticketActions(ticket({ status: "claimed", operator: { id: "theo" } }), ADMIN).close, true, "an admin may close");
  const closed = ticketActions(ticket({ status: "closed" }), ME);
  assert.deepEqual([closed.claim, closed.reply, closed.close, closed.reopen], [false, false, false, true]);
});

test("the status line and the model say who holds it, and why I cannot reply", () => {
  assert.equal(statusText(ticket(), ME), "Open");
  assert.equal(statusText(ticket({ status: "claimed", operator: { id: "libby", name: "Libby" } }), ME), "Claimed, claimed by you");
  assert.equal(statusText(ticket({ status: "claimed", operator: { id: "theo", name: "Theo" } }), ME), "Claimed, claimed by Theo");
  const m = ticketModel(ticket({ status: "claimed", operator: { id: "theo", name: "Theo" } }), ME, (id) => `Desk ${id}`);
  assert.equal(m.desk, "Desk central");
  assert.match(m.replyHint, /Theo claimed this ticket/);
  assert.equal(ticketModel(ticket(), ME).replyHint, "Claim the ticket to reply.");
  assert.equal(ticketModel(ticket({ status: "claimed", operator: { id: "libby" } }), ME).replyHint, "");
  assert.equal(ticketModel(ticket({ name: "  " }), ME).name, "A patron");
});

test("refusals in words: a lost claim, a reply by someone who does not hold it", () => {
  assert.equal(ticketErrorText(new ApiError(409, "conflict", "held"), "claim"), S.tickets.conflict);
  assert.equal(ticketErrorText(new ApiError(403, "forbidden"), "replies"), S.tickets.notHeld);
  assert.equal(ticketErrorText(new ApiError(404, "not_found"), "notes"), S.tickets.notFound);
  assert.match(ticketErrorText(new ApiError(500, "internal", "boom"), "notes"), /boom/);
});

// ------------------------------------------------------------------ controller

function recorder() {
  const calls = [];
  const view = new Proxy({}, {
    get: (_, name) => (name === "calls" ? calls : name === "then" ? undefined : (...args) => { calls.push([name, ...args]); }),
  });
  return { view, calls, of: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)) };
}

function fakeApi(overrides = {}) {
  const calls = [];
  const api = {
    calls,
    tickets: async (queue, status) => { calls.push(["tickets", queue, status]); return { tickets: [ticket(), ticket({ ticket_id: "t-2", status: "claimed", operator: { id: "theo", name: "Theo" } })] }; },
    ticket: async (id) => { calls.push(["ticket", id]); return ticket({ ticket_id: id }); },
    ticketAction: async (id, action, body) => {
      calls.push(["action", id, action, body]);
      if (overrides[action]) return overrides[action](id, body);
      if (action === "claim") return ticket({ ticket_id: id, status: "claimed", operator: { id: "libby", name: "Libby" } });
      if (action === "transcript") return { sent: true };
      return ticket({ ticket_id: id, status: action === "close" ? "closed" : "claimed", operator: { id: "libby" } });
    },
  };
  return api;
}

const DESKS = [{ id: "central", label: "Central" }, { id: "law", label: "Law Library" }];

function controller(o = {}) {
  const r = recorder();
  const api = o.api || fakeApi();
  const authLost = [];
  const c = new TicketsController({
    api, view: r.view, me: () => ME, desks: () => o.desks || DESKS, onAuthLost: () => authLost.push(1),
    closeForm: o.closeForm, transcriptForm: o.transcriptForm,
  });
  return { c, r, api, authLost };
}

test("opening the tab: the desk picker and the first desk's open and claimed tickets", async () => {
  const { c, r, api } = controller();
  await c.show();
  assert.deepEqual(r.of("setDesks")[0], [DESKS, "central"]);
  assert.deepEqual(api.calls[0], ["tickets", "central", "open,claimed"]);
  const last = r.of("setLists").at(-1);
  assert.deepEqual(last[0].open.map((t) => t.ticket_id), ["t-1"]);
  assert.deepEqual(last[0].claimed.map((t) => t.ticket_id), ["t-2"]);
  assert.equal(last[1].status, "1 open ticket, 1 claimed ticket.");
  await c.pickDesk("law");
  assert.deepEqual(api.calls.at(-1), ["tickets", "law", "open,claimed"]);
  await c.show();
  assert.equal(r.of("setDesks").at(-1)[1], "law", "the desk picked stays picked");
});

test("no desks known: nothing asked, and a plain word why", async () => {
  const { c, r, api } = controller({ desks: [] });
  await c.show();
  assert.equal(api.calls.length, 0);
  assert.equal(r.of("setLists").at(-1)[1].status, S.tickets.noDesks);
});

test("a refused token signs out; another refusal is a notice", async () => {
  const api = fakeApi();
  api.tickets = async () => { throw new ApiError(401, "unauthorized"); };
  const { c, authLost } = controller({ api });
  await c.show();
  assert.equal(authLost.length, 1);
  const api2 = fakeApi();
  api2.tickets = async () => { throw new ApiError(500, "internal", "boom"); };
  const two = controller({ api: api2 });
  await two.c.show();
  assert.match(two.r.of("notice").at(-1)[0], /could not be loaded: boom/);
});

test("claim: the ticket drawn as mine and announced; lost to a colleague: said, and shown as it is", async () => {
  const { c, r, api } = controller();
  await c.show();
  await c.open("t-1");
  assert.equal(r.of("showTicket").at(-1)[0].actions.claim, true);
  await c.claim();
  assert.deepEqual(api.calls.find((x) => x[0] === "action"), ["action", "t-1", "claim", undefined]);
  const shown = r.of("showTicket").at(-1)[0];
  assert.equal(shown.actions.reply, true);
  assert.deepEqual(r.of("announce").at(-1), [S.tickets.claimed]);

  const lost = fakeApi({ claim: () => { throw new ApiError(409, "conflict", "someone else holds it"); } });
  let fetched = 0;
  lost.ticket = async (id) => { fetched += 1; return ticket({ ticket_id: id, status: fetched > 1 ? "claimed" : "open", operator: fetched > 1 ? { id: "theo", name: "Theo" } : null }); };
  const two = controller({ api: lost });
  await two.c.show();
  await two.c.open("t-1");
  await two.c.claim();
  assert.equal(fetched, 2, "the ticket is fetched again");
  assert.equal(two.r.of("showTicket").at(-1)[0].statusText, "Claimed, claimed by Theo");
  assert.equal(two.r.of("notice").at(-1)[0], S.tickets.conflict);
  assert.deepEqual(two.r.of("busy").at(-1), ["claim", false]);
});

test("reply and note: the text posted, the box emptied, 'Reply sent' announced; empty text refused here", async () => {
  const { c, r, api } = controller();
  await c.open("t-1");
  assert.equal(await c.reply("   "), false);
  assert.equal(r.of("notice").at(-1)[0], S.tickets.emptyText);
  assert.equal(await c.reply("  Yes, on microfilm.  "), true);
  assert.deepEqual(api.calls.find((x) => x[2] === "replies"), ["action", "t-1", "replies", { text: "Yes, on microfilm." }]);
  assert.deepEqual(r.of("done").at(-1), ["replies"]);
  assert.ok(r.of("announce").some((a) => a[0] === "Reply sent."));
  assert.equal(await c.note("check the index"), true);
  assert.ok(api.calls.some((x) => x[2] === "notes" && x[3].text === "check the index"));
  assert.ok(r.of("announce").some((a) => a[0] === "Internal note added."));
});

test("close: the close form first; its record posted; cancelled: nothing posted", async () => {
  const asked = [];
  const { c, api, r } = controller({
    closeForm: async (t, close) => { asked.push(t.ticket_id); return close({ read: 2, tags: ["genealogy"] }); },
  });
  await c.open("t-1");
  await c.close();
  assert.deepEqual(asked, ["t-1"]);
  assert.deepEqual(api.calls.find((x) => x[2] === "close"), ["action", "t-1", "close", { record: { read: 2, tags: ["genealogy"] } }]);
  assert.equal(r.of("showTicket").at(-1)[0].status, "closed");
  assert.ok(r.of("announce").some((a) => a[0] === "Ticket closed."));

  const none = controller({ closeForm: async () => null });
  await none.c.open("t-1");
  await none.c.close();
  assert.equal(none.api.calls.filter((x) => x[2] === "close").length, 0);

  const bare = controller({ closeForm: (t, close) => close(null) });
  await bare.c.open("t-1");
  await bare.c.close();
  assert.deepEqual(bare.api.calls.find((x) => x[2] === "close")[3], {}, "no record: an empty body");
});

test("close refused: the dialog gets the words (thrown), the ticket stays", async () => {
  const api = fakeApi({ close: () => { throw new ApiError(403, "forbidden", "not yours"); } });
  let said = null;
  const { c } = controller({ api, closeForm: async (t, close) => { try { await close(null); } catch (err) { said = err.message; } return null; } });
  await c.open("t-1");
  await c.close();
  assert.equal(said, S.tickets.notHeld);
});

test("reopen, and the transcript to the ticket's address or another", async () => {
  const sendTo = [];
  const { c, api, r } = controller({ transcriptForm: async (t, send) => { for (const to of sendTo) await send(to); } });
  await c.open("t-1");
  await c.reopen();
  assert.ok(api.calls.some((x) => x[2] === "reopen"));
  sendTo.push("", " other@example.org ");
  await c.transcript();
  const posts = api.calls.filter((x) => x[2] === "transcript").map((x) => x[3]);
  assert.deepEqual(posts, [{}, { email: "other@example.org" }]);
  assert.deepEqual(r.of("announce").slice(-2).map((a) => a[0]), ["Transcript sent to pat@example.org.", "Transcript sent to other@example.org."]);
});

test("opened from History: the ticket's desk becomes the one listed", async () => {
  const api = fakeApi();
  api.ticket = async (id) => ticket({ ticket_id: id, queue: "law" });
  const { c, r } = controller({ api });
  await c.show();
  await c.open("t-9", { followDesk: true });
  assert.equal(c.desk, "law");
  assert.equal(r.of("setDesks").at(-1)[1], "law");
});

test("api.js: the ticket routes", async () => {
  const calls = [];
  const api = new Api("http://x/api", async (url, init) => {
    calls.push([init.method, url, init.body ? JSON.parse(init.body) : undefined]);
    return { ok: true, status: 200, json: async () => ({}) };
  });
  await api.tickets("central");
  await api.ticket("t/1");
  await api.ticketAction("t-1", "replies", { text: "hi" });
  await api.chatTranscript("c-1", "pat@example.org");
  await api.chatRecord("c-1", { read: 3 });
  await api.chatTicket("c-1", { email: "pat@example.org" });
  await api.tags();
  await api.setTags({ tags: ["a"], question_types: [] });
  await api.searchHistory("from=2026-12-01&to=2026-12-07");
  assert.deepEqual(calls, [
    ["GET", "http://x/api/tickets?queue=central&status=open,claimed", undefined],
    ["GET", "http://x/api/tickets/t%2F1", undefined],
    ["POST", "http://x/api/tickets/t-1/replies", { text: "hi" }],
    ["POST", "http://x/api/chats/c-1/transcript", { email: "pat@example.org" }],
    ["PUT", "http://x/api/chats/c-1/record", { read: 3 }],
    ["POST", "http://x/api/chats/c-1/ticket", { email: "pat@example.org" }],
    ["GET", "http://x/api/tags", undefined],
    ["PUT", "http://x/api/tags", { tags: ["a"], question_types: [] }],
    ["GET", "http://x/api/history?from=2026-12-01&to=2026-12-07", undefined],
  ]);
});

test("Tickets and History are fixed tabs for every librarian (Team and Desks for admins only)", () => {
  const isFixed = (role, tab) => Dashboard.prototype.isFixed.call({ me: { role } }, tab);
  assert.equal(isFixed("librarian", "tickets"), true);
  assert.equal(isFixed("librarian", "history"), true);
  assert.equal(isFixed("librarian", "desks"), false);
  assert.equal(isFixed("admin", "desks"), true);
});
