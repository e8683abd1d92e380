// Unit tests of the dashboard's pure rules (widget/dashboard/logic.js), with node --test.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  capacityText, claimAdvice, claimNeedsWarning, elapsed, endedText, errorText, formatWait, isOwn,
  isSendKey, patronName, presenceChange, presenceView, resolveConfig, signInErrorText, snippet, tabTitle, typingText,
  unreadCount, usableSession, waitingPresence, waitLevel, warningText, CONFLICT_TEXT,
} from "../dashboard/logic.js";

test("config: same-origin defaults, config.json wins when it names the URLs", () => {
  const local = { protocol: "http:", host: "127.0.0.1:8000" };
  assert.deepEqual(resolveConfig(null, local), { restUrl: "http://127.0.0.1:8000/api", wsUrl: "ws://127.0.0.1:8000/ws" });
  const cdn = { protocol: "https:", host: "chat.example.org" };
  assert.deepEqual(resolveConfig({}, cdn), { restUrl: "https://chat.example.org/api", wsUrl: "wss://chat.example.org/ws" });
  assert.deepEqual(
    resolveConfig({ restUrl: "https://abc.execute-api.us-east-1.amazonaws.com/api/", wsUrl: "wss://def.execute-api.us-east-1.amazonaws.com/prod" }, cdn),
    { restUrl: "https://abc.execute-api.us-east-1.amazonaws.com/api", wsUrl: "wss://def.execute-api.us-east-1.amazonaws.com/prod" },
  );
  assert.deepEqual(resolveConfig({ restUrl: 12, wsUrl: "" }, local).restUrl, "http://127.0.0.1:8000/api");
  // the widget's rules: a URL of the wrong scheme or with credentials in it is not used
  assert.deepEqual(resolveConfig({ restUrl: "ftp://x.example/api", wsUrl: "https://x.example/ws" }, local),
    { restUrl: "http://127.0.0.1:8000/api", wsUrl: "ws://127.0.0.1:8000/ws" });
  assert.equal(resolveConfig({ restUrl: "https://u:p@x.example/api" }, cdn).restUrl, "https://chat.example.org/api");
});

test("wait time: seconds, then minutes, then hours; never negative", () => {
  assert.equal(formatWait(0), "0 s");
  assert.equal(formatWait(-5000), "0 s");
  assert.equal(formatWait(45_000), "45 s");
  assert.equal(formatWait(60_000), "1 min");
  assert.equal(formatWait(2 * 60_000 + 59_000), "2 min");
  assert.equal(formatWait(65 * 60_000), "1 h 05 min");
  assert.equal(waitLevel(4 * 60_000), "normal");
  assert.equal(waitLevel(5 * 60_000), "long");
  assert.equal(waitLevel(12 * 60_000), "urgent");
  const now = Date.parse("2026-01-01T10:02:00Z");
  assert.equal(elapsed("2026-01-01T10:00:00.000Z", now), 120_000);
  assert.equal(elapsed("2026-01-01T10:05:00.000Z", now), 0, "a server clock ahead of ours");
  assert.equal(elapsed("not a time", now), 0);
});

test("tab title counts waiting chats", () => {
  assert.equal(tabTitle(0), "Chats — Library chat");
  assert.equal(tabTitle(2), "(2) Chats — Library chat");
  assert.equal(tabTitle(3, false), "Sign in — Library chat");
});

test("the 4th-chat warning and the capacity message", () => {
  assert.equal(claimNeedsWarning(0), false);
  assert.equal(claimNeedsWarning(2), false);
  assert.equal(claimNeedsWarning(3), true);
  assert.equal(claimNeedsWarning(5), true);
  assert.equal(warningText(3, 5), "You already have 3 chats. The manual advises no more than 3 unless one is winding down.");
  assert.match(warningText(3, 3), /Your limit is 3/);
  assert.equal(capacityText(1), "You are at your limit of 1 chat. End one before claiming another.");
  assert.equal(capacityText(3), "You are at your limit of 3 chats. End one before claiming another.");
  assert.equal(capacityText(undefined), "You are at your limit of chats. End one before claiming another.");
});

test("Claim Chat: straight away, the manual's warning below the hard limit, only an explanation at it", () => {
  assert.equal(claimAdvice(0, 3), null);
  assert.equal(claimAdvice(2, 3), null);
  assert.equal(claimAdvice(0, 1), null, "below 3 the service answers (and a refusal says why)");
  assert.equal(claimAdvice(3, 3), "limit");
  assert.equal(claimAdvice(4, 3), "limit");
  assert.equal(claimAdvice(3, 5), "warn");
  assert.equal(claimAdvice(4, 5), "warn");
  assert.equal(claimAdvice(3, undefined), "warn", "no known limit: warn, the service decides");
});

test("presence: a waiting patron's row, and when they left", () => {
  assert.equal(waitingPresence(null), null);
  assert.equal(waitingPresence(undefined), null);
  assert.deepEqual(waitingPresence("online"), { key: "online", label: "Online" });
  assert.deepEqual(waitingPresence("away"), { key: "away", label: "Away" });
  assert.match(waitingPresence("offline", "2026-01-01T10:00:00Z").label, /^Patron left at \d/);
  assert.equal(waitingPresence("offline"), null); // just queued: the page is still connecting
  const now = Date.parse("2026-01-01T10:00:10Z");
  assert.deepEqual(presenceChange({}, { patron: "offline" }, now), { patron_presence: "offline", patron_left_at: "2026-01-01T10:00:10.000Z" });
  assert.deepEqual(presenceChange({}, { patron: "offline", patron_left_at: "2026-01-01T09:00:00Z" }, now).patron_left_at, "2026-01-01T09:00:00Z");
  const gone = { patron_presence: "offline", patron_left_at: "2026-01-01T09:30:00Z" };
  assert.equal(presenceChange(gone, { patron: "offline" }, now).patron_left_at, "2026-01-01T09:30:00Z", "the first time counts");
  assert.deepEqual(presenceChange(gone, { patron: "online" }, now), { patron_presence: "online", patron_left_at: undefined });
});

test("server errors in plain words", () => {
  assert.equal(errorText({ code: "conflict" }, { action: "claim" }), CONFLICT_TEXT);
  assert.equal(CONFLICT_TEXT, "Another librarian already took this chat.");
  assert.equal(errorText({ code: "capacity" }, { action: "claim", maxChats: 1 }), capacityText(1));
  assert.match(errorText({ code: "too_large" }, { action: "send" }), /too long/);
  assert.match(errorText({ code: "invalid_state" }, { action: "send" }), /has ended/);
  assert.equal(errorText({ code: "weird", message: "Server says no" }), "Server says no");
  assert.equal(errorText({}), "Something went wrong. Try again.");
  assert.match(signInErrorText(401, "unauthorized"), /do not match/);
  assert.match(signInErrorText(0, "network"), /Cannot reach/);
  assert.match(signInErrorText(403, "forbidden"), /not set up/);
  assert.match(signInErrorText(500, "internal"), /problem on the server/);
});

test("patron names, snippets and the typing notice", () => {
  assert.equal(patronName({ patron_name: "  Pat " }), "Pat");
  assert.equal(patronName({ patron_name: "" }), "Patron");
  assert.equal(patronName({}), "Patron");
  assert.equal(snippet("  a\n\nb  c "), "a b c");
  assert.equal(snippet("abcdefghij", 5), "abcd…");
  assert.deepEqual(typingText("Pat", ""), { lead: "Pat is typing...", preview: "" });
  assert.deepEqual(typingText("Pat", "Do you have the 19"), { lead: "Pat is typing:", preview: "“Do you have the 19”" });
  const long = typingText("", "x".repeat(50) + "the end", 10);
  assert.equal(long.lead, "Patron is typing:");
  assert.equal(long.preview, "“…xxthe end”", "the end of a long preview: the part just typed");
});

test("patron status: green online, orange away, red when the patron left the page or ended", () => {
  assert.deepEqual(presenceView("active", "online"), { key: "online", label: "Online" });
  assert.deepEqual(presenceView("active", "away"), { key: "away", label: "Away" });
  assert.deepEqual(presenceView("active", "offline"), { key: "offline", label: "Patron left" });
  assert.deepEqual(presenceView("active", "offline", null, "not a time"), { key: "offline", label: "Patron left" });
  assert.match(presenceView("active", "offline", null, "2026-01-01T10:05:00Z").label, /^Patron left at \d/);
  assert.deepEqual(presenceView("active", null), { key: "unknown", label: "Checking" });
  assert.deepEqual(presenceView("ended", "online", "patron"), { key: "left", label: "Left the chat" });
  assert.deepEqual(presenceView("ended", "online", "operator"), { key: "ended", label: "Chat ended" });
  assert.deepEqual(presenceView("ended", "offline", null), { key: "ended", label: "Chat ended" });
  assert.match(endedText("patron", "Pat"), /^Pat ended the chat/);
  assert.match(endedText("patron", ""), /^The patron ended the chat/);
  assert.match(endedText("operator"), /You ended this chat/);
  assert.equal(endedText(undefined), "This chat has ended.");
});

test("unread counts only others' messages newer than what was seen", () => {
  assert.equal(unreadCount(new Set(), 0), 0);
  assert.equal(unreadCount(new Set([1, 3, 4]), 0), 3);
  assert.equal(unreadCount(new Set([1, 3, 4]), 3), 1);
  assert.equal(unreadCount([1, 3, 4], 4), 0);
  assert.equal(isOwn({ sender: { role: "operator", id: "admin" } }, "admin"), true);
  assert.equal(isOwn({ sender: { role: "operator", id: "libby" } }, "admin"), false);
  assert.equal(isOwn({ sender: { role: "patron" } }, "admin"), false);
});

test("Enter sends, Shift+Enter and IME composition do not", () => {
  assert.equal(isSendKey({ key: "Enter" }), true);
  assert.equal(isSendKey({ key: "Enter", shiftKey: true }), false);
  assert.equal(isSendKey({ key: "Enter", isComposing: true }), false);
  assert.equal(isSendKey({ key: "Enter", ctrlKey: true }), false);
  assert.equal(isSendKey({ key: "a" }), false);
});

test("a stored sign-in is used only while it has not expired", () => {
  const now = Date.parse("2026-01-01T10:00:00Z");
  const op = { id: "admin", name: "Ada" };
  assert.deepEqual(usableSession(null, now), { ok: false, reason: "none" });
  assert.deepEqual(usableSession({ token: "t" }, now), { ok: false, reason: "none" });
  assert.deepEqual(usableSession({ token: "t", operator: op, expires_at: "2026-01-01T11:00:00Z" }, now), { ok: true });
  assert.deepEqual(usableSession({ token: "t", operator: op, expires_at: "2026-01-01T09:59:59Z" }, now), { ok: false, reason: "expired" });
});

import {
  cannedFormError, fileProblem, insertText, searchCanned, shortcutAt, shortcutMatches, surveySummary,
  transferErrorText, transferTargets,
} from "../dashboard/logic.js";

const lists = {
  system: [
    { id: "s-1", title: "Greeting", text: "Hello, and thanks for contacting the library!", shortcut: "greeting" },
    { id: "s-2", title: "Library hours", text: "Our opening hours are on the website.", shortcut: "hours" },
    { id: "s-3", title: "Interlibrary loan", text: "We can borrow it for you." },
  ],
  personal: [{ id: "p-1", title: "My greeting", text: "Hi, I'm Théo.", shortcut: "greet-me" }],
};

test("canned search: every word in title, text or shortcut, accents folded, grouped", () => {
  assert.deepEqual(searchCanned(lists, "").system.length, 3);
  const r = searchCanned(lists, "greet");
  assert.deepEqual(r.system.map((c) => c.id), ["s-1"]);
  assert.deepEqual(r.personal.map((c) => c.id), ["p-1"]);
  assert.deepEqual(searchCanned(lists, "theo").personal.map((c) => c.id), ["p-1"]);
  assert.deepEqual(searchCanned(lists, "borrow loan").system.map((c) => c.id), ["s-3"]);
  assert.deepEqual(searchCanned(lists, "/hours").system.map((c) => c.id), ["s-2"]);
  assert.deepEqual(searchCanned(lists, "nothing like this"), { system: [], personal: [] });
  assert.deepEqual(searchCanned(null, "x"), { system: [], personal: [] });
});

test("shortcuts: a slash at the start or after a space, matched by prefix, exact first", () => {
  assert.deepEqual(shortcutAt("/gre", 4), { start: 0, end: 4, prefix: "gre" });
  assert.deepEqual(shortcutAt("Hi /Hou", 7), { start: 3, end: 7, prefix: "hou" });
  assert.deepEqual(shortcutAt("/", 1), { start: 0, end: 1, prefix: "" });
  assert.equal(shortcutAt("see http://x/gre", 16), null);
  assert.equal(shortcutAt("a/b", 3), null);
  assert.equal(shortcutAt("/greeting now", 13), null);
  assert.deepEqual(shortcutMatches(lists, "greet").map((c) => c.shortcut), ["greet-me", "greeting"]);
  assert.deepEqual(shortcutMatches(lists, "greeting").map((c) => c.shortcut), ["greeting"]);
  assert.deepEqual(shortcutMatches(lists, "").map((c) => c.shortcut), ["greet-me", "greeting", "hours"]);
  assert.deepEqual(insertText("Hi /gre!", 3, 7, "Hello"), { value: "Hi Hello!", caret: 8 });
});

test("canned form checks", () => {
  assert.equal(cannedFormError({ title: "A", text: "B", shortcut: "ok-1" }), "");
  assert.equal(cannedFormError({ title: "A", text: "B", shortcut: "/ok" }), "");
  assert.match(cannedFormError({ title: " ", text: "B" }), /title/);
  assert.match(cannedFormError({ title: "A", text: "" }), /text/);
  assert.match(cannedFormError({ title: "A", text: "B", shortcut: "No way" }), /shortcut/i);
});

test("transfer targets: signed-in colleagues only, never me; refusals in words", () => {
  const roster = new Map([
    ["me", { id: "me", name: "Me", state: "available" }],
    ["b", { id: "b", name: "Bea", state: "away" }],
    ["a", { id: "a", name: "Al", state: "available" }],
    ["c", { id: "c", name: "Cy", state: "offline" }],
  ]);
  assert.deepEqual(transferTargets(roster, "me").map((o) => o.id), ["a", "b"]);
  assert.match(transferErrorText("capacity"), /limit/);
  assert.match(transferErrorText("invalid_state"), /not signed in/);
  assert.equal(transferErrorText("other"), "");
});

test("files: the widget's types and sizes, in the dashboard's words", () => {
  assert.equal(fileProblem({ name: "a.png", size: 3, type: "image/png" }), "");
  assert.equal(fileProblem({ name: "a.txt", size: 3, type: "text/plain;charset=utf-8" }), "");
  assert.equal(fileProblem({ name: "a.exe", size: 3, type: "application/x-msdownload" }),
    "This kind of file cannot be sent. Send images, PDF, text or office documents.");
  assert.equal(fileProblem({ name: "a.png", size: 0, type: "image/png" }), "The file is empty.");
  assert.equal(fileProblem({ name: "a.png", size: 11 * 1048576, type: "image/png" }), "The file is too large (the limit is 10 MB).");
  assert.equal(fileProblem({ name: "a.png", size: 10 * 1048576, type: "image/png" }), "", "exactly the limit passes");
  assert.equal(fileProblem({ name: "a.png", size: 3 * 1048576, type: "image/png" }, 2.5 * 1048576),
    "The file is too large (the limit is 2.5 MB).");
  // a browser that reports no type for an office document: the extension decides, as in the widget
  assert.equal(fileProblem({ name: "Reading list.DOCX", size: 5, type: "" }), "");
  assert.equal(fileProblem({ name: "sheet.xlsx", size: 5, type: "" }), "");
  assert.match(fileProblem({ name: "mystery", size: 5, type: "" }), /cannot be sent/);
  assert.match(fileProblem({ name: "logo.svg", size: 5, type: "image/svg+xml" }), /cannot be sent/);
});

test("survey summary", () => {
  assert.equal(surveySummary({ days: 7, count: 0 }), "No surveys in the last 7 days.");
  assert.equal(surveySummary({ days: 7, count: 2, average_rating: 4.5, answered_share: 0.5 }),
    "2 surveys in the last 7 days · average rating 4.5 of 5 · question answered: 50%");
});

test("the sign-in is renewed five minutes before it expires, never in a spin", async () => {
  const { refreshDelay } = await import("../dashboard/logic.js");
  const now = Date.parse("2026-11-29T10:00:00Z");
  assert.equal(refreshDelay("2026-11-29T11:00:00Z", now), 55 * 60 * 1000);
  assert.equal(refreshDelay("2026-11-29T10:02:00Z", now), 10 * 1000);
  assert.equal(refreshDelay("2026-11-29T09:00:00Z", now), 10 * 1000);
  assert.equal(refreshDelay("not a date", now), 10 * 60 * 1000);
});
