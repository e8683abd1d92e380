// The Team tab's account rules (widget/dashboard/team.js), with node --test: a new account's
// POST body, an account's edits, desk memberships ("all desks" is null), the first sign-in's
// new-password check, and the account REST calls in api.js (docs/desks.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { accountBody, accountChanges, desksText, isDisabledError, membership, newPasswordProblem } from "../dashboard/team.js";
import { Api, ApiError } from "../dashboard/api.js";

const NEW = { username: "robin", name: "Robin Reference", email: "", role: "librarian", maxChats: "3", allDesks: true, desks: [], invite: false };

test("desk memberships: all desks is null, otherwise at least one desk", () => {
  assert.deepEqual(membership(true, ["law"]), { queues: null }, "All desks wins over any box left ticked");
  assert.deepEqual(membership(false, ["law", "coop", "law"]), { queues: ["law", "coop"] });
  assert.match(membership(false, []).error, /at least one desk, or All desks/);
  assert.equal(desksText(null), "All desks");
  assert.equal(desksText(undefined), "All desks");
  assert.equal(desksText(["law", "gone"], { law: "Law Library" }), "Law Library, gone");
  assert.equal(desksText([]), "");
});

test("a new librarian with a temporary password: the POST body", () => {
  assert.deepEqual(accountBody(NEW).body, {
    username: "robin", name: "Robin Reference", role: "librarian", max_chats: 3, queues: null, invite: false,
  });
  const admin = accountBody({ ...NEW, username: " ada.b@lib ", role: "admin", maxChats: "5", allDesks: false, desks: ["law"], email: " ada@lib.example.org " });
  assert.deepEqual(admin.body, {
    username: "ada.b@lib", name: "Robin Reference", role: "admin", max_chats: 5, queues: ["law"], invite: false, email: "ada@lib.example.org",
  });
  assert.equal(accountBody({ ...NEW, role: "owner" }).body.role, "librarian", "only the two roles");
});

test("an invitation needs the e-mail; the form's problems point at their fields", () => {
  assert.deepEqual(accountBody({ ...NEW, invite: true }).errors.map((e) => e.field), ["email"]);
  const invited = accountBody({ ...NEW, invite: true, email: "robin@lib.example.org" });
  assert.equal(invited.body.invite, true);
  assert.equal(invited.body.email, "robin@lib.example.org");
  const bad = accountBody({ username: "robin smith", name: " ", email: "robin@", maxChats: "11", allDesks: false, desks: [] });
  assert.deepEqual(bad.errors.map((e) => e.field), ["username", "name", "email", "max", "desks"]);
  assert.deepEqual(accountBody({ ...NEW, username: "" }).errors.map((e) => e.field), ["username"]);
  assert.deepEqual(accountBody({ ...NEW, maxChats: "2.5" }).errors.map((e) => e.field), ["max"]);
  assert.deepEqual(accountBody({ ...NEW, maxChats: "" }).errors.map((e) => e.field), ["max"]);
  assert.deepEqual(accountBody({ ...NEW, name: "x".repeat(101) }).errors.map((e) => e.field), ["name"]);
  assert.deepEqual(accountBody({ ...NEW, username: "a".repeat(65) }).errors.map((e) => e.field), ["username"]);
});

test("an account's edits: name, role and desks in one PUT", () => {
  assert.deepEqual(accountChanges({ name: " Theo T. ", role: "admin", allDesks: false, desks: ["coop"] }).body,
    { name: "Theo T.", role: "admin", queues: ["coop"] });
  assert.deepEqual(accountChanges({ name: "Theo", role: "librarian", allDesks: true, desks: ["coop"] }).body.queues, null);
  assert.deepEqual(accountChanges({ name: "", role: "librarian", allDesks: false, desks: [] }).errors.map((e) => e.field), ["name", "desks"]);
});

test("the first sign-in's new password: both boxes, the same", () => {
  assert.match(newPasswordProblem("", ""), /in both boxes/);
  assert.match(newPasswordProblem("Correct-Horse-1", ""), /in both boxes/);
  assert.match(newPasswordProblem("Correct-Horse-1", "Correct-Horse-2"), /not the same/);
  assert.equal(newPasswordProblem("Correct-Horse-1", "Correct-Horse-1"), null);
});

test("a disabled account's refusal is told apart from other 403s", () => {
  assert.ok(isDisabledError(new ApiError(403, "forbidden", "this account is disabled")));
  assert.ok(!isDisabledError(new ApiError(403, "forbidden", "this account is not set up as an operator")));
  assert.ok(!isDisabledError(new ApiError(401, "unauthorized", "disabled")));
  assert.ok(!isDisabledError(null));
});

function fakeFetch(respond) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init, body: typeof init.body === "string" ? JSON.parse(init.body) : init.body });
    const { status = 200, body } = (await respond(url, init)) || {};
    return { ok: status >= 200 && status < 300, status, json: async () => body ?? {} };
  };
  return { fn, calls };
}

test("account REST calls: create, update, the new password (no token: not signed in yet)", async () => {
  const f = fakeFetch((url) => (url.endsWith("/auth/password")
    ? { body: { token: "t2", expires_at: "2026-01-01T00:00:00Z", operator: { id: "robin" } } }
    : { status: 201, body: { operator: { id: "robin" }, temporary_password: "Tmp-Pass-12345" } }));
  const api = new Api("http://x/api", f.fn);
  const res = await api.newPassword("robin", "sess-1", "Correct-Horse-1");
  assert.equal(res.token, "t2");
  assert.equal(f.calls[0].init.headers.Authorization, undefined);
  assert.deepEqual(f.calls[0].body, { username: "robin", session: "sess-1", new_password: "Correct-Horse-1" });
  api.token = "admin-t";
  const made = await api.createOperator({ username: "robin", name: "Robin" });
  assert.equal(made.temporary_password, "Tmp-Pass-12345");
  await api.updateOperator("robin", { disabled: true });
  await api.updateOperator("r/1", { queues: null });
  assert.deepEqual(f.calls.slice(1).map((c) => [c.init.method, c.url, c.body]), [
    ["POST", "http://x/api/operators", { username: "robin", name: "Robin" }],
    ["PUT", "http://x/api/operators/robin", { disabled: true }],
    ["PUT", "http://x/api/operators/r%2F1", { queues: null }],
  ]);
  assert.equal(f.calls[2].init.headers.Authorization, "Bearer admin-t");
});

test("the session check tells a disabled account from an ended session", async () => {
  const state = (status, message) => new Api("http://x/api", fakeFetch(() => ({ status, body: { error: { code: "x", message } } })).fn).sessionState();
  assert.equal(await state(404), "valid");
  assert.equal(await state(403, "this account is disabled"), "disabled");
  assert.equal(await state(403, "this account is not set up as an operator"), "ended");
  assert.equal(await state(401, "expired"), "ended");
  assert.equal(await state(502), null);
  const valid = (status, message) => new Api("http://x/api", fakeFetch(() => ({ status, body: { error: { code: "x", message } } })).fn).tokenValid();
  assert.equal(await valid(403, "this account is disabled"), false, "tokenValid keeps its answer");
});
