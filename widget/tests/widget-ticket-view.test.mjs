// The ticket parts of the widget's DOM (widget/patron/view-tickets.js, mixed into the View) and
// the ticket page's view (widget/patron/ticket-view.js), on a small stand-in document: what a
// browser test drives (labels, roles, names, texts), that every text goes in as text (the
// stand-in throws on innerHTML), and that the forms check before they call their handlers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { View } from "../patron/view.js";
import { TicketView } from "../patron/ticket-view.js";
import { ticketModel } from "../patron/ticket-controller.js";
import { makeT } from "../patron/i18n.js";

const t = makeT("en");

class Text {
  constructor(text) {
    this.nodeType = 3;
    this.data = String(text);
    this.parentNode = null;
  }
  get textContent() { return this.data; }
  set textContent(v) { this.data = String(v); }
}

class El {
  constructor(doc, tag) {
    Object.assign(this, { ownerDocument: doc, localName: tag, nodeType: 1, parentNode: null, hidden: false,
      disabled: false, value: "", open: false, className: "" });
    this.childNodes = [];
    this.attrs = new Map();
    this.listeners = {};
    this.dataset = {};
    const self = this;
    this.classList = {
      add: (c) => { if (!self.className.split(" ").includes(c)) self.className = `${self.className} ${c}`.trim(); },
      remove: (c) => { self.className = self.className.split(" ").filter((x) => x !== c).join(" "); },
      toggle: (c, on) => (on ? self.classList.add(c) : self.classList.remove(c)),
      contains: (c) => self.className.split(" ").includes(c),
    };
    this.style = {};
  }
  get id() { return this.attrs.get("id") || ""; }
  set id(v) { this.attrs.set("id", String(v)); }
  set innerHTML(v) { throw new Error("innerHTML must not be used"); }
  setAttribute(k, v) { this.attrs.set(k, String(v)); }
  getAttribute(k) { return this.attrs.has(k) ? this.attrs.get(k) : null; }
  removeAttribute(k) { this.attrs.delete(k); }
  hasAttribute(k) { return this.attrs.has(k); }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  dispatch(type) {
    const event = { type, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    for (const fn of this.listeners[type] || []) fn(event);
    return event;
  }
  click() { this.dispatch("click"); }
  focus() { this.ownerDocument.activeElement = this; }
  scrollIntoView() {}
  detach(node) {
    if (node.parentNode) node.parentNode.childNodes = node.parentNode.childNodes.filter((c) => c !== node);
    node.parentNode = null;
  }
  appendChild(node) {
    this.detach(node);
    node.parentNode = this;
    this.childNodes.push(node);
    return node;
  }
  insertBefore(node, ref) {
    if (!ref) return this.appendChild(node);
    this.detach(node);
    node.parentNode = this;
    this.childNodes.splice(this.childNodes.indexOf(ref), 0, node);
    return node;
  }
  replaceChildren(...nodes) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    for (const n of nodes.flat()) if (n) this.appendChild(typeof n === "string" ? new Text(n) : n);
  }
  replaceWith(node) {
    const parent = this.parentNode;
    parent.insertBefore(node, this);
    parent.detach(this);
  }
  before(...nodes) {
    for (const n of nodes) this.parentNode.insertBefore(n, this);
  }
  remove() { if (this.parentNode) this.parentNode.detach(this); }
  get firstChild() { return this.childNodes[0] || null; }
  contains(node) {
    for (let n = node; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(""); }
  set textContent(v) { this.replaceChildren(v === "" ? [] : [new Text(v)]); }
  *walk() {
    for (const c of this.childNodes) {
      if (c.nodeType !== 1) continue;
      yield c;
      yield* c.walk();
    }
  }
  all(test) { return [...this.walk()].filter(test); }
  querySelector(sel) {
    const cls = sel.startsWith(".") ? sel.slice(1) : null;
    return this.all((e) => (cls ? e.classList.contains(cls) : e.localName === sel))[0] || null;
  }
  showModal() { this.open = true; }
  close() { this.open = false; }
}

function fakeDocument() {
  const doc = { activeElement: null, title: "", listeners: {}, printed: 0 };
  doc.createElement = (tag) => new El(doc, tag);
  doc.createTextNode = (text) => new Text(text);
  doc.createElementNS = (ns, tag) => new El(doc, tag);
  doc.addEventListener = () => {};
  doc.documentElement = new El(doc, "html");
  doc.body = new El(doc, "body");
  doc.defaultView = { setTimeout: (fn) => fn(), print: () => { doc.printed += 1; } };
  globalThis.document = doc;
  return doc;
}

/** A labelled control: the <label for> text -> its control. */
function byLabel(root, text) {
  const label = root.all((e) => e.localName === "label" && e.textContent.startsWith(text))[0];
  assert.ok(label, `a label "${text}"`);
  const control = root.all((e) => e.id === label.getAttribute("for"))[0];
  assert.ok(control, `the control of "${text}"`);
  return control;
}
const button = (root, name) => {
  const found = root.all((e) => e.localName === "button" && e.textContent === name)[0];
  assert.ok(found, `a button "${name}"`);
  return found;
};
const heading = (root, level, text) => root.all((e) => e.localName === level && e.textContent === text)[0];
const formOf = (el) => {
  let n = el;
  while (n && n.localName !== "form") n = n.parentNode;
  return n;
};
const describedText = (root, control) => (control.getAttribute("aria-describedby") || "").split(" ")
  .map((id) => root.all((e) => e.id === id)[0]).filter(Boolean).map((e) => e.textContent).join(" ");

function widgetView() {
  const doc = fakeDocument();
  const root = new El(doc, "div");
  const view = new View(root, t, { mode: "page" });
  const heard = [];
  const record = (name) => (...args) => heard.push([name, ...args]);
  view.setHandlers({ onSubmitTicket: record("ticket"), onAcceptOffer: record("accept"), onKeepWaiting: record("wait"),
    onEmailTranscript: record("transcript"), onPrint: record("print"), onDownload: record("download"),
    onRetryStatus: record("retry"), onNewChat: record("new"), onSurvey: record("survey"), onSkipSurvey: record("skip") });
  return { doc, root, view, heard };
}

test("offline: the ticket form under the e-mail and phone, checked before it is sent, then the thanks", () => {
  const { doc, root, view, heard } = widgetView();
  view.showOffline({ email: "ask@library.example", phone: "+1 555 0100" });
  view.showTicketForm({ values: { question: "Kept question", email: "" } });
  assert.ok(heading(root, "h3", "Leave a question and we'll e-mail you"));
  const question = byLabel(root, "Your question");
  const email = byLabel(root, "Email");
  assert.equal(byLabel(root, "Your name").value, "");
  assert.equal(question.value, "Kept question");
  assert.equal(email.getAttribute("type"), "email");
  const form = formOf(email);
  const send = button(root, "Send question");
  assert.equal(send.getAttribute("type"), "submit");
  form.dispatch("submit");
  assert.equal(describedText(root, email).includes("Please enter your email address so we can answer you."), true);
  assert.equal(email.getAttribute("aria-invalid"), "true");
  assert.equal(doc.activeElement, email);
  email.value = "not-an-address";
  form.dispatch("submit");
  assert.match(describedText(root, email), /Please check the email address\./);
  email.value = " pat@example.org ";
  question.value = "  Opening hours?  ";
  form.dispatch("submit");
  assert.deepEqual(heard, [["ticket", { question: "Opening hours?", name: "", email: "pat@example.org" }]]);
  assert.deepEqual(view.ticketValues(), { question: "  Opening hours?  ", name: "", email: "pat@example.org" });
  view.setTicketBusy(true);
  assert.equal(send.disabled, true);
  assert.equal(send.textContent, "Sending…");
  view.setTicketBusy(false);
  view.setTicketError("The service could not accept that: email: bad");
  const alert = root.all((e) => e.getAttribute("role") === "alert" && e.textContent.startsWith("The service"))[0];
  assert.ok(alert, "the error shows in the form, as an alert");
  assert.equal(email.value, " pat@example.org ", "nothing lost from the fields");
  assert.equal(question.value, "  Opening hours?  ");
  // the e-mail and phone lines are there, before the form
  const links = root.all((e) => e.localName === "a").map((a) => a.textContent);
  assert.deepEqual(links, ["Email ask@library.example", "Call +1 555 0100"]);
  view.showTicketSent("pat@example.org");
  const thanks = heading(root, "h3", "Thanks, we'll e-mail you at pat@example.org");
  assert.ok(thanks);
  assert.equal(doc.activeElement, thanks);
  assert.equal(view.ticketValues(), null);
  assert.equal(root.all((e) => e.localName === "a").length, 2, "the e-mail and phone lines stay");
  assert.ok(button(root, "Check again"));
});

test("the offer in a waiting chat: its e-mail field, E-mail me the answer, Keep waiting", () => {
  const { root, view, heard } = widgetView();
  view.showConversation();
  view.showTicketOffer({ reason: "waiting", email: "pat@example.org" });
  assert.equal(view.offerShown(), true);
  assert.ok(heading(root, "h2", "Nobody has picked this up yet"));
  assert.ok(root.all((e) => e.localName === "p" && e.textContent.startsWith("Leave your question and we'll e-mail you."))[0]);
  const live = root.all((e) => e.getAttribute("aria-live") === "polite" && e.textContent.startsWith("Nobody"))[0];
  assert.ok(live, "a polite live region says the offer came");
  const email = byLabel(root, "Email");
  assert.equal(email.value, "pat@example.org");
  button(root, "Keep waiting").click();
  assert.deepEqual(heard, [["wait"]]);
  email.value = "";
  formOf(email).dispatch("submit");
  assert.equal(heard.length, 1, "no e-mail, no ticket");
  email.value = "pat@work.example";
  formOf(email).dispatch("submit");
  assert.deepEqual(heard.at(-1), ["accept", { email: "pat@work.example" }]);
  view.setOfferBusy(true);
  assert.equal(button(root, "Sending…").disabled, true);
  view.setOfferBusy(false);
  view.setOfferError("Nope");
  assert.ok(root.all((e) => e.getAttribute("role") === "alert" && e.textContent === "Nope")[0]);
  view.hideTicketOffer();
  assert.equal(view.offerShown(), false);
  view.showTicketOffer({ reason: "reconnect" });
  assert.ok(heading(root, "h2", "We couldn't reconnect to the chat"));
  view.showTicketDone("pat@work.example");
  assert.equal(view.offerShown(), false);
  assert.ok(heading(root, "h2", "Thanks, we'll e-mail you at pat@work.example"));
  assert.ok(button(root, "Start a new chat"));
  assert.ok(button(root, "Print transcript"));
});

test("after a chat: Download, Print and E-mail me the transcript with Send", () => {
  const { doc, root, view, heard } = widgetView();
  view.showConversation();
  view.setTranscriptEmail("pat@example.org");
  view.showSurvey();
  assert.ok(button(root, "Download transcript"));
  button(root, "Print transcript").click();
  assert.deepEqual(heard, [["print"]]);
  const email = byLabel(root, "E-mail me the transcript");
  assert.equal(email.value, "pat@example.org");
  const send = button(root, "Send");
  email.value = "nope";
  formOf(send).dispatch("submit");
  assert.match(describedText(root, email), /Please enter a valid email address\./);
  assert.equal(heard.length, 1);
  email.value = "other@example.org";
  formOf(send).dispatch("submit");
  assert.deepEqual(heard.at(-1), ["transcript", "other@example.org"]);
  view.setTranscriptBusy(true);
  assert.equal(send.textContent, "Sending…");
  view.setTranscriptBusy(false);
  view.setTranscriptResult({ ok: true, text: "Transcript sent to other@example.org" });
  const status = root.all((e) => e.getAttribute("role") === "status" && e.textContent === "Transcript sent to other@example.org");
  assert.equal(status.length, 1);
  view.showClosing("thanks");
  assert.ok(byLabel(root, "E-mail me the transcript"), "the closing card has them too");
  view.printTranscript();
  assert.equal(doc.printed, 1);
});

const TICKET = {
  status: "closed", created_at: "2026-12-02T10:00:00.000Z",
  entries: [
    { n: 1, kind: "question", text: "Do you have <i>Dune</i>?", at: "2026-12-02T10:00:00.000Z" },
    { n: 2, kind: "reply", text: "Yes, see https://library.example/dune.", at: "2026-12-02T10:02:00.000Z",
      sender: { role: "operator", name: "Libby" } },
    { n: 3, kind: "note", text: "secret", at: "2026-12-02T10:03:00.000Z" },
  ],
};

test("the ticket page: h1, status, the thread with who and when, the reply box and its live region", () => {
  const doc = fakeDocument();
  const root = new El(doc, "div");
  const view = new TicketView(root, t, { contact: { email: "ask@library.example" } });
  const replies = [];
  view.setHandlers({ onReply: (text) => replies.push(text) });
  assert.equal(doc.title, "Your question to the library");
  view.showLoading();
  assert.ok(root.all((e) => e.getAttribute("role") === "status" && e.textContent === "Loading your question…")[0]);
  view.showTicket(ticketModel(TICKET, t));
  assert.ok(heading(root, "h1", "Your question to the library"));
  assert.ok(heading(root, "h2", "Conversation"));
  assert.ok(heading(root, "h2", "Reply"));
  assert.match(root.all((e) => e.classList.contains("lc-tk-status"))[0].textContent, /^Status: Answered\./);
  const items = root.all((e) => e.localName === "li");
  assert.equal(items.length, 2, "no internal note");
  assert.equal(items[0].all((e) => e.classList.contains("lc-tk-who"))[0].textContent, "You");
  assert.equal(items[0].all((e) => e.classList.contains("lc-tk-text"))[0].textContent, "Do you have <i>Dune</i>?");
  assert.equal(items[1].all((e) => e.classList.contains("lc-tk-who"))[0].textContent, "Libby");
  assert.equal(items[1].all((e) => e.localName === "time")[0].getAttribute("datetime"), "2026-12-02T10:02:00.000Z");
  const link = items[1].all((e) => e.localName === "a")[0];
  assert.equal(link.getAttribute("href"), "https://library.example/dune");
  const box = byLabel(root, "Your reply");
  const send = button(root, "Send reply");
  box.value = "Thanks!";
  formOf(send).dispatch("submit");
  assert.deepEqual(replies, ["Thanks!"]);
  view.setReplyError("Please type your reply.", { field: true });
  assert.equal(box.getAttribute("aria-invalid"), "true");
  assert.equal(doc.activeElement, box);
  view.clearReply();
  view.announce("Reply sent");
  const live = root.all((e) => e.getAttribute("aria-live") === "polite")[0];
  assert.equal(live.getAttribute("role"), "status");
  assert.equal(live.textContent, "Reply sent");
  assert.equal(box.value, "");
  view.showTicket(ticketModel({ ...TICKET, status: "open" }, t));
  assert.equal(byLabel(root, "Your reply"), box, "updated in place: the reply box stays");
});

test("the ticket page refused: 'This link has expired or is not valid' and the library's contact", () => {
  const doc = fakeDocument();
  const root = new El(doc, "div");
  const view = new TicketView(root, t, { contact: { email: "ask@library.example", phone: "+1 555 0100" } });
  view.showInvalid();
  const h1 = heading(root, "h1", "This link has expired or is not valid");
  assert.ok(h1);
  assert.equal(doc.activeElement, h1);
  assert.deepEqual(root.all((e) => e.localName === "a").map((a) => a.textContent), ["Email ask@library.example", "Call +1 555 0100"]);
  const bare = new TicketView(new El(doc, "div"), t, {});
  bare.showInvalid();
  assert.match(bare.main.textContent, /Please contact the library to ask again\./);
});
