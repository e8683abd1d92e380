// REST calls: bodies, headers, and errors mapped to the protocol's codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, PatronApi, storedBrowserId, surveyBody } from "../patron/api.js";

function fakeFetch(respond) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, ...init, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    const { status = 200, body } = await respond(url, init);
    return { ok: status >= 200 && status < 300, status, json: async () => { if (body === undefined) throw new Error("no body"); return body; } };
  };
  return { fn, calls };
}

test("create a chat: only the fields given, JSON, no cookies", async () => {
  const f = fakeFetch(() => ({ status: 201, body: { chat_id: "c1", token: "t", ws_url: "ws://x/ws" } }));
  const api = new PatronApi("http://x/api/", f.fn);
  assert.deepEqual(await api.createChat({ question: "Q", name: "", email: "a@b.example", queue: undefined }),
    { chat_id: "c1", token: "t", ws_url: "ws://x/ws" });
  assert.equal(f.calls[0].url, "http://x/api/chats");
  assert.equal(f.calls[0].method, "POST");
  assert.deepEqual(f.calls[0].body, { question: "Q", email: "a@b.example" });
  assert.equal(f.calls[0].credentials, "omit");
  assert.equal(f.calls[0].headers.Authorization, undefined);
});

test("patron calls carry the bearer token", async () => {
  const f = fakeFetch((url) => (url.includes("/messages") ? { body: { messages: [{ seq: 3 }] } } : { status: 201, body: { ok: true } }));
  const api = new PatronApi("http://x/api", f.fn);
  assert.deepEqual(await api.history("c/1", "tok", 2), [{ seq: 3 }]);
  assert.equal(f.calls[0].url, "http://x/api/chats/c%2F1/messages?after=2");
  assert.equal(f.calls[0].headers.Authorization, "Bearer tok");
  await api.submitSurvey("c1", "tok", { rating: 5 });
  assert.equal(f.calls[1].url, "http://x/api/chats/c1/survey");
  assert.deepEqual(f.calls[1].body, { rating: 5 });
  assert.equal(f.calls[1].headers.Authorization, "Bearer tok");
});

test("errors carry the protocol code; an unreachable service is `network`", async () => {
  const api = new PatronApi("http://x/api", fakeFetch(() => ({ status: 409, body: { error: { code: "conflict", message: "already" } } })).fn);
  await assert.rejects(api.submitSurvey("c1", "t", { rating: 1 }), (err) => err instanceof ApiError && err.code === "conflict" && err.status === 409);
  const bare = new PatronApi("http://x/api", fakeFetch(() => ({ status: 502 })).fn);
  await assert.rejects(bare.status(), (err) => err.code === "internal" && err.status === 502);
  const down = new PatronApi("http://x/api", async () => { throw new TypeError("Failed to fetch"); });
  await assert.rejects(down.status(), (err) => err.code === "network" && err.status === 0);
});

test("the status of the widget's desk: ?queue= when it names one (docs/desks.md)", async () => {
  const f = fakeFetch(() => ({ body: { online: true, queues: [] } }));
  const api = new PatronApi("http://x/api", f.fn);
  await api.status("law");
  await api.status();
  await api.status("a&b");
  assert.deepEqual(f.calls.map((c) => c.url), ["http://x/api/status?queue=law", "http://x/api/status",
    "http://x/api/status?queue=a%26b"]);
  assert.equal(f.calls[0].method, "GET");
});

test("survey body: rating as a number, optional answers only when given", () => {
  assert.deepEqual(surveyBody({ rating: "4", answered: null, comment: "  " }), { rating: 4 });
  assert.deepEqual(surveyBody({ rating: "5", answered: "yes", comment: " Great help " }), { rating: 5, answered: true, comment: "Great help" });
  assert.deepEqual(surveyBody({ rating: 2, answered: "no" }), { rating: 2, answered: false });
  assert.equal(surveyBody({ rating: 1, comment: "x".repeat(3000) }).comment.length, 2000);
});

test("a file link is asked for per click, with the patron's token; only http(s) links are used", async () => {
  const f = fakeFetch(() => ({ body: { url: "https://bucket.s3.amazonaws.com/chats/c1/r/plan.pdf?X-Amz-Signature=abc", expires_in: 300 } }));
  const api = new PatronApi("http://x/api", f.fn);
  assert.match(await api.fileUrl("c1", "tok", "chats/c1/r/plan.pdf"), /^https:\/\/bucket/);
  assert.equal(f.calls[0].url, "http://x/api/chats/c1/files?key=chats%2Fc1%2Fr%2Fplan.pdf");
  assert.equal(f.calls[0].headers.Authorization, "Bearer tok");
  const evil = new PatronApi("http://x/api", fakeFetch(() => ({ body: { url: "javascript:alert(1)" } })).fn);
  await assert.rejects(evil.fileUrl("c1", "tok", "k"), (err) => err.code === "bad_request");
});

test("a new chat carries the browser's random id, kept in storage (docs/privacy.md)", async () => {
  const f = fakeFetch(() => ({ status: 201, body: { chat_id: "c1" } }));
  const api = new PatronApi("http://x/api/", f.fn, () => "0123456789abcdef0123456789abcdef");
  await api.createChat({ question: "Q" });
  assert.equal(f.calls[0].headers["X-Client-Id"], "0123456789abcdef0123456789abcdef");
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  const first = storedBrowserId(storage);
  assert.match(first, /^[0-9a-f]{32}$/);
  assert.equal(storedBrowserId(storage), first);
  const broken = { getItem() { throw new Error("storage off"); }, setItem() { throw new Error("off"); } };
  const pageOnly = storedBrowserId(broken);
  assert.match(pageOnly, /^[0-9a-f]{32}$/);
  assert.equal(storedBrowserId(broken), pageOnly); // the same for the page's lifetime
});
