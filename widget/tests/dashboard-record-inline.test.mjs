// A chat pane's inline close form (widget/dashboard/view-record-inline.js, docs/tickets.md "The
// close form") on a small stand-in document: a group named by its heading "Record this chat
// (optional)", the labelled fields, "Save record", the polite status and the alert; shown
// without taking focus; what it reads and when it counts as changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RecordPanel } from "../dashboard/view-record-inline.js";
import { S } from "../dashboard/strings.js";

class Node {
  constructor(doc, tag) {
    Object.assign(this, { ownerDocument: doc, tagName: tag.toUpperCase(), children: [], parentElement: null, attrs: {} });
    Object.assign(this, { className: "", id: "", hidden: false, value: "", checked: false, disabled: false, text: null, listeners: {} });
  }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  removeAttribute(k) { delete this.attrs[k]; }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  dispatch(type) {
    for (let n = this; n; n = n.parentElement) for (const fn of n.listeners[type] || []) fn({ type, target: this, preventDefault() {} });
  }
  append(...kids) {
    for (const k of kids) {
      if (k.parentElement) k.remove();
      k.parentElement = this;
      this.children.push(k);
    }
  }
  replaceChildren(...kids) {
    for (const k of this.children) k.parentElement = null;
    this.children = [];
    this.append(...kids);
  }
  remove() {
    const p = this.parentElement;
    if (p) p.children = p.children.filter((c) => c !== this);
    this.parentElement = null;
  }
  set textContent(v) { this.text = String(v); this.children = []; }
  get textContent() { return this.text ?? this.children.map((c) => c.textContent).join(""); }
  set innerHTML(v) { throw new Error("innerHTML must not be used"); }
  get all() { return this.children.flatMap((c) => [c, ...c.all]); }
  matches(sel) {
    if (sel.startsWith(".")) return this.className.split(" ").includes(sel.slice(1));
    const [tag, pseudo] = sel.split(":");
    return this.tagName === tag.toUpperCase() && (!pseudo || this.checked);
  }
  querySelector(sel) { return this.all.find((n) => n.matches(sel)) || null; }
  querySelectorAll(sel) { return this.all.filter((n) => n.matches(sel)); }
  closest(sel) { for (let n = this; n; n = n.parentElement) if (n.matches(sel)) return n; return null; }
  focus() { this.ownerDocument.activeElement = this; }
}

function fakeDoc() {
  const doc = { createElement: (tag) => new Node(doc, tag), activeElement: null };
  doc.body = new Node(doc, "body");
  doc.getElementById = (id) => doc.body.all.find((n) => n.id === id) || null;
  return doc;
}

const LISTS = { tags: ["maps", "genealogy"], question_types: ["Directional", "Research"] };
const byLabel = (root, text) => {
  const label = root.all.find((n) => n.tagName === "LABEL" && n.textContent === text);
  return label && (label.htmlFor ? root.all.find((n) => n.id === label.htmlFor) : label.querySelector("input"));
};

function shownPanel() {
  const doc = fakeDoc();
  const closeChat = doc.createElement("button");
  doc.body.append(closeChat);
  closeChat.focus();
  const panel = new RecordPanel(doc, "lcd-record-p1");
  doc.body.append(panel.root);
  panel.show({ values: { questionType: "", read: "", tags: [], note: "" }, lists: LISTS, email: "pat@example.org" });
  return { doc, panel, closeChat };
}

test("a group named by its heading, the same fields as the dialog, 'Save record'; shown without taking focus", () => {
  const { doc, panel, closeChat } = shownPanel();
  const root = panel.root;
  assert.equal(root.getAttribute("role"), "group");
  assert.equal(doc.getElementById(root.getAttribute("aria-labelledby")).textContent, "Record this chat (optional)");
  assert.equal(root.hidden, false);
  assert.equal(doc.activeElement, closeChat, "focus stays on Close Chat");
  assert.equal(byLabel(root, "Question type").tagName, "SELECT");
  assert.deepEqual(byLabel(root, "Question type").children.map((o) => o.textContent), ["Not recorded", "Directional", "Research"]);
  assert.equal(root.all.find((n) => n.tagName === "LEGEND" && n.textContent.startsWith("READ scale")) !== undefined, true);
  assert.equal(byLabel(root, "4: several sources, some time").type, "radio");
  assert.equal(byLabel(root, "maps").type, "checkbox");
  assert.equal(byLabel(root, "Internal note (never shown to the patron)").tagName, "TEXTAREA");
  const make = byLabel(root, "Also make a ticket to follow up by e-mail");
  const email = byLabel(root, "Patron's e-mail");
  assert.equal(email.value, "pat@example.org");
  assert.equal(email.closest(".lcd-field").hidden, true, "the e-mail only once the ticket is ticked");
  make.checked = true;
  make.dispatch("change");
  assert.equal(email.closest(".lcd-field").hidden, false);
  assert.equal(doc.activeElement, closeChat, "ticking does not move focus either");
  const save = root.all.find((n) => n.tagName === "BUTTON" && n.textContent === "Save record");
  assert.equal(save.type, "submit");
  assert.equal(panel.status.getAttribute("role"), "status");
  assert.equal(panel.alert.getAttribute("role"), "alert");
  assert.equal(root.className.includes("lcd-noprint"), true, "never printed with the transcript");
});

test("values, changed or not, saved, failed (from Close Chat: focus left where it was)", () => {
  const { doc, panel, closeChat } = shownPanel();
  assert.equal(panel.dirty(), false);
  byLabel(panel.root, "Patron's e-mail").value = "other@example.org";
  assert.equal(panel.dirty(), false, "an e-mail without the ticket ticked is no change");
  byLabel(panel.root, "Not rated").checked = false; // a radio group, as the browser does it
  byLabel(panel.root, "4: several sources, some time").checked = true;
  byLabel(panel.root, "maps").checked = true;
  byLabel(panel.root, "Internal note (never shown to the patron)").value = "NOTE";
  assert.equal(panel.dirty(), true);
  const v = panel.values();
  assert.deepEqual({ ...v }, { questionType: "", read: "4", tags: ["maps"], note: "NOTE", makeTicket: false, email: "other@example.org" });
  panel.busy(true);
  assert.equal(panel.save.textContent, S.record.saving);
  assert.equal(panel.save.getAttribute("aria-disabled"), "true");
  panel.busy(false);
  panel.saved("Record saved.", { values: v });
  assert.equal(panel.status.textContent, "Record saved.");
  assert.equal(panel.dirty(), false);
  byLabel(panel.root, "Internal note (never shown to the patron)").dispatch("input");
  assert.equal(panel.status.textContent, "", "a change clears 'Record saved.'");

  const make = byLabel(panel.root, "Also make a ticket to follow up by e-mail");
  make.checked = true;
  assert.equal(panel.dirty(), true);
  panel.failed([{ field: "email", text: S.record.badEmail }], { focus: false, lead: S.record.notClosed });
  assert.match(panel.alert.textContent, /still open/);
  assert.match(panel.alert.textContent, /does not look right/);
  assert.equal(byLabel(panel.root, "Patron's e-mail").getAttribute("aria-invalid"), "true");
  assert.equal(doc.activeElement, closeChat);
  panel.failed([{ field: "email", text: S.record.badEmail }]);
  assert.equal(doc.activeElement, byLabel(panel.root, "Patron's e-mail"), "from Save record: the faulty field focused");
  panel.saved(S.record.inlineTicketMade, { values: panel.values(), ticketMade: true });
  assert.equal(make.closest(".lcd-record-ticket").hidden, true, "a ticket made is not offered again");
  assert.equal(panel.values().makeTicket, false);
  assert.equal(panel.dirty(), false);
});
