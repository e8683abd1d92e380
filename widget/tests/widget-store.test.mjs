// The session kept in sessionStorage: round trip, validation, size, failures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChatStore, normalise, safeStorage, storageKey, VERSION } from "../patron/store.js";

class MemoryStorage {
  constructor() { this.data = new Map(); }
  getItem(k) { return this.data.has(k) ? this.data.get(k) : null; }
  setItem(k, v) { this.data.set(k, String(v)); }
  removeItem(k) { this.data.delete(k); }
}

const record = (extra = {}) => ({
  chat: { chat_id: "c1", token: "p.tok", ws_url: "ws://x/ws", status: "active", operator: { id: "admin", name: "Ada" }, ended_by: null },
  lastSeq: { c1: 4 },
  outbox: [{ chat_id: "c1", client_msg_id: "m1", text: "hello" }],
  transcript: [{ kind: "msg", seq: 1, role: "patron", text: "q" }],
  survey: null,
  ...extra,
});

test("keys are per queue and versioned", () => {
  assert.equal(storageKey("general"), `libchat:patron:v${VERSION}:general`);
  assert.equal(storageKey(undefined), `libchat:patron:v${VERSION}:default`);
});

test("a saved chat loads back as it was", () => {
  const store = new ChatStore(new MemoryStorage(), "k", () => 42);
  assert.equal(store.load(), null);
  assert.equal(store.save(record()), true);
  const back = store.load();
  assert.equal(back.chat.token, "p.tok");
  assert.deepEqual(back.lastSeq, { c1: 4 });
  assert.deepEqual(back.outbox, [{ chat_id: "c1", client_msg_id: "m1", text: "hello" }]);
  assert.equal(back.transcript.length, 1);
  assert.equal(back.savedAt, 42);
  store.clear();
  assert.equal(store.load(), null);
});

test("corrupt, foreign or half records are dropped; odd fields are cleaned", () => {
  const storage = new MemoryStorage();
  const store = new ChatStore(storage, "k");
  for (const bad of ["{not json", "null", "[]", JSON.stringify({ v: 99, chat: { chat_id: "c", token: "t" } }),
    JSON.stringify({ v: VERSION, chat: { chat_id: "c" } })]) {
    storage.setItem("k", bad);
    assert.equal(store.load(), null, bad);
  }
  const odd = normalise({ v: VERSION, ...record({
    lastSeq: { c1: -3, other: 9 }, survey: "maybe",
    outbox: [{ chat_id: "other", client_msg_id: "x", text: "t" }, { chat_id: "c1", client_msg_id: 5, text: "t" }, null],
    chat: { chat_id: "c1", token: "t", status: "weird", operator: { name: 7 } },
  }) });
  assert.deepEqual(odd.lastSeq, { c1: 0 });
  assert.deepEqual(odd.outbox, []);
  assert.equal(odd.survey, null);
  assert.equal(odd.chat.status, "queued");
  assert.equal(odd.chat.operator, null);
});

test("an oversized transcript is trimmed from the oldest end; the chat and outbox stay", () => {
  const storage = new MemoryStorage();
  const store = new ChatStore(storage, "k");
  const big = Array.from({ length: 800 }, (_, i) => ({ kind: "msg", seq: i + 1, role: "operator", text: "x".repeat(4000) }));
  assert.equal(store.save(record({ transcript: big })), true);
  const back = store.load();
  assert.ok(back.transcript.length < 800 && back.transcript.length > 0);
  assert.equal(back.transcript.at(-1).seq, 800, "the newest messages are kept");
  assert.equal(back.outbox.length, 1);
});

test("storage that throws (privacy modes, quota) never breaks the widget", () => {
  const throwing = { getItem() { throw new Error("denied"); }, setItem() { throw new Error("quota"); }, removeItem() { throw new Error("x"); } };
  const store = new ChatStore(throwing, "k");
  assert.equal(store.load(), null);
  assert.equal(store.save(record()), false);
  store.clear();
  const fallback = safeStorage({ get sessionStorage() { throw new Error("SecurityError"); } });
  fallback.setItem("a", 1);
  assert.equal(fallback.getItem("a"), "1");
  fallback.removeItem("a");
  assert.equal(fallback.getItem("a"), null);
});
