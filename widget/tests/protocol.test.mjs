// Unit tests of the shared protocol client, with Node's built-in test runner (node --test).
// A fake WebSocket and a manual clock stand in for the browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ProtocolClient, SeqTracker, backoffDelay } from "../js/protocol.js";

class Clock {
  constructor() {
    this.now = 0;
    this.timers = [];
    this.nextId = 1;
    this.setTimeout = (fn, ms) => {
      const id = this.nextId++;
      this.timers.push({ id, at: this.now + ms, fn });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }
  async advance(ms) {
    const until = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.now = next.at;
      await next.fn();
    }
    this.now = until;
  }
}

function fakeSockets() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      sockets.push(this);
    }
    send(data) {
      assert.equal(this.readyState, 1, "send on an open socket only");
      this.sent.push(JSON.parse(data));
    }
    close() {
      this.drop();
    }
    // test controls
    accept() {
      this.readyState = 1;
      this.onopen && this.onopen();
    }
    serve(frame) {
      this.onmessage && this.onmessage({ data: JSON.stringify(frame) });
    }
    drop() {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.onclose && this.onclose({ code: 1006 });
    }
    frames(action) {
      return this.sent.filter((f) => f.action === action);
    }
  }
  return { sockets, FakeWebSocket };
}

function setup(extra = {}) {
  const clock = new Clock();
  const { sockets, FakeWebSocket } = fakeSockets();
  const client = new ProtocolClient({
    url: "ws://x/ws", token: "tok en", WebSocket: FakeWebSocket,
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, random: () => 0.5, ...extra,
  });
  const seen = { messages: [], states: [], frames: [], rejected: [] };
  client.on("message", (d) => seen.messages.push(d));
  client.on("state", (d) => seen.states.push(d.state));
  client.on("frame", (d) => seen.frames.push(d));
  client.on("rejected", (d) => seen.rejected.push(d));
  return { clock, sockets, client, seen };
}

const msg = (seq, extra = {}) => ({ seq, sender: { role: "operator" }, text: `m${seq}`, sent_at: "t", ...extra });
const welcome = (chatId = "c1", lastSeq = 1) => ({ type: "welcome", role: "patron", chat: { chat_id: chatId, last_seq: lastSeq } });

test("connects with the token, says hello first, and reports open after welcome", () => {
  const { sockets, client, seen } = setup();
  client.connect();
  assert.equal(sockets[0].url, "ws://x/ws?token=tok%20en");
  sockets[0].accept();
  assert.deepEqual(sockets[0].sent[0], { action: "hello", after: {} });
  assert.equal(client.state, "connecting");
  sockets[0].serve(welcome());
  assert.equal(client.state, "open");
  assert.deepEqual(seen.states, ["connecting", "open"]);
});

test("reconnects with exponential backoff and resumes after the last seq seen", async () => {
  const { clock, sockets, client, seen } = setup();
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  sockets[0].serve({ type: "chat.message", chat_id: "c1", message: msg(1) });
  sockets[0].serve({ type: "chat.message", chat_id: "c1", message: msg(2) });
  sockets[0].drop();
  assert.equal(client.state, "reconnecting");
  await clock.advance(499);
  assert.equal(sockets.length, 1, "waits the first backoff delay");
  await clock.advance(1);
  assert.equal(sockets.length, 2);
  sockets[1].drop(); // refused again: the delay doubles
  await clock.advance(999);
  assert.equal(sockets.length, 2);
  await clock.advance(1);
  assert.equal(sockets.length, 3);
  sockets[2].accept();
  assert.deepEqual(sockets[2].sent[0], { action: "hello", after: { c1: 2 } });
  sockets[2].serve(welcome());
  assert.equal(client.attempt, 0, "backoff resets after a welcome");
  assert.deepEqual(seen.states, ["connecting", "open", "reconnecting", "open"]);
});

test("backoff is capped and jittered", () => {
  const opts = { initialDelay: 500, maxDelay: 15000, factor: 2, jitter: 0.3 };
  assert.equal(backoffDelay(0, opts, () => 0.5), 500);
  assert.equal(backoffDelay(3, opts, () => 0.5), 4000);
  assert.equal(backoffDelay(20, opts, () => 0.5), 15000);
  assert.equal(backoffDelay(20, opts, () => 0), 10500);
  assert.equal(backoffDelay(20, opts, () => 1), 19500);
});

test("messages come out once and in seq order, whatever order and repeats they arrive in", () => {
  const tracker = new SeqTracker(1);
  assert.deepEqual(tracker.accept(msg(3)), []);
  assert.equal(tracker.hasGap, true);
  assert.deepEqual(tracker.accept(msg(1)), [], "already seen");
  assert.deepEqual(tracker.accept(msg(3)), [], "duplicate while held");
  assert.deepEqual(tracker.accept(msg(2)).map((m) => m.seq), [2, 3]);
  assert.deepEqual(tracker.accept(msg(2)), [], "duplicate after release");
  assert.equal(tracker.lastSeq, 3);
  assert.equal(tracker.hasGap, false);
});

test("the client drops duplicates from push and backlog alike", () => {
  const { sockets, client, seen } = setup({ lastSeq: { c1: 1 } });
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  for (const seq of [2, 3, 2, 4, 3, 4]) sockets[0].serve({ type: "chat.message", chat_id: "c1", message: msg(seq) });
  assert.deepEqual(seen.messages.map((d) => d.message.seq), [2, 3, 4]);
});

test("a gap that does not fill is fetched from history", async () => {
  const calls = [];
  const { clock, sockets, client, seen } = setup({
    fetchHistory: async (chatId, after) => {
      calls.push([chatId, after]);
      return [msg(2), msg(3)];
    },
  });
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome("c1"));
  sockets[0].serve({ type: "chat.message", chat_id: "c1", message: msg(1) });
  sockets[0].serve({ type: "chat.message", chat_id: "c1", message: msg(4) });
  assert.deepEqual(seen.messages.map((d) => d.message.seq), [1]);
  await clock.advance(1500);
  assert.deepEqual(calls, [["c1", 1]]);
  assert.deepEqual(seen.messages.map((d) => d.message.seq), [1, 2, 3, 4]);
});

test("sends made while offline go out once, after reconnect, and leave the outbox when stored", async () => {
  const { clock, sockets, client } = setup();
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  sockets[0].drop();
  const id = client.send("c1", "are you there?");
  assert.equal(sockets[0].frames("send").length, 0);
  assert.equal(client.pending("c1").length, 1);
  await clock.advance(500);
  sockets[1].accept();
  assert.equal(sockets[1].frames("send").length, 0, "not before welcome");
  sockets[1].serve(welcome());
  assert.deepEqual(sockets[1].frames("send"), [
    { action: "send", request_id: id, chat_id: "c1", client_msg_id: id, text: "are you there?" },
  ]);
  sockets[1].serve(welcome()); // a second welcome on the same connection must not resend
  assert.equal(sockets[1].frames("send").length, 1);
  sockets[1].serve({ type: "chat.message", chat_id: "c1", message: msg(2, { client_msg_id: id }) });
  assert.equal(client.pending("c1").length, 0);
});

test("a message sent just before a drop is resent once with the same client_msg_id", async () => {
  const { clock, sockets, client } = setup();
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  const id = client.send("c1", "hello");
  assert.equal(sockets[0].frames("send").length, 1);
  sockets[0].drop(); // no echo arrived: unknown whether it was stored
  await clock.advance(500);
  sockets[1].accept();
  sockets[1].serve(welcome());
  assert.deepEqual(sockets[1].frames("send").map((f) => f.client_msg_id), [id]);
  await clock.advance(5000);
  assert.equal(sockets[1].frames("send").length, 1, "once per connection");
});

test("a refused message leaves the outbox and is reported; a transient error retries", async () => {
  const { clock, sockets, client, seen } = setup();
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  const big = client.send("c1", "x");
  sockets[0].serve({ type: "error", code: "too_large", message: "too long", request_id: big });
  assert.equal(client.pending("c1").length, 0);
  assert.equal(seen.rejected[0].error.code, "too_large");
  const busy = client.send("c1", "y");
  sockets[0].serve({ type: "error", code: "conflict", message: "busy", request_id: busy });
  await clock.advance(500);
  assert.equal(sockets[0].frames("send").filter((f) => f.client_msg_id === busy).length, 2);
  assert.equal(seen.frames.length, 0, "outbox errors are not passed on as frames");
});

test("pings keep the connection alive; disconnect stops reconnecting", async () => {
  const { clock, sockets, client } = setup();
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  await clock.advance(240000);
  assert.equal(sockets[0].frames("keepalive").length, 1);
  client.disconnect();
  await clock.advance(60000);
  assert.equal(sockets.length, 1);
  assert.equal(client.state, "closed");
});

test("a ping only after a quiet interval: frames sent since the last tick keep the socket busy", async () => {
  const { clock, sockets, client } = setup();
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  await clock.advance(100000);
  client.typing("c1", true);
  await clock.advance(140000); // the first tick: a frame went out 140 s ago
  assert.equal(sockets[0].frames("keepalive").length, 0);
  await clock.advance(240000); // quiet since: ping, 380 s after the last frame (under 10 min)
  assert.equal(sockets[0].frames("keepalive").length, 1);
  await clock.advance(240000);
  assert.equal(sockets[0].frames("keepalive").length, 2, "the ping itself does not hold back the next");
  client.disconnect();
});

test("snapshot keeps last seqs and unsent messages for a reload", () => {
  const { sockets, client } = setup();
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  sockets[0].serve({ type: "chat.message", chat_id: "c1", message: msg(1) });
  sockets[0].drop();
  client.send("c1", "later");
  const snap = client.snapshot();
  assert.deepEqual(snap.lastSeq, { c1: 1 });
  assert.equal(snap.outbox[0].text, "later");
  assert.equal("sentOn" in snap.outbox[0], false);
  const { sockets: s2, client: restored } = setup({ lastSeq: snap.lastSeq, outbox: snap.outbox });
  restored.connect();
  s2[0].accept();
  assert.deepEqual(s2[0].sent[0].after, { c1: 1 });
  s2[0].serve(welcome());
  assert.equal(s2[0].frames("send")[0].text, "later");
});

test("other frames are passed to the views", () => {
  const { sockets, client, seen } = setup();
  client.connect();
  sockets[0].accept();
  sockets[0].serve(welcome());
  sockets[0].serve({ type: "chat.typing", chat_id: "c1", role: "operator", typing: true });
  assert.equal(seen.frames[0].type, "chat.typing");
  assert.ok(client.claim("c1", "r1"));
  assert.deepEqual(sockets[0].sent.at(-1), { action: "claim", chat_id: "c1", request_id: "r1" });
});

test("a handshake that hangs is abandoned after connectTimeout and retried", async () => {
  const { clock, sockets, client, seen } = setup({ options: { connectTimeout: 3000 } });
  client.connect();
  await clock.advance(2999);
  assert.equal(sockets.length, 1);
  await clock.advance(1); // no open, no close event: give up on it
  assert.equal(sockets[0].readyState, 3, "the hung socket is closed");
  assert.equal(client.state, "reconnecting");
  await clock.advance(500);
  assert.equal(sockets.length, 2);
  sockets[1].accept();
  sockets[1].serve(welcome());
  await clock.advance(10000);
  assert.equal(sockets.length, 2, "no timeout once welcomed");
  assert.deepEqual(seen.states, ["connecting", "reconnecting", "open"]);
});

test("ingest orders REST history with pushed messages; staff room resumes; state says attempts", async () => {
  const { clock, sockets, client, seen } = setup();
  const attempts = [];
  client.on("retry", (d) => attempts.push(d.attempt));
  client.connect();
  sockets[0].accept();
  sockets[0].serve({ type: "welcome", role: "operator", mine: [], queued: [], staff: { chat_id: "staff", last_seq: 4 } });
  sockets[0].serve({ type: "chat.message", chat_id: "c9", message: msg(3) });
  client.ingest("c9", [msg(1), msg(2), msg(3)]);
  assert.deepEqual(seen.messages.filter((d) => d.chat_id === "c9").map((d) => d.message.seq), [1, 2, 3]);
  sockets[0].serve({ type: "chat.message", chat_id: "staff", message: msg(1) });
  sockets[0].drop();
  await clock.advance(500);
  sockets[1].accept();
  assert.deepEqual(sockets[1].sent[0].after, { c9: 3, staff: 1 });
  assert.deepEqual(attempts, [1], "each failed connection is reported with its count");
});
