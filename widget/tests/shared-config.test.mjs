// Where the service lives (widget/js/config.js): same-origin defaults, config.json's URLs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfigFile, sameOriginUrls, urlsFromFile } from "../js/config.js";

test("same-origin defaults follow the page's scheme and host", () => {
  assert.deepEqual(sameOriginUrls(new URL("http://127.0.0.1:8000/dashboard/")),
    { restUrl: "http://127.0.0.1:8000/api", wsUrl: "ws://127.0.0.1:8000/ws" });
  assert.deepEqual(sameOriginUrls({ protocol: "https:", host: "chat.example.org" }),
    { restUrl: "https://chat.example.org/api", wsUrl: "wss://chat.example.org/ws" });
});

test("config.json: only usable URLs are taken", () => {
  assert.deepEqual(urlsFromFile({ restUrl: "https://a.example/api/", wsUrl: "wss://b.example/prod" }),
    { restUrl: "https://a.example/api", wsUrl: "wss://b.example/prod" });
  assert.deepEqual(urlsFromFile({ restUrl: "wss://a.example/api", wsUrl: "https://b.example/ws" }), {});
  assert.deepEqual(urlsFromFile({ restUrl: "", wsUrl: 7 }), {});
  assert.deepEqual(urlsFromFile(null), {});
  assert.deepEqual(urlsFromFile(["https://a.example"]), {});
});

test("the file is read next to the front ends' folders; absent or broken means null", async () => {
  const asked = [];
  const win = (respond) => ({
    location: { href: "https://cdn.example/dashboard/index.html" },
    fetch: async (url, init) => {
      asked.push([String(url), init]);
      return respond();
    },
  });
  const body = { restUrl: "https://a.example/api" };
  assert.deepEqual(await loadConfigFile(win(() => ({ ok: true, json: async () => body }))), body);
  assert.equal(asked[0][0], "https://cdn.example/config.json");
  assert.equal(asked[0][1].credentials, "omit");
  assert.equal(await loadConfigFile(win(() => ({ ok: false, json: async () => body }))), null);
  assert.equal(await loadConfigFile(win(() => ({ ok: true, json: async () => { throw new SyntaxError("x"); } }))), null);
  assert.equal(await loadConfigFile(win(() => { throw new TypeError("offline"); })), null);
});
