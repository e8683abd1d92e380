// Patron widget strings: lookup, fallback, and the second language kept complete.
import { test } from "node:test";
import assert from "node:assert/strict";
import { STRINGS, format, makeT, resolveLang } from "../patron/i18n.js";

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("languages resolve from tags, with English as the fallback", () => {
  assert.equal(resolveLang("es"), "es");
  assert.equal(resolveLang("es-MX"), "es");
  assert.equal(resolveLang("ES_ar"), "es");
  assert.equal(resolveLang("fr-CA"), "en");
  assert.equal(resolveLang(["fr", "es-419"]), "es");
  assert.equal(resolveLang(undefined), "en");
  assert.equal(resolveLang(""), "en");
});

test("placeholders are filled with plain values; unknown ones stay visible", () => {
  assert.equal(format("{name} joined", { name: "Ada" }), "Ada joined");
  assert.equal(format("{n} left", { n: 0 }), "0 left");
  assert.equal(format("{name} joined", {}), "{name} joined");
  assert.equal(format("<b>{name}</b>", { name: "<img src=x>" }), "<b><img src=x></b>", "no escaping: the view sets text");
});

test("a translator knows its language and falls back to English, then to the key", () => {
  const es = makeT("es-ES");
  assert.equal(es.lang, "es");
  assert.equal(es("status.active", { name: "Ada" }), "Conversando con Ada");
  const partial = makeT("xx", { en: { a: "A" }, xx: {} });
  assert.equal(partial.lang, "xx");
  assert.equal(partial("a"), "A");
  assert.equal(partial("missing.key"), "missing.key");
  assert.equal(makeT("de")("form.submit"), "Start chat");
});

test("every language has exactly the English keys, none empty, with the same placeholders", () => {
  const reference = STRINGS.en;
  for (const [lang, table] of Object.entries(STRINGS)) {
    assert.deepEqual(Object.keys(table).sort(), Object.keys(reference).sort(), `${lang} keys`);
    for (const [key, value] of Object.entries(table)) {
      assert.ok(typeof value === "string" && value.trim(), `${lang}.${key} is empty`);
      assert.deepEqual(placeholders(value), placeholders(reference[key]), `${lang}.${key} placeholders`);
    }
  }
});
