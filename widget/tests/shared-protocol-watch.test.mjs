// The shared protocol client as a status watcher (docs/protocol.md: `ws_url + "?watch=status"`,
// no token, first frame `{"action": "hello"}`), and the widget's StatusWatch on top of it:
// the welcome's status and each `service.status` push reach the widget; keep-alives keep the idle
// gateway at bay; a dropped watch reconnects with backoff; closing it stops for good.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ProtocolClient } from "../js/protocol.js";
import { StatusWatch, watchUrl } from "../patron/status-watch.js";
import { clock } from "./fake-clock.mjs";


function sockets() {
  const all = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      all.push(this);
    }
    send(data) { this.sent.push(JSON.parse(data)); }
    close() { this.drop(); }
    accept() { this.readyState = 1; this.onopen(); }
    serve(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
    drop() {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.onclose && this.onclose({});
    }
  }
  return { all, FakeWebSocket };
}

test("watchUrl: ?watch=status on the service's WebSocket URL; nothing for a URL that is not ws(s)", () => {
  assert.equal(watchUrl("wss://abc.execute-api.example/prod"), "wss://abc.execute-api.example/prod?watch=status");
  assert.equal(watchUrl("ws://127.0.0.1:8000/ws"), "ws://127.0.0.1:8000/ws?watch=status");
  assert.equal(watchUrl("wss://x.example/ws?stage=a"), "wss://x.example/ws?stage=a&watch=status");
  assert.equal(watchUrl("https://x.example/ws"), null);
  assert.equal(watchUrl(undefined), null);
});

test("a client without a token: no token in the URL, a bare hello, keep-alives, backoff after a drop", () => {
  const c = clock();
  const { all, FakeWebSocket } = sockets();
  const client = new ProtocolClient({ url: "ws://h/ws?watch=status", token: null, resume: false, WebSocket: FakeWebSocket,
    setTimeout: c.setTimeout, clearTimeout: c.clearTimeout, random: () => 0.5 });
  client.connect();
  assert.equal(all[0].url, "ws://h/ws?watch=status");
  all[0].accept();
  assert.deepEqual(all[0].sent, [{ action: "hello" }]);
  all[0].serve({ type: "welcome", role: "watcher", status: { online: false, queues: [] } });
  assert.equal(client.state, "open");
  c.advance(240000);
  assert.deepEqual(all[0].sent.at(-1), { action: "keepalive" }, "the idle gateway is kept at bay");
  all[0].drop();
  assert.equal(client.state, "reconnecting");
  c.advance(499);
  assert.equal(all.length, 1);
  c.advance(1);
  assert.equal(all.length, 2, "reconnected after the backoff");
  all[1].accept();
  assert.deepEqual(all[1].sent, [{ action: "hello" }]);
});

test("a client with a token still sends it and resumes as before", () => {
  const { all, FakeWebSocket } = sockets();
  const client = new ProtocolClient({ url: "ws://h/ws", token: "tok 1", lastSeq: { c1: 3 }, WebSocket: FakeWebSocket });
  client.connect();
  assert.equal(all[0].url, "ws://h/ws?token=tok%201");
  all[0].accept();
  assert.deepEqual(all[0].sent, [{ action: "hello", after: { c1: 3 } }]);
  client.disconnect();
});

test("StatusWatch: the welcome's status and every push reach the widget; close stops for good", () => {
  const c = clock();
  const { all, FakeWebSocket } = sockets();
  const seen = [];
  const watch = new StatusWatch({ onStatus: (s) => seen.push(s.online),
    createClient: (o) => new ProtocolClient({ ...o, WebSocket: FakeWebSocket, setTimeout: c.setTimeout,
      clearTimeout: c.clearTimeout, random: () => 0.5 }) });
  assert.equal(watch.open("ws://h/ws"), true);
  assert.equal(watch.open("ws://h/ws"), true);
  assert.equal(all.length, 1, "already watching there");
  all[0].accept();
  all[0].serve({ type: "welcome", role: "watcher", status: { online: false, queues: [] } });
  all[0].serve({ type: "service.status", online: true, queues: [] });
  all[0].serve({ type: "operator.status", operator: {} });
  assert.deepEqual(seen, [false, true]);
  watch.close();
  assert.equal(all[0].readyState, 3);
  assert.equal(watch.watching, false);
  c.advance(60000);
  assert.equal(all.length, 1, "no reconnect after close");
  assert.equal(watch.open("https://not-a-websocket"), false);
});

test("StatusWatch: a push that overtook the welcome wins; an older status (by `at`) is dropped", () => {
  const { all, FakeWebSocket } = sockets();
  const seen = [];
  const watch = new StatusWatch({ onStatus: (s) => seen.push(s.online),
    createClient: (o) => new ProtocolClient({ ...o, WebSocket: FakeWebSocket, random: () => 0.5 }) });
  watch.open("ws://h/ws");
  all[0].accept();
  // the last librarian signed off while this watcher joined: the push was computed after the welcome
  all[0].serve({ type: "service.status", online: false, queues: [], at: "2026-12-03T11:24:00.500Z" });
  all[0].serve({ type: "welcome", role: "watcher", status: { online: true, queues: [], at: "2026-12-03T11:24:00.400Z" } });
  all[0].serve({ type: "service.status", online: true, queues: [], at: "2026-12-03T11:25:00.000Z" });
  all[0].serve({ type: "service.status", online: false, queues: [] }); // no `at` (an older service): taken
  assert.deepEqual(seen, [false, true, false]);
  watch.close();
});
