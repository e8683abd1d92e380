// The History tab (widget/dashboard/history.js, docs/tickets.md "History"): the default range,
// the filters as GET /api/history's query, the rows, Load more with the cursor, and opening a
// chat (its messages and record, editable) or a ticket (to the Tickets tab); against a fake
// REST api and a recording view.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../dashboard/api.js";
import { defaultRange, historyQuery, historyRow, HistorySearch, itemRecord, localDay, MAX_DAYS } from "../dashboard/history.js";
import { S } from "../dashboard/strings.js";

test("the default range: the last 7 days, today included", () => {
  const now = new Date(2026, 11, 7, 15, 30).getTime(); // 7 Dec 2026, local time
  assert.deepEqual(defaultRange(now), { from: "2026-12-01", to: "2026-12-07" });
  assert.deepEqual(defaultRange(new Date(2026, 0, 3, 9).getTime()), { from: "2025-12-28", to: "2026-01-03" });
  assert.equal(localDay(new Date(2026, 1, 9)), "2026-02-09");
});

test("the query: empty filters left out, words and cursor encoded", () => {
  assert.equal(historyQuery({ from: "2026-12-01", to: "2026-12-07" }).query, "from=2026-12-01&to=2026-12-07");
  const q = historyQuery({ from: "2026-12-01", to: "2026-12-07", queue: "law", operator: "libby", tag: "local history", q: " 1911 census " }, "abc/=");
  assert.equal(q.query, "from=2026-12-01&to=2026-12-07&queue=law&operator=libby&tag=local+history&q=1911+census&cursor=abc%2F%3D");
  assert.deepEqual(q.errors, []);
});

test("the range: both dates, in order, at most 92 days", () => {
  assert.deepEqual(historyQuery({ from: "", to: "2026-12-07" }).errors.map((e) => e.field), ["from"]);
  assert.deepEqual(historyQuery({ from: "2026-12-01", to: "junk" }).errors.map((e) => e.field), ["to"]);
  assert.equal(historyQuery({ from: "2026-12-08", to: "2026-12-07" }).errors[0].text, S.history.order);
  assert.equal(historyQuery({ from: "2026-09-07", to: "2026-12-07" }).errors.length, 0, "92 days, both ends included");
  assert.equal(historyQuery({ from: "2026-09-06", to: "2026-12-07" }).errors[0].text, S.history.tooLong(MAX_DAYS));
});

test("a row: kind, desk, librarian, tags and READ in words", () => {
  const row = historyRow({ kind: "ticket", id: "t-1", queue: "law", closed_at: "2026-12-02T10:00:00.000Z", question: "Census?",
    operator: { id: "libby", name: "Libby" }, tags: ["genealogy", "census"], read: 3 }, (id) => `Desk ${id}`);
  assert.equal(row.kindLabel, "Ticket");
  assert.equal(row.desk, "Desk law");
  assert.equal(row.librarian, "Libby");
  assert.equal(row.tags, "genealogy, census");
  assert.equal(row.read, "3");
  assert.match(row.closed, /2026/);
  const bare = historyRow({ kind: "chat", id: "c-1" });
  assert.deepEqual([bare.kindLabel, bare.librarian, bare.tags, bare.read, bare.closed], ["Chat", "", "", "", ""]);
  assert.deepEqual(itemRecord({ question_type: "Reference", read: 2, tags: ["a"] }), { question_type: "Reference", read: 2, tags: ["a"] });
  assert.equal(itemRecord({ note: "n" }).note, "n");
});

function recorder() {
  const calls = [];
  const view = new Proxy({}, { get: (_, name) => (name === "then" ? undefined : (...args) => { calls.push([name, ...args]); }) });
  return { view, of: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)) };
}

const PAGE1 = { items: [
  { kind: "chat", id: "c-1", queue: "central", closed_at: "2026-12-03T10:00:00Z", question: "Hours?", operator: { id: "libby", name: "Libby" }, tags: [], read: 1, question_type: "Directional" },
  { kind: "ticket", id: "t-1", queue: "central", closed_at: "2026-12-02T10:00:00Z", question: "Census?", operator: null, tags: ["genealogy"], read: null },
], cursor: "next-1" };
const PAGE2 = { items: [{ kind: "chat", id: "c-2", queue: "law", closed_at: "2026-12-01T10:00:00Z", question: "Statutes?" }], cursor: null };

function setup(o = {}) {
  const r = recorder();
  const queries = [];
  const api = {
    searchHistory: async (q) => { queries.push(q); if (o.fail) throw o.fail; return structuredClone(q.includes("cursor=") ? PAGE2 : PAGE1); }, // each search its own rows
    history: async (id) => [{ seq: 1, sender: { role: "patron", name: "Pat" }, text: `question of ${id}`, sent_at: "2026-12-03T09:00:00Z" }],
    getChatRecord: async (id) => {
      if (o.recordFails) throw o.recordFails;
      return { record: o.stored === undefined ? { question_type: "Directional", read: 1, tags: [], note: `note of ${id}` } : o.stored };
    },
  };
  const tickets = [];
  const edits = [];
  let lost = 0;
  const h = new HistorySearch({
    api, view: r.view, deskName: (id) => id.toUpperCase(), openTicket: (id) => tickets.push(id),
    editRecord: async (id, record) => { edits.push([id, record]); return o.saved === undefined ? { ...record, read: 4, tags: ["genealogy"] } : o.saved; },
    onAuthLost: () => { lost += 1; },
  });
  return { h, r, queries, tickets, edits, lost: () => lost };
}

const F = { from: "2026-12-01", to: "2026-12-07", queue: "", operator: "", tag: "", q: "" };

test("search: the rows, and Load more while a cursor comes back", async () => {
  const { h, r, queries } = setup();
  assert.equal(await h.search(F), true);
  assert.deepEqual(queries, ["from=2026-12-01&to=2026-12-07"]);
  const [rows, opts] = r.of("setResults").at(-1);
  assert.deepEqual(rows.map((x) => x.id), ["c-1", "t-1"]);
  assert.equal(opts.more, true);
  assert.equal(r.of("status").at(-1)[0], "2 results, more to load.");
  await h.more();
  assert.equal(queries[1], "from=2026-12-01&to=2026-12-07&cursor=next-1");
  const [rows2, opts2] = r.of("setResults").at(-1);
  assert.deepEqual(rows2.map((x) => x.id), ["c-1", "t-1", "c-2"]);
  assert.equal(opts2.more, false);
  assert.equal(opts2.focusRow, 2, "focus goes to the first row loaded");
  assert.equal(await h.more(), false, "no cursor: nothing more asked");
  assert.equal(queries.length, 2);
});

test("bad dates: said by the form, nothing asked", async () => {
  const { h, r, queries } = setup();
  assert.equal(await h.search({ ...F, from: "2026-12-09" }), false);
  assert.equal(queries.length, 0);
  assert.equal(r.of("formErrors").at(-1)[0][0].field, "from");
});

test("a refused search: in words; a refused token signs out", async () => {
  const one = setup({ fail: new ApiError(400, "bad_request", "range too long") });
  await one.h.search(F);
  assert.match(one.r.of("notice").at(-1)[0], /range too long/);
  assert.deepEqual(one.r.of("busy").at(-1), ["search", false]);
  const two = setup({ fail: new ApiError(401, "unauthorized") });
  await two.h.search(F);
  assert.equal(two.lost(), 1);
});

test("no results: said", async () => {
  const { h, r } = setup();
  h.api.searchHistory = async () => ({ items: [], cursor: null });
  await h.search(F);
  assert.equal(r.of("status").at(-1)[0], S.history.none);
});

test("opening a ticket goes to the Tickets tab; a chat shows its messages and record", async () => {
  const { h, r, tickets } = setup();
  await h.search(F);
  await h.open("t-1");
  assert.deepEqual(tickets, ["t-1"]);
  await h.open("c-1");
  const shown = r.of("showChat").at(-1)[0];
  assert.equal(shown.id, "c-1");
  assert.equal(shown.desk, "CENTRAL");
  assert.deepEqual(shown.record, { question_type: "Directional", read: 1, tags: [] });
  assert.equal(shown.messages[0].text, "question of c-1");
});

test("editing a chat's record: the form with what is known; the row follows what was saved", async () => {
  const { h, r, edits } = setup();
  await h.search(F);
  await h.open("c-1");
  await h.edit();
  assert.deepEqual(edits[0], ["c-1", { question_type: "Directional", read: 1, tags: [], note: "note of c-1" }],
    "the stored record, its internal note too (History's rows leave it out)");
  const row = r.of("setResults").at(-1)[0][0];
  assert.equal(row.read, "4");
  assert.equal(row.tags, "genealogy");
  const again = r.of("showChat").at(-1)[0];
  assert.equal(again.focus, false);
  assert.equal(again.messages, undefined, "the messages shown stay");
  const skipped = setup({ saved: null });
  await skipped.h.search(F);
  await skipped.h.open("c-1");
  assert.equal(await skipped.h.edit(), null);
});

test("Edit record when the stored record cannot be read: the row's values, the note left out (so kept); 401 signs out", async () => {
  const down = setup({ recordFails: Object.assign(new Error("down"), { status: 503 }) });
  await down.h.search(F);
  await down.h.open("c-1");
  await down.h.edit();
  assert.deepEqual(down.edits[0], ["c-1", { question_type: "Directional", read: 1, tags: [] }]);
  const never = setup({ stored: null });
  await never.h.search(F);
  await never.h.open("c-1");
  await never.h.edit();
  assert.equal(never.edits[0][1].note, "", "never recorded: nothing to keep");
  const out = setup({ recordFails: Object.assign(new Error("x"), { status: 401 }) });
  await out.h.search(F);
  await out.h.open("c-1");
  assert.equal(await out.h.edit(), null);
  assert.equal(out.lost(), 1);
  assert.deepEqual(out.edits, []);
});
