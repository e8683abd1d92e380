// The shared input limits (widget/js/limits.js): the e-mail rule must take exactly what the
// service's validation.email takes (chalicelib/domain/validation.py), so a form never accepts an
// address the service then refuses with a 400.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clean, isEmail, MAX_EMAIL, MAX_TEXT, strip } from "../js/limits.js";

test("the protocol's text limit", () => {
  assert.equal(MAX_TEXT, 4000);
  assert.equal(MAX_EMAIL, 254);
});

test("addresses the service takes", () => {
  for (const ok of ["a@b.co", "ask@library.example", "first.last+chat@mail.uni.example", "  a@b.co  ",
    "é@b.co", "x".repeat(64) + "@b.co", "a@" + "d".repeat(190) + ".com", "a@b." + "c".repeat(63)]) {
    assert.equal(isEmail(ok), true, ok);
  }
});

test("addresses the service refuses, which the widget's old check let through", () => {
  assert.equal(isEmail("a@b.c"), false, "a one-letter top-level domain");
  assert.equal(isEmail("x".repeat(65) + "@b.co"), false, "a 65-character local part");
  assert.equal(isEmail("a@" + "d".repeat(191) + ".com"), false, "191 characters before the last dot");
  assert.equal(isEmail("a@b." + "c".repeat(64)), false, "a 64-character top-level domain");
  assert.equal(isEmail("a\u001cb@c.de"), false, "U+001C is whitespace to Python's \\s");
});

test("other refusals: shape, length and type", () => {
  for (const bad of ["", "   ", "a@b", "@b.co", "a@.co", "a@@b.co", "a@b@c.de", "a b@c.de", "a@b .co", "ab.co"]) {
    assert.equal(isEmail(bad), false, JSON.stringify(bad));
  }
  for (const bad of [null, undefined, 42, {}]) assert.equal(isEmail(bad), false, String(bad));
  // 254 characters at most, counted before trimming (as the service does)
  const at254 = "x".repeat(64) + "@" + "d".repeat(185) + ".com";
  assert.equal(at254.length, 254);
  assert.equal(isEmail(at254), true);
  assert.equal(isEmail(at254 + " "), false, "255 with the trailing space");
  assert.equal(isEmail("x".repeat(64) + "@" + "d".repeat(186) + ".com"), false);
});

test("characters, not UTF-16 units, as Python counts them", () => {
  const emoji = "\u{1F600}";
  assert.equal(isEmail(emoji.repeat(64) + "@b.co"), true, "64 characters (128 UTF-16 units)");
  assert.equal(isEmail(emoji.repeat(65) + "@b.co"), false);
});

test("trimming as Python's str.strip() does it", () => {
  assert.equal(strip("\u0085 a@b.co\u001f\t"), "a@b.co");
  assert.equal(isEmail("\u0085a@b.co"), true, "NEL is stripped by Python");
  assert.equal(strip("\ufeffx"), "\ufeffx", "U+FEFF is not whitespace to Python");
  assert.equal(isEmail("a@b.co\ufeff"), true, "so it stays, as part of the top-level domain");
});

test("clean: trimmed, non-empty, bounded", () => {
  assert.equal(clean("  Closed today "), "Closed today");
  assert.equal(clean("   "), undefined);
  assert.equal(clean("abc", 2), undefined);
  assert.equal(clean("ab", 2), "ab");
  assert.equal(clean(12), undefined);
});
