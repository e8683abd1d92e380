// embed.js is a classic script for any page; its option parsing runs here without a DOM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { STRINGS } from "../patron/i18n.js";

const source = readFileSync(new URL("../embed.js", import.meta.url), "utf8");
const sandbox = { URL, URLSearchParams };
vm.runInNewContext(source, sandbox);
const { parseOptions, frameSrc, LABELS, pickLang } = sandbox.LibChatEmbed;
const page = "https://www.library.example/research/help.html";

test("the service is the script's folder unless data-service says otherwise", () => {
  const o = parseOptions({}, "https://chat.example.org/widget/embed.js", page, "");
  assert.equal(o.service, "https://chat.example.org/widget");
  assert.equal(o.serviceOrigin, "https://chat.example.org");
  assert.equal(o.mode, "floating");
  assert.equal(o.placement, "bottom-right");
  const s = parseOptions({ service: "https://other.example/" }, "https://chat.example.org/embed.js", page, "");
  assert.equal(s.service, "https://other.example");
});

test("attributes are validated; relative URLs resolve against the page", () => {
  const o = parseOptions({ mode: "inline", target: "#chat-here", placement: "bottom-left", queue: "science",
    lang: "es-MX", restUrl: "https://api.example/api", wsUrl: "wss://ws.example/prod", offlineUrl: "/contact",
    offlineEmail: "ask@library.example", offlinePhone: "+1 555 0100", label: "Chat" }, "https://chat.example.org/embed.js", page, "en");
  assert.equal(o.mode, "inline");
  assert.equal(o.placement, "bottom-left");
  assert.equal(o.queue, "science");
  assert.equal(o.lang, "es-MX");
  assert.equal(o.uiLang, "es");
  assert.equal(o.offlineUrl, "https://www.library.example/contact");
  const bad = parseOptions({ mode: "popup", placement: "top", queue: "a b", restUrl: "javascript:alert(1)", wsUrl: "https://x" },
    "https://chat.example.org/embed.js", page, "");
  assert.equal(bad.mode, "floating");
  assert.equal(bad.placement, "bottom-right");
  assert.equal(bad.queue, "");
  assert.equal(bad.restUrl, "");
  assert.equal(bad.wsUrl, "");
  assert.equal(parseOptions({}, "https://c.example/embed.js", page, "es").lang, "es", "the page's lang is the default");
});

test("the frame URL carries the settings and the host origin, and nothing else", () => {
  const o = parseOptions({ queue: "general", lang: "es", offlineEmail: "ask@library.example" },
    "https://chat.example.org/embed.js", page, "");
  const url = new URL(frameSrc(o, "https://www.library.example"));
  assert.equal(url.origin + url.pathname, "https://chat.example.org/patron/");
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    mode: "floating", origin: "https://www.library.example", queue: "general", lang: "es", email: "ask@library.example" });
});

test("the launcher speaks the widget's languages", () => {
  assert.deepEqual(Object.keys(LABELS).sort(), Object.keys(STRINGS).sort());
  for (const table of Object.values(LABELS)) assert.deepEqual(Object.keys(table).sort(), Object.keys(LABELS.en).sort());
  assert.equal(pickLang("es-AR"), "es");
  assert.equal(pickLang("de"), "en");
});
