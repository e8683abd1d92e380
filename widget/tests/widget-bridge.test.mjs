// The frame <-> host page channel: only our host, only our messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HostBridge, NS, confirmedParentOrigin, isHostMessage } from "../patron/bridge.js";

const parent = { posted: [], postMessage(data, origin) { this.posted.push({ data, origin }); } };
const host = "https://www.library.example";

test("messages count only from the declared origin, from the parent window, in our namespace", () => {
  const ok = { origin: host, source: parent, data: { ns: NS, type: "open" } };
  assert.equal(isHostMessage(ok, host, parent), true);
  assert.equal(isHostMessage({ ...ok, origin: "https://evil.example" }, host, parent), false);
  assert.equal(isHostMessage({ ...ok, source: {} }, host, parent), false);
  assert.equal(isHostMessage({ ...ok, data: { type: "open" } }, host, parent), false);
  assert.equal(isHostMessage({ ...ok, data: "open" }, host, parent), false);
  assert.equal(isHostMessage(ok, undefined, parent), false);
});

test("the declared origin must match what the browser says embeds us, where it can tell", () => {
  assert.equal(confirmedParentOrigin(host, { ancestorOrigins: [host] }), host);
  assert.equal(confirmedParentOrigin(host, { ancestorOrigins: ["https://evil.example"] }), null);
  assert.equal(confirmedParentOrigin(host, {}), host, "browsers without ancestorOrigins");
  assert.equal(confirmedParentOrigin(undefined, {}), null);
});

test("posts name the host origin explicitly; a frame without a host posts nothing", () => {
  const listeners = [];
  const win = { parent, location: { ancestorOrigins: [host] }, addEventListener: (type, fn) => listeners.push(fn) };
  const got = [];
  const bridge = new HostBridge(win, host, (cmd) => got.push(cmd.type));
  bridge.post("unread", { count: 2, ns: "spoofed" });
  assert.deepEqual(parent.posted.at(-1), { data: { count: 2, ns: NS, type: "unread" }, origin: host });
  listeners[0]({ origin: host, source: parent, data: { ns: NS, type: "open" } });
  listeners[0]({ origin: "https://evil.example", source: parent, data: { ns: NS, type: "close" } });
  assert.deepEqual(got, ["open"]);

  const alone = { location: {}, addEventListener() { throw new Error("no listener wanted"); } };
  alone.parent = alone;
  const standalone = new HostBridge(alone, host, () => {});
  assert.equal(standalone.enabled, false);
  standalone.post("ready");
});
