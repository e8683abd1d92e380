// The Tickets tab's DOM (docs/tickets.md): the desk picker and Refresh, the desk's open and
// claimed tickets, and the ticket shown: its patron, status, actions (Claim, Close ticket,
// Reopen, Print, E-mail transcript), the thread (internal notes marked, events as small system
// lines), the mail delivery list (failures and bounces called out) and the Reply and internal
// note boxes. Owns #lcd-tickets-root, built on the tab's first showing. The controller
// (tickets.js) says what to show; intents go to `handlers`. All text goes in with textContent.

import { el } from "../js/dom.js";
import { formatWhen } from "./history.js";
import { snippet } from "./logic.js";
import { S } from "./strings.js";
import { actionButton, setBusy } from "./view-composer.js";
import { button, field } from "./view-desks-fields.js";

const T = S.tickets;

/** Print only `what` ("ticket" or "chat"): the print stylesheet keys on body[data-print]. */
export function printOnly(doc, win, what) {
  const body = doc.body;
  body.dataset.print = what;
  const clear = () => {
    delete body.dataset.print;
    win.removeEventListener("afterprint", clear);
  };
  win.addEventListener("afterprint", clear);
  win.print();
  win.setTimeout(clear, 1000); // browsers whose print() returns at once still print what was set
}

/** One entry of the thread. */
function entryItem(d, item) {
  const li = el(d, "li", `lcd-entry lcd-entry--${item.type === "message" ? item.side : item.type}`);
  li.dataset.kind = item.kind || "";
  const when = formatWhen(item.at);
  if (item.type === "event") {
    li.append(el(d, "p", "lcd-entry-event", when ? `${item.text} · ${when}` : item.text));
    return li;
  }
  const meta = el(d, "p", "lcd-entry-meta");
  if (item.type === "note") {
    li.classList.add("lcd-noprint");
    meta.append(el(d, "strong", "lcd-entry-flag", T.internalNote), el(d, "span", "lcd-sr-only", T.internalNoteHint), " · ");
  }
  meta.append(el(d, "span", "lcd-entry-who", item.who));
  if (when) meta.append(" · ", el(d, "span", "lcd-entry-when", when));
  li.append(meta, el(d, "p", "lcd-entry-text", item.text));
  if (item.attachment) li.append(el(d, "p", "lcd-entry-file", S.history.attachment(item.attachment)));
  return li;
}

export class TicketsView {
  /** @param {Document} doc  @param {Window} win  @param {object} o {announce(text)} */
  constructor(doc, win, { announce } = {}) {
    this.doc = doc;
    this.win = win;
    this.announce = announce || (() => {});
    this.handlers = {};
    const $ = (id) => doc.getElementById(id);
    this.e = { notice: $("lcd-tickets-notice"), root: $("lcd-tickets-root") };
  }

  call(name, ...args) {
    const fn = this.handlers[name];
    return fn ? fn(...args) : undefined;
  }

  build() {
    if (this.built) return;
    this.built = true;
    const d = this.doc;
    const e = this.e;
    const list = el(d, "section", "lcd-card lcd-tickets-list lcd-noprint");
    list.setAttribute("aria-labelledby", "lcd-tickets-title");
    const head = el(d, "div", "lcd-card-head");
    const title = el(d, "h1", "lcd-card-title", T.title);
    title.id = "lcd-tickets-title";
    head.append(title);
    const bar = el(d, "div", "lcd-tickets-bar");
    const desk = field(d, { id: "lcd-tickets-desk", label: T.desk, tag: "select" });
    desk.input.addEventListener("change", () => this.call("pickDesk", desk.input.value));
    e.refresh = actionButton(d, "lcd-btn", T.refresh, () => this.call("refresh"));
    e.refresh.id = "lcd-tickets-refresh";
    e.refresh.setAttribute("aria-label", T.refreshLabel);
    bar.append(desk.wrap, e.refresh);
    e.desk = desk.input;
    e.status = el(d, "div", "lcd-tickets-status");
    e.status.setAttribute("role", "status");
    const group = (id, heading, none) => {
      const h = el(d, "h2", "lcd-subtitle", heading);
      h.id = `${id}-title`;
      const ul = el(d, "ul", "lcd-ticket-list");
      ul.id = id;
      ul.setAttribute("aria-labelledby", h.id);
      const empty = el(d, "p", "lcd-empty", none);
      return { h, ul, empty };
    };
    e.open = group("lcd-tickets-open", T.openHeading, T.noneOpen);
    e.claimed = group("lcd-tickets-claimed", T.claimedHeading, T.noneClaimed);
    list.append(head, bar, e.status, e.open.h, e.open.empty, e.open.ul, e.claimed.h, e.claimed.empty, e.claimed.ul);
    e.detail = this.buildDetail();
    e.root.replaceChildren(list, e.detail);
  }

  buildDetail() {
    const d = this.doc;
    const e = this.e;
    const card = el(d, "section", "lcd-card lcd-ticket");
    card.id = "lcd-ticket";
    card.setAttribute("aria-labelledby", "lcd-ticket-title");
    card.hidden = true;
    e.title = el(d, "h2", "lcd-card-title lcd-ticket-title");
    e.title.id = "lcd-ticket-title";
    e.title.tabIndex = -1;
    e.state = el(d, "p", "lcd-ticket-status");
    e.state.id = "lcd-ticket-status";
    e.question = el(d, "p", "lcd-pane-question");
    e.facts = el(d, "dl", "lcd-ticket-facts");
    const actions = el(d, "div", "lcd-ticket-actions lcd-noprint");
    const act = (name, text, cls = "lcd-btn") => {
      const b = actionButton(d, cls, text, () => this.call(name));
      b.id = `lcd-ticket-${name}`;
      actions.append(b);
      return b;
    };
    e.claim = act("claim", T.claim, "lcd-btn lcd-btn--primary");
    e.close = act("close", T.close);
    e.reopen = act("reopen", T.reopen);
    e.print = act("print", T.print);
    e.transcript = act("transcript", T.emailTranscript);
    const threadTitle = el(d, "h3", "lcd-subtitle", T.thread);
    threadTitle.id = "lcd-ticket-thread-title";
    e.thread = el(d, "ol", "lcd-thread");
    e.thread.id = "lcd-ticket-thread";
    e.thread.setAttribute("aria-labelledby", threadTitle.id);
    const mailTitle = el(d, "h3", "lcd-subtitle lcd-noprint", T.mailHeading);
    mailTitle.id = "lcd-ticket-mail-title";
    e.mailProblems = el(d, "p", "lcd-mail-problems lcd-noprint");
    e.mail = el(d, "ul", "lcd-mail-list lcd-noprint");
    e.mail.id = "lcd-ticket-mail";
    e.mail.setAttribute("aria-labelledby", mailTitle.id);
    e.noMail = el(d, "p", "lcd-empty lcd-noprint", T.noMail);
    e.replyForm = this.textForm("reply", T.replyLabel(""), T.reply, (text) => this.call("reply", text));
    e.replyHint = el(d, "p", "lcd-hint lcd-noprint", T.replyHint);
    e.noteForm = this.textForm("note", T.noteLabel, T.note, (text) => this.call("note", text));
    card.append(e.title, e.state, e.question, e.facts, actions, threadTitle, e.thread, mailTitle, e.mailProblems,
      e.mail, e.noMail, e.replyHint, e.replyForm.form, e.noteForm.form);
    return card;
  }

  /** A labelled text box and its submit button (Reply, Add internal note). */
  textForm(name, label, submit, send) {
    const d = this.doc;
    const form = el(d, "form", `lcd-ticket-form lcd-ticket-${name}-form lcd-noprint`);
    form.noValidate = true;
    const f = field(d, { id: `lcd-ticket-${name}-text`, label, tag: "textarea", attrs: { rows: 3, maxlength: 4000 } });
    const b = button(d, submit, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    b.id = `lcd-ticket-${name}-send`;
    form.append(f.wrap, b);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (b.getAttribute("aria-disabled") !== "true") send(f.input.value);
    });
    return { form, text: f.input, label: f.wrap.querySelector("label"), button: b, idle: submit };
  }

  // ------------------------------------------------------------ what the controller calls

  notice(text) {
    if (!this.e.notice) return;
    if (text) this.e.notice.replaceChildren(el(this.doc, "p", "lcd-pane-notice", text));
    else this.e.notice.replaceChildren();
  }

  setDesks(desks, current) {
    this.build();
    const d = this.doc;
    this.e.desk.replaceChildren(...desks.map((q) => {
      const o = el(d, "option", null, q.label || q.id);
      o.value = q.id;
      return o;
    }));
    if (current) this.e.desk.value = current;
    this.e.desk.disabled = desks.length === 0;
  }

  setLists(lists, { status = "", loading = false, selected } = {}) {
    this.build();
    const d = this.doc;
    setBusy(this.e.refresh, loading, loading ? T.loading : T.refresh);
    this.e.status.replaceChildren(...(status ? [el(d, "p", null, status)] : []));
    if (selected !== undefined) this.selected = selected;
    for (const [key, g] of [["open", this.e.open], ["claimed", this.e.claimed]]) {
      const items = lists[key] || [];
      g.empty.hidden = items.length > 0 || loading;
      g.ul.replaceChildren(...items.map((t) => this.row(t)));
    }
  }

  row(t) {
    const d = this.doc;
    const li = el(d, "li", "lcd-ticket-row");
    const b = el(d, "button", "lcd-ticket-open");
    b.type = "button";
    b.dataset.ticketId = t.ticket_id;
    const name = (t.name && t.name.trim()) || T.someone;
    const comma = () => el(d, "span", "lcd-sr-only", ", "); // the button's name read as words, not run together
    b.append(el(d, "span", "lcd-ticket-name", name), comma(), el(d, "span", "lcd-ticket-snippet", snippet(t.question || "", 80)));
    const bits = [formatWhen(t.created_at)];
    if (t.status === "claimed" && t.operator) bits.push(T.heldBy(t.operator.name || t.operator.id));
    b.append(comma(), el(d, "span", "lcd-ticket-when", bits.filter(Boolean).join(" · ")));
    if (this.selected === t.ticket_id) b.setAttribute("aria-current", "true");
    b.addEventListener("click", () => this.call("open", t.ticket_id));
    li.append(b);
    return li;
  }

  /** Draw one ticket (a model from tickets.js ticketModel). */
  showTicket(m, { focus = true } = {}) {
    this.build();
    const d = this.doc;
    const e = this.e;
    const changed = this.shownId !== m.id;
    this.shownId = m.id;
    this.selected = m.id;
    for (const b of e.root.querySelectorAll(".lcd-ticket-open")) {
      if (b.dataset.ticketId === m.id) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    }
    e.detail.hidden = false;
    e.detail.dataset.ticketId = m.id;
    e.detail.dataset.status = m.status;
    e.title.textContent = T.from(m.name);
    e.state.textContent = m.statusText;
    e.question.textContent = m.question;
    const fact = (term, value) => (value ? [el(d, "dt", null, term), el(d, "dd", null, value)] : []);
    e.facts.replaceChildren(...fact(T.name, m.name), ...fact(T.email, m.email), ...fact(T.deskLabel, m.desk),
      ...fact(T.asked, formatWhen(m.createdAt)), ...(m.fromChat ? fact(T.fromChat, "✓") : []));
    const a = m.actions;
    e.claim.hidden = !a.claim;
    e.close.hidden = !a.close;
    e.reopen.hidden = !a.reopen;
    e.print.hidden = !a.print;
    e.transcript.hidden = !a.transcript;
    e.thread.setAttribute("aria-label", T.threadLabel(m.name));
    e.thread.replaceChildren(...m.thread.map((item) => entryItem(d, item)));
    e.mailProblems.hidden = !m.mail.problems;
    e.mailProblems.textContent = m.mail.problems ? T.mailProblems(m.mail.problems) : "";
    e.noMail.hidden = m.mail.items.length > 0;
    e.mail.replaceChildren(...m.mail.items.map((x) => {
      const li = el(d, "li", `lcd-mail lcd-mail--${x.status}`);
      li.dataset.status = x.status;
      li.append(el(d, x.problem ? "strong" : "span", "lcd-mail-status", x.label), " ",
        el(d, "span", "lcd-mail-to", T.mailLine(x.to, x.subject)));
      const when = formatWhen(x.at);
      if (when) li.append(" · ", el(d, "span", "lcd-mail-when", when));
      if (x.detail) li.append(el(d, "p", "lcd-mail-detail", x.detail));
      return li;
    }));
    e.replyForm.form.hidden = !a.reply;
    e.replyForm.label.textContent = T.replyLabel(m.email);
    e.replyHint.hidden = !m.replyHint;
    e.replyHint.textContent = m.replyHint;
    e.noteForm.form.hidden = !a.note;
    if (changed) {
      e.replyForm.text.value = "";
      e.noteForm.text.value = "";
    }
    if (focus) e.title.focus();
    else if (d.activeElement && e.detail.contains(d.activeElement) && d.activeElement.closest("[hidden]")) e.title.focus();
  }

  busy(action, on) {
    const e = this.e;
    const map = { claim: [e.claim, T.claim, T.claiming], replies: [e.replyForm.button, T.reply, T.replying],
      notes: [e.noteForm.button, T.note, T.noting], reopen: [e.reopen, T.reopen, T.reopen] };
    const b = map[action];
    if (b) setBusy(b[0], on, on ? b[2] : b[1]);
  }

  /** A reply or note was taken: its box empties (and keeps focus for the next one). */
  done(action) {
    const f = action === "replies" ? this.e.replyForm : this.e.noteForm;
    f.text.value = "";
    if (!f.form.hidden) f.text.focus();
  }

  print() {
    printOnly(this.doc, this.win, "ticket");
  }
}
