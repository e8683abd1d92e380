// The conversation model: each message once, notices once, safe links, plain-text export.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Transcript, continuesRun, linkify, noticeText, speaker, transcriptText } from "../patron/transcript.js";
import { makeT } from "../patron/i18n.js";

const t = makeT("en");
const msg = (seq, role = "operator", extra = {}) => ({ seq, sender: { role, name: role === "operator" ? "Ada Admin" : "Pat" },
  text: `m${seq}`, sent_at: `2026-03-01T10:0${seq}:00Z`, ...extra });

test("messages are kept once per seq; notices once per id", () => {
  const tr = new Transcript();
  assert.ok(tr.addMessage(msg(1, "patron")));
  assert.equal(tr.addMessage(msg(1, "patron")), null);
  assert.ok(tr.addNotice("claimed", "joined", { name: "Ada Admin" }, "2026-03-01T10:01:30Z"));
  assert.equal(tr.addNotice("claimed", "joined", { name: "Ada Admin" }), null);
  assert.ok(tr.addMessage(msg(2)));
  assert.equal(tr.addMessage({ text: "no seq" }), null);
  assert.equal(tr.lastSeq, 2);
  assert.deepEqual(tr.items.map((i) => i.kind), ["msg", "notice", "msg"]);
});

test("a transcript survives JSON (sessionStorage) with its dedupe intact", () => {
  const tr = new Transcript();
  tr.addMessage(msg(1, "patron", { client_msg_id: "c1" }));
  tr.addNotice("claimed", "joined", { name: "Ada" }, "2026-03-01T10:01:00Z");
  tr.addMessage(msg(2));
  const back = new Transcript(JSON.parse(JSON.stringify(tr)));
  assert.deepEqual(back.items, tr.items);
  assert.equal(back.addMessage(msg(2)), null);
  assert.equal(back.addNotice("claimed", "joined"), null);
  assert.equal(back.items[0].client_msg_id, "c1");
  assert.equal(back.items[0].role, "patron");
});

test("unknown roles are shown as the library, never as the patron", () => {
  const tr = new Transcript();
  const item = tr.addMessage({ seq: 1, sender: { role: "admin" }, text: "x" });
  assert.equal(item.role, "system");
  assert.equal(speaker(item, t), "Library");
});

test("runs of messages by the same person group together within a few minutes", () => {
  const a = { kind: "msg", role: "operator", name: "Ada", sent_at: "2026-03-01T10:00:00Z" };
  assert.equal(continuesRun(a, { ...a, sent_at: "2026-03-01T10:02:00Z" }), true);
  assert.equal(continuesRun(a, { ...a, sent_at: "2026-03-01T10:09:00Z" }), false);
  assert.equal(continuesRun(a, { ...a, role: "patron" }), false);
  assert.equal(continuesRun({ kind: "notice" }, a), false);
  assert.equal(continuesRun(null, a), false);
});

test("links: http(s) and www. only, trailing punctuation left out, markup stays text", () => {
  assert.deepEqual(linkify("See https://lib.example/maps."), [
    { type: "text", text: "See " }, { type: "link", text: "https://lib.example/maps", href: "https://lib.example/maps" },
    { type: "text", text: "." }]);
  assert.deepEqual(linkify("(www.lib.example/a_(b))").map((p) => p.text), ["(", "www.lib.example/a_(b)", ")"]);
  assert.equal(linkify("www.lib.example")[0].href, "https://www.lib.example/");
  for (const evil of ["javascript:alert(1)", "<img src=x onerror=alert(1)>", "data:text/html,<script>"]) {
    assert.deepEqual(linkify(evil), [{ type: "text", text: evil }], evil);
  }
  assert.deepEqual(linkify(""), []);
  assert.deepEqual(linkify(undefined), []);
  const joined = linkify("a https://x.example/?q=<b> b").map((p) => p.text).join("");
  assert.equal(joined, "a https://x.example/?q=<b> b", "nothing is lost or added");
});

test("notices read naturally for every way a chat ends", () => {
  const n = (vars) => noticeText({ kind: "notice", type: "ended", vars }, t);
  assert.equal(n({ by: "patron" }), "You ended the chat");
  assert.equal(n({ by: "operator", name: "Ada Admin" }), "Ada Admin ended the chat");
  assert.equal(n({ by: "operator" }), "The librarian ended the chat");
  assert.equal(n({ by: "system" }), "The chat was closed");
  assert.equal(n({}), "This chat has ended");
  assert.equal(noticeText({ kind: "notice", type: "joined", vars: { name: "Ada" } }, t), "Ada joined the chat");
});

test("the downloadable transcript is plain text with who said what", () => {
  const tr = new Transcript();
  tr.addMessage(msg(1, "patron"));
  tr.addNotice("claimed", "joined", { name: "Ada Admin" }, "T2");
  tr.addMessage({ ...msg(2), text: "Line one\nline two" });
  const text = transcriptText(tr.items, t, (iso) => `@${iso.slice(11, 16) || iso}`);
  assert.equal(text, "Chat transcript\n\n[@10:01] You: m1\n[@T2] -- Ada Admin joined the chat --\n[@10:02] Ada Admin: Line one\nline two\n");
});

test("files sent by the librarian are kept with their message, sizes read naturally", async () => {
  const { attachmentOf, formatSize } = await import("../patron/transcript.js");
  const tr = new Transcript();
  const item = tr.addMessage({ seq: 2, sender: { role: "operator", name: "Ada" }, text: "",
    attachment: { key: "chats/c1/r/plan.pdf", name: "plan.pdf", size: 2048, content_type: "application/pdf" } });
  assert.deepEqual(item.attachment, { key: "chats/c1/r/plan.pdf", name: "plan.pdf", size: 2048, content_type: "application/pdf" });
  const back = new Transcript(JSON.parse(JSON.stringify(tr)));
  assert.equal(back.items[0].attachment.name, "plan.pdf");
  assert.equal(attachmentOf({ key: "chats/c1/r/x.png" }).name, "x.png");
  assert.equal(attachmentOf({ name: "no key" }), undefined);
  assert.equal(attachmentOf("chats/x"), undefined);
  assert.equal(attachmentOf({ key: "k", size: -1 }).size, undefined);
  assert.equal(formatSize(900), "900 B");
  assert.equal(formatSize(120 * 1024), "120 KB");
  assert.equal(formatSize(2.5 * 1024 * 1024), "2.5 MB");
  assert.equal(formatSize(2.5 * 1024 * 1024, "es"), "2,5 MB");
  assert.equal(formatSize(undefined), "");
  assert.match(transcriptText(tr.items, t), /Ada: \[File: plan\.pdf\]/);
});

test("order by the protocol's facts: messages by seq, 'joined' by the claim's last_seq or time, 'ended' last", () => {
  const at = (s) => `2026-03-01T10:00:0${s}.000Z`;
  const m = (seq, s) => ({ seq, sender: { role: seq === 1 ? "patron" : "operator" }, text: `m${seq}`, sent_at: at(s) });
  const order = (tr) => tr.items.map((i) => i.seq ?? i.id);
  // the claim's frame before the backlog: after last_seq 1
  const a = new Transcript();
  a.addNotice("claimed", "joined", {}, at(2), { after: 1 });
  assert.equal(a.isLast(a.addMessage(m(1, 1))), false, "placed before the notice");
  a.addMessage(m(2, 3));
  assert.deepEqual(order(a), [1, "claimed", 2]);
  // a welcome that says "claimed at": by time
  const b = new Transcript();
  b.addNotice("claimed", "joined", {}, at(2), { afterTime: at(2) });
  b.addMessage(m(1, 1));
  b.addMessage(m(2, 2));
  b.addMessage(m(3, 5));
  assert.deepEqual(order(b), [1, 2, "claimed", 3], "a message at the claim's very millisecond came first");
  // ended follows everything, even messages read after it
  const c = new Transcript();
  c.addMessage(m(1, 1));
  c.addNotice("ended", "ended", {}, at(4), { final: true });
  c.addMessage(m(2, 3));
  assert.deepEqual(order(c), [1, 2, "ended"]);
  // no anchor: it follows what is there, and later messages follow it
  const d = new Transcript();
  d.addMessage(m(1, 1));
  d.addNotice("requeued", "requeued", {}, at(2));
  d.addMessage(m(2, 3));
  assert.deepEqual(order(d), [1, "requeued", 2]);
  // saved and restored (sessionStorage): the same order; an old record's notice keeps its place
  assert.deepEqual(order(new Transcript(JSON.parse(JSON.stringify(a)))), [1, "claimed", 2]);
  const old = [{ kind: "msg", seq: 1, role: "patron", text: "q" }, { kind: "notice", id: "claimed", type: "joined", vars: {}, at: "x" },
    { kind: "msg", seq: 2, role: "operator", text: "a" }];
  assert.deepEqual(order(new Transcript(old)), [1, "claimed", 2]);
});
