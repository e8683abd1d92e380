// Settings merge: same-origin defaults < config.json < the embed script's attributes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chatWsUrl, fromFile, fromQuery, resolveConfig, safeOrigin, safeUrl } from "../patron/config.js";

const local = new URL("http://127.0.0.1:8000/patron/");
const cloud = new URL("https://d111.cloudfront.net/patron/?mode=floating&origin=https%3A%2F%2Fwww.library.example");

test("same-origin defaults: REST under /api and the WebSocket at /ws", () => {
  const c = resolveConfig({ location: local });
  assert.equal(c.restUrl, "http://127.0.0.1:8000/api");
  assert.equal(c.wsUrl, "ws://127.0.0.1:8000/ws");
  assert.equal(c.mode, "page", "opened directly, not embedded");
  assert.equal(c.lang, "en");
  const s = resolveConfig({ location: new URL("https://chat.example.org/patron/") });
  assert.equal(s.wsUrl, "wss://chat.example.org/ws");
});

test("config.json overrides the defaults, the script attributes override both", () => {
  const file = { restUrl: "https://abc.execute-api.us-east-1.amazonaws.com/api/", wsUrl: "wss://ws.example/prod",
    offline: { email: "help@lib.example", phone: "555", url: "https://lib.example/help", message: "Closed today" } };
  const c = resolveConfig({ location: cloud, fileJson: file });
  assert.equal(c.restUrl, "https://abc.execute-api.us-east-1.amazonaws.com/api");
  assert.equal(c.wsUrl, "wss://ws.example/prod");
  assert.equal(c.offlineEmail, "help@lib.example");
  assert.equal(c.offlineMessage, "Closed today");
  assert.equal(c.mode, "floating");
  assert.equal(c.parentOrigin, "https://www.library.example");
  const search = "?mode=inline&origin=https://www.library.example&rest=https://other.example/api&ws=wss://other.example/ws"
    + "&queue=science&lang=es&email=a@b.example&phone=%2B1%20555&help=https://lib.example/x&placement=bottom-left";
  const o = resolveConfig({ location: cloud, search, fileJson: file });
  assert.equal(o.restUrl, "https://other.example/api");
  assert.equal(o.wsUrl, "wss://other.example/ws");
  assert.equal(o.explicitWsUrl, true);
  assert.equal(o.queue, "science");
  assert.equal(o.lang, "es");
  assert.equal(o.mode, "inline");
  assert.equal(o.placement, "bottom-left");
  assert.equal(o.offlineEmail, "a@b.example");
  assert.equal(o.offlinePhone, "+1 555");
  assert.equal(o.offlineUrl, "https://lib.example/x");
});

test("bad values are dropped, never used", () => {
  assert.deepEqual(fromQuery("?mode=popup&placement=top&queue=a%20b&origin=javascript:alert(1)&rest=javascript:x&ws=https://x"), {});
  assert.deepEqual(fromFile({ restUrl: "ftp://x", wsUrl: "http://x", offline: { url: "javascript:alert(1)" } }), {});
  assert.deepEqual(fromFile(null), {});
  assert.deepEqual(fromFile([1]), {});
  assert.equal(safeUrl("https://user:pw@x.example/api"), undefined);
  assert.equal(safeOrigin("https://www.library.example/some/page?x=1"), "https://www.library.example");
  assert.equal(safeOrigin("data:text/html,x"), undefined);
});

test("an embedded mode without a parent origin falls back to a standalone page", () => {
  const c = resolveConfig({ location: local, search: "?mode=floating" });
  assert.equal(c.mode, "page");
});

test("the navigator's language is the last resort", () => {
  assert.equal(resolveConfig({ location: local, navigatorLang: ["es-ES", "en"] }).lang[0], "es-ES");
  assert.equal(resolveConfig({ location: local, search: "?lang=en", navigatorLang: ["es"] }).lang, "en");
});

test("the chat's WebSocket: an explicit attribute wins, else the ws_url the service gave", () => {
  const c = resolveConfig({ location: local });
  assert.equal(chatWsUrl(c, "ws://127.0.0.1:8000/ws"), "ws://127.0.0.1:8000/ws");
  assert.equal(chatWsUrl(c, "not a url"), c.wsUrl);
  const o = resolveConfig({ location: local, search: "?ws=wss://edge.example/ws" });
  assert.equal(chatWsUrl(o, "ws://127.0.0.1:8000/ws"), "wss://edge.example/ws");
});

test("the widget's URL guards and config.json reading are the shared ones (widget/js/)", async () => {
  const urls = await import("../js/urls.js");
  const shared = await import("../js/config.js");
  const patron = await import("../patron/config.js");
  assert.equal(patron.safeUrl, urls.safeUrl);
  assert.equal(patron.safeOrigin, urls.safeOrigin);
  assert.equal(patron.loadConfigFile, shared.loadConfigFile);
  // config.json's URLs mean the same to both front ends
  const dashboard = await import("../dashboard/logic.js");
  const file = { restUrl: "https://a.example/api/", wsUrl: "ws://b.example/ws/" };
  const p = resolveConfig({ location: local, fileJson: file });
  assert.deepEqual([p.restUrl, p.wsUrl], Object.values(dashboard.resolveConfig(file, local)));
});
