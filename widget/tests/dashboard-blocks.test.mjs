// Blocking an abusive patron from the dashboard (widget/dashboard/blocks.js, docs/privacy.md
// "Blocks"): the durations offered, the checks before a block is sent, the service's refusals as
// the dialog shows them, the Blocks table's rows, the routes on the dashboard's Api, and the two
// controllers (a pane's Block patron…, the admins' list with Lift) against a fake REST api and
// recording views.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Api, ApiError } from "../dashboard/api.js";
import {
  BlocksApi, BlocksList, blockError, blockProblems, blockRows, DEFAULT_HOURS, DURATIONS, durationChoices, formatUntil,
  MAX_REASON, PatronBlocks,
} from "../dashboard/blocks.js";
import { BLOCKS as B } from "../dashboard/strings-blocks.js";
import { errorKey } from "../patron/session.js";
import { makeT } from "../patron/i18n.js";

const NOW = Date.parse("2026-12-02T10:00:00.000Z");
const hoursLater = (h) => new Date(NOW + h * 3600e3).toISOString();

function block(over = {}) {
  return { id: "b1", until: hoursLater(24), reason: "abusive language", by: { id: "libby", name: "Libby Librarian" },
    queue: "general", at: new Date(NOW).toISOString(), ...over };
}

/** A fake Api: `request(method, path, body)` recorded and answered by `respond` (throw to refuse). */
function fakeApi(respond) {
  const calls = [];
  return {
    calls,
    request: async (method, path, body) => {
      calls.push({ method, path, body });
      return respond(method, path, body);
    },
  };
}

/** A view that records what it was told. */
function recordingView() {
  const log = [];
  const view = { log };
  for (const name of ["build", "loading", "render", "failed", "status", "liftBusy"]) view[name] = (...args) => log.push([name, ...args]);
  view.last = (name) => [...log].reverse().find((e) => e[0] === name);
  return view;
}

test("the durations: 1 hour, 24 hours, 7 days, 30 days, 24 hours chosen first", () => {
  assert.deepEqual(DURATIONS, [1, 24, 168, 720]);
  assert.equal(DEFAULT_HOURS, 24);
  const choices = durationChoices();
  assert.deepEqual(choices.map((c) => c.label), ["1 hour", "24 hours", "7 days", "30 days"]);
  assert.deepEqual(choices.filter((c) => c.checked).map((c) => c.hours), [24]);
  assert.ok(Math.max(...DURATIONS) <= 720, "never longer than the service takes (30 days)");
});

test("before sending: a reason is required, at most 200 characters, and a duration offered", () => {
  assert.deepEqual(blockProblems({ hours: 24, reason: "threats" }), []);
  assert.deepEqual(blockProblems({ hours: 24, reason: "   " }), [{ field: "reason", text: B.needReason }]);
  assert.deepEqual(blockProblems({ hours: 24, reason: "x".repeat(MAX_REASON) }), []);
  assert.deepEqual(blockProblems({ hours: 24, reason: "x".repeat(MAX_REASON + 1) }), [{ field: "reason", text: B.reasonTooLong(200) }]);
  assert.deepEqual(blockProblems({ hours: 5, reason: "threats" }).map((e) => e.field), ["hours"]);
  assert.deepEqual(blockProblems({}).map((e) => e.field), ["hours", "reason"]);
});

test("a refusal is said in the service's own words; a reason problem is tied to the field", () => {
  const closed = new ApiError(409, "invalid_state", "this chat no longer says who its patron was; block from an open or ended chat");
  assert.deepEqual(blockError(closed), { text: "Not blocked: this chat no longer says who its patron was; block from an open or ended chat." });
  assert.deepEqual(blockError(new ApiError(400, "bad_request", "'reason' must say why")), { field: "reason", text: "Not blocked: 'reason' must say why." });
  assert.equal(blockError(new ApiError(403, "forbidden", "only the chat's librarian or an admin can block its patron")).field, undefined);
  assert.equal(blockError(new ApiError(0, "network", "The chat service cannot be reached.")).text, "Not blocked: The chat service cannot be reached.");
});

test("until: a weekday, date and time; something unreadable is shown as it came", () => {
  const text = formatUntil("2026-12-03T14:05:00.000Z", "en-GB");
  assert.match(text, /Thu/);
  assert.match(text, /3 Dec/);
  assert.match(text, /\d{1,2}:05/);
  assert.equal(formatUntil("soon"), "soon");
});

test("the Blocks table: soonest to end first, ended ones left out, desks and who by name", () => {
  const rows = blockRows([
    block({ id: "late", until: hoursLater(720), queue: "central", by: { id: "ada" } }),
    block({ id: "soon", until: hoursLater(1) }),
    block({ id: "over", until: hoursLater(-1) }),
    block({ id: "nodesk", until: hoursLater(5), queue: null }),
    null, { until: hoursLater(3) },
  ], { now: NOW, deskName: (id) => ({ general: "Ask a librarian", central: "Central Library" })[id], locale: "en-GB" });
  assert.deepEqual(rows.map((r) => r.id), ["soon", "nodesk", "late"]);
  assert.deepEqual(rows.map((r) => r.desk), ["Ask a librarian", B.unknownDesk, "Central Library"]);
  assert.deepEqual(rows.map((r) => r.by), ["Libby Librarian", "Libby Librarian", "ada"], "the name, else the id");
  assert.equal(rows[0].untilIso, hoursLater(1));
  assert.equal(rows[0].until, formatUntil(hoursLater(1), "en-GB"));
  assert.equal(rows[0].reason, "abusive language");
  assert.deepEqual(blockRows(undefined), []);
});

test("the routes, through the dashboard's Api: its token, the chat id escaped", async () => {
  const calls = [];
  const fetchFn = async (url, init) => {
    calls.push({ url, method: init.method, auth: init.headers.Authorization, body: init.body && JSON.parse(init.body) });
    return { ok: true, status: 200, json: async () => ({}) };
  };
  const api = new Api("http://x/api", fetchFn);
  api.token = "t1";
  const blocks = new BlocksApi(api);
  await blocks.block("c/1", { hours: 24, reason: "spam" });
  await blocks.list();
  await blocks.lift("b 1");
  assert.deepEqual(calls, [
    { url: "http://x/api/chats/c%2F1/block", method: "POST", auth: "Bearer t1", body: { hours: 24, reason: "spam" } },
    { url: "http://x/api/blocks", method: "GET", auth: "Bearer t1", body: undefined },
    { url: "http://x/api/blocks/b%201", method: "DELETE", auth: "Bearer t1", body: undefined },
  ]);
});

function patronBlocks(respond, over = {}) {
  const api = fakeApi(respond);
  const said = { notes: [], announced: [], forms: [], authLost: 0 };
  const blocks = new PatronBlocks({
    api: new BlocksApi(api), locale: "en-GB",
    form: async (opts) => {
      said.forms.push(opts);
      return "form shown";
    },
    chat: (id) => (id === "c1" ? { name: "Pat" } : null),
    setNote: (id, text) => said.notes.push([id, text]),
    announce: (text) => said.announced.push(text),
    onAuthLost: () => { said.authLost += 1; },
    ...over,
  });
  return { blocks, api, said };
}

test("Block patron… opens the dialog for a chat I hold, with the durations and the limit", async () => {
  const { blocks, said } = patronBlocks(() => ({}));
  assert.equal(await blocks.open("c1"), "form shown");
  assert.equal(said.forms[0].name, "Pat");
  assert.equal(said.forms[0].chatId, "c1");
  assert.equal(said.forms[0].maxReason, 200);
  assert.deepEqual(said.forms[0].choices, durationChoices());
  assert.equal(await blocks.open("gone"), null, "no pane, no dialog");
  assert.equal(said.forms.length, 1);
});

test("a block: sent trimmed, then the pane says until when and why, and it is announced", async () => {
  const made = block({ until: "2026-12-03T10:00:00.000Z", reason: "abusive language" });
  const { blocks, api, said } = patronBlocks(() => ({ block: made }));
  const res = await blocks.save("c1", { hours: "24", reason: "  abusive language  " });
  assert.deepEqual(res, { value: made });
  assert.deepEqual(api.calls, [{ method: "POST", path: "/chats/c1/block", body: { hours: 24, reason: "abusive language" } }]);
  const until = formatUntil(made.until, "en-GB");
  assert.deepEqual(said.notes, [["c1", B.paneNote(until, "abusive language")]]);
  assert.match(said.notes[0][1], /^Patron blocked until .*Reason: abusive language$/);
  assert.deepEqual(said.announced, [`Pat is blocked from new chats until ${until}.`]);
  assert.equal(blocks.blocked.get("c1"), made);
});

test("a block without a reason is not sent; a refusal keeps the dialog open with the service's words", async () => {
  const { blocks, api, said } = patronBlocks(() => {
    throw new ApiError(409, "invalid_state", "this chat no longer says who its patron was; block from an open or ended chat");
  });
  assert.deepEqual(await blocks.save("c1", { hours: 24, reason: " " }), { errors: [{ field: "reason", text: B.needReason }] });
  assert.equal(api.calls.length, 0);
  const res = await blocks.save("c1", { hours: 24, reason: "threats" });
  assert.deepEqual(res.errors.map((e) => e.text), ["Not blocked: this chat no longer says who its patron was; block from an open or ended chat."]);
  assert.deepEqual(said.notes, []);
  assert.deepEqual(said.announced, []);
  assert.equal(blocks.blocked.size, 0);
});

test("a block refused for the sign-in: back to the sign-in screen", async () => {
  const { blocks, said } = patronBlocks(() => { throw new ApiError(401, "unauthorized", "token expired"); });
  const res = await blocks.save("c1", { hours: 1, reason: "spam" });
  assert.equal(said.authLost, 1);
  assert.equal(res.errors.length, 1);
});

function blocksList(respond, over = {}) {
  const api = fakeApi(respond);
  const view = recordingView();
  const asked = [];
  const list = new BlocksList({
    api: new BlocksApi(api), view, isAdmin: () => true, now: () => NOW, locale: "en-GB",
    deskName: (id) => (id === "general" ? "Ask a librarian" : id),
    confirm: async (o) => {
      asked.push(o);
      return over.answer ?? true;
    },
    onAuthLost: () => asked.push("auth lost"),
    ...over,
  });
  return { list, api, view, asked };
}

test("the Blocks section: read when shown, rendered with a count; none is an empty table", async () => {
  let blocks = [block(), block({ id: "b2", until: hoursLater(2), reason: "spam" })];
  const { list, api, view } = blocksList(() => ({ blocks }));
  await list.show();
  assert.deepEqual(view.log.map((e) => e[0]), ["build", "loading", "render", "status"]);
  assert.deepEqual(view.last("render")[1].map((r) => r.id), ["b2", "b1"]);
  assert.equal(view.last("render")[1][1].desk, "Ask a librarian");
  assert.equal(view.last("status")[1], "2 active blocks.");
  assert.deepEqual(api.calls, [{ method: "GET", path: "/blocks", body: undefined }]);
  blocks = [];
  await list.show();
  assert.deepEqual(view.last("render")[1], []);
  assert.equal(view.last("status")[1], "", "the empty state says it, not the status line");
});

test("a librarian's dashboard never asks for the blocks", async () => {
  const { list, api, view } = blocksList(() => ({ blocks: [] }), { isAdmin: () => false });
  await list.show();
  assert.equal(api.calls.length, 0);
  assert.deepEqual(view.log, []);
});

test("the list could not be read: said in the section; a 401 signs out instead", async () => {
  const { list, view } = blocksList(() => { throw new ApiError(500, "internal", "boom"); });
  await list.show();
  assert.equal(view.last("failed")[1], "The blocks could not be loaded: boom.");
  const out = blocksList(() => { throw new ApiError(401, "unauthorized", "expired"); });
  await out.list.show();
  assert.deepEqual(out.asked, ["auth lost"]);
  assert.equal(out.view.last("failed"), undefined);
});

test("a slower earlier read never overwrites a later one", async () => {
  const answers = [];
  const { list, view } = blocksList(() => new Promise((resolve) => answers.push(resolve)));
  const first = list.show();
  const second = list.show();
  answers[1]({ blocks: [block({ id: "new" })] });
  await second;
  answers[0]({ blocks: [block({ id: "old" })] });
  await first;
  const renders = view.log.filter((e) => e[0] === "render");
  assert.equal(renders.length, 1);
  assert.deepEqual(renders[0][1].map((r) => r.id), ["new"]);
});

test("Lift: asked first; kept when the admin says no", async () => {
  const { list, api, asked } = blocksList(() => ({ blocks: [block()] }), { answer: false });
  await list.show();
  assert.equal(await list.lift("b1"), false);
  assert.equal(asked[0].title, B.liftTitle);
  assert.match(asked[0].body, /abusive language/);
  assert.equal(asked[0].confirm, "Lift block");
  assert.deepEqual(api.calls.map((c) => c.method), ["GET"]);
  assert.equal(await list.lift("unknown"), false);
});

test("Lift: deleted, the list read again, the status says so and focus stays in the list", async () => {
  let blocks = [block(), block({ id: "b2", reason: "spam" })];
  const { list, api, view } = blocksList((method, path) => {
    if (method === "DELETE") {
      blocks = blocks.filter((b) => `/blocks/${b.id}` !== path);
      return { lifted: true };
    }
    return { blocks };
  });
  await list.show();
  assert.equal(await list.lift("b1"), true);
  assert.deepEqual(api.calls.map((c) => `${c.method} ${c.path}`), ["GET /blocks", "DELETE /blocks/b1", "GET /blocks"]);
  assert.deepEqual(view.log.filter((e) => e[0] === "liftBusy").map((e) => e.slice(1)), [["b1", true]]);
  assert.deepEqual(view.last("render")[1].map((r) => r.id), ["b2"]);
  assert.deepEqual(view.last("render")[2], { focus: "list" });
  assert.equal(view.last("status")[1], "Block lifted (abusive language). 1 active block.");
});

test("Lift of a block already gone: said, and the list read again; another refusal is shown", async () => {
  const gone = blocksList((method) => {
    if (method === "DELETE") throw new ApiError(404, "not_found", "no such block");
    return { blocks: [block()] };
  });
  await gone.list.show();
  assert.equal(await gone.list.lift("b1"), false);
  assert.match(gone.view.last("status")[1], /^That block had already ended or been lifted\./);
  assert.deepEqual(gone.view.log.filter((e) => e[0] === "liftBusy").map((e) => e.slice(1)), [["b1", true], ["b1", false]]);
  const refused = blocksList((method) => {
    if (method === "DELETE") throw new ApiError(403, "forbidden", "admins only");
    return { blocks: [block()] };
  });
  await refused.list.show();
  assert.equal(await refused.list.lift("b1"), false);
  assert.equal(refused.view.last("failed")[1], "Not lifted: admins only.");
});

test("the blocked patron's widget says the chat is not available, never that something went wrong", () => {
  assert.equal(errorKey("unavailable"), "error.unavailable");
  assert.equal(makeT("en")(errorKey("unavailable")), "Chat is not available right now. You can still reach us another way.");
  assert.equal(errorKey("internal"), "error.generic");
});
