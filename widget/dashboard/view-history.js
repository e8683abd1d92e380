// The History tab's DOM (docs/tickets.md "History"): the search form (from / to, desk,
// librarian, tag, words), the results table with an Open button a row, "Load more", and a
// chat result's record (Edit record) and messages. Owns #lcd-history-root, built on the tab's
// first showing. The controller (history.js) says what to show; intents go to `handlers`.
// All text goes in with textContent.

import { el } from "../js/dom.js";
import { RangeFormView } from "./view-range-form.js";
import { formatWhen } from "./history.js";
import { S } from "./strings.js";
import { actionButton, setBusy } from "./view-composer.js";
import { button, field } from "./view-desks-fields.js";

const H = S.history;
const R = S.record;

function options(doc, select, list, keep) {
  select.replaceChildren(...list.map((o) => {
    const opt = el(doc, "option", null, o.label);
    opt.value = o.value;
    return opt;
  }));
  if (list.some((o) => o.value === keep)) select.value = keep;
}

export class HistoryView {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.handlers = {};
    const $ = (id) => doc.getElementById(id);
    this.e = { notice: $("lcd-history-notice"), root: $("lcd-history-root") };
  }

  call(name, ...args) {
    const fn = this.handlers[name];
    return fn ? fn(...args) : undefined;
  }

  /** The form, once; `range` the default {from, to}. */
  build(range) {
    if (this.built) return;
    this.built = true;
    const d = this.doc;
    const e = this.e;
    const card = el(d, "section", "lcd-card lcd-history");
    card.setAttribute("aria-labelledby", "lcd-history-title");
    const head = el(d, "div", "lcd-card-head");
    const title = el(d, "h1", "lcd-card-title", H.title);
    title.id = "lcd-history-title";
    head.append(title);
    const form = el(d, "form", "lcd-history-form");
    form.id = "lcd-history-form";
    form.noValidate = true;
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", H.searchLabel);
    const from = field(d, { id: "lcd-history-from", label: H.from, type: "date", value: range.from });
    const to = field(d, { id: "lcd-history-to", label: H.to, type: "date", value: range.to });
    const desk = field(d, { id: "lcd-history-desk", label: H.desk, tag: "select", options: [{ value: "", label: H.allDesks }] });
    const who = field(d, { id: "lcd-history-operator", label: H.librarian, tag: "select", options: [{ value: "", label: H.anyone }] });
    const tag = field(d, { id: "lcd-history-tag", label: H.tag, tag: "select", options: [{ value: "", label: H.anyTag }] });
    const words = field(d, { id: "lcd-history-q", label: H.words, type: "search", attrs: { maxlength: 200, autocomplete: "off" } });
    e.search = button(d, H.search, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    e.search.id = "lcd-history-search";
    e.alert = el(d, "div", "lcd-form-error");
    e.alert.setAttribute("role", "alert");
    form.append(e.alert, from.wrap, to.wrap, desk.wrap, who.wrap, tag.wrap, words.wrap, e.search);
    Object.assign(e, { from: from.input, to: to.input, desk: desk.input, operator: who.input, tag: tag.input, q: words.input });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (e.search.getAttribute("aria-disabled") !== "true") this.call("search", this.filters());
    });
    e.status = el(d, "div", "lcd-history-status");
    e.status.setAttribute("role", "status");
    const scroll = el(d, "div", "lcd-table-scroll");
    scroll.tabIndex = 0;
    scroll.setAttribute("role", "region");
    scroll.setAttribute("aria-label", H.tableLabel);
    const table = el(d, "table", "lcd-table lcd-history-table");
    table.id = "lcd-history-table";
    table.setAttribute("aria-label", H.tableLabel);
    const tr = el(d, "tr");
    const c = H.col;
    for (const text of [c.closed, c.kind, c.desk, c.question, c.librarian, c.tags, c.read, c.open]) {
      const th = el(d, "th", null, text);
      th.scope = "col";
      tr.append(th);
    }
    const thead = el(d, "thead");
    thead.append(tr);
    e.rows = el(d, "tbody");
    e.rows.id = "lcd-history-rows";
    table.append(thead, e.rows);
    scroll.append(table);
    e.scroll = scroll;
    scroll.hidden = true;
    e.more = actionButton(d, "lcd-btn lcd-history-more", H.more, () => this.call("more"));
    e.more.id = "lcd-history-more";
    e.more.hidden = true;
    card.append(head, form, e.status, scroll, e.more);
    e.detail = this.buildDetail();
    e.root.replaceChildren(card, e.detail);
  }

  buildDetail() {
    const d = this.doc;
    const e = this.e;
    const card = el(d, "section", "lcd-card lcd-history-chat");
    card.id = "lcd-history-chat";
    card.setAttribute("aria-labelledby", "lcd-history-chat-title");
    card.hidden = true;
    const head = el(d, "div", "lcd-card-head");
    e.chatTitle = el(d, "h2", "lcd-card-title");
    e.chatTitle.id = "lcd-history-chat-title";
    e.chatTitle.tabIndex = -1;
    const close = button(d, H.closeDetail, { className: "lcd-btn lcd-btn--quiet" });
    close.addEventListener("click", () => {
      card.hidden = true;
      if (this.opener && this.opener.isConnected) this.opener.focus();
    });
    head.append(e.chatTitle, close);
    e.chatQuestion = el(d, "p", "lcd-pane-question");
    const recTitle = el(d, "h3", "lcd-subtitle", H.recordHeading);
    e.record = el(d, "dl", "lcd-ticket-facts");
    e.record.id = "lcd-history-record";
    e.edit = button(d, H.editRecord);
    e.edit.id = "lcd-history-edit";
    e.edit.addEventListener("click", () => this.call("edit"));
    const msgTitle = el(d, "h3", "lcd-subtitle", H.messages);
    msgTitle.id = "lcd-history-messages-title";
    e.messages = el(d, "ol", "lcd-thread");
    e.messages.id = "lcd-history-messages";
    e.messages.setAttribute("aria-labelledby", msgTitle.id);
    card.append(head, e.chatQuestion, recTitle, e.record, e.edit, msgTitle, e.messages);
    return card;
  }

  /** The form's values as history.js historyQuery takes them. */
  filters() {
    const e = this.e;
    return { from: e.from.value, to: e.to.value, queue: e.desk.value, operator: e.operator.value, tag: e.tag.value, q: e.q.value };
  }

  /** The choices of the selects: {desks, librarians, tags}, each [{value, label}] after "any". */
  setChoices({ desks, librarians, tags }) {
    const d = this.doc;
    const e = this.e;
    if (desks) options(d, e.desk, [{ value: "", label: H.allDesks }, ...desks], e.desk.value);
    if (librarians) options(d, e.operator, [{ value: "", label: H.anyone }, ...librarians], e.operator.value);
    if (tags) options(d, e.tag, [{ value: "", label: H.anyTag }, ...tags.map((t) => ({ value: t, label: t }))], e.tag.value);
  }

  // ------------------------------------------------------------ what the controller calls

  busy(what, on) {
    if (what === "search") setBusy(this.e.search, on, on ? H.searching : H.search);
    else setBusy(this.e.more, on, on ? H.loadingMore : H.more);
  }

  /** rows: history.js historyRow's; `focusRow`: the first new row's Open gets focus (Load more). */
  setResults(rows, { more = false, focusRow } = {}) {
    const d = this.doc;
    const e = this.e;
    e.scroll.hidden = rows.length === 0;
    e.more.hidden = !more;
    e.rows.replaceChildren(...rows.map((r) => {
      const tr = el(d, "tr");
      tr.dataset.kind = r.kind;
      tr.dataset.id = r.id;
      const q = el(d, "th", "lcd-history-question", r.question);
      q.scope = "row";
      const open = button(d, H.open, { className: "lcd-btn lcd-btn--small", label: H.openLabel(r.kindLabel, r.question) });
      open.addEventListener("click", () => {
        this.opener = open;
        this.call("open", r.id);
      });
      const cell = el(d, "td");
      cell.append(open);
      tr.append(el(d, "td", null, r.closed), el(d, "td", null, r.kindLabel), el(d, "td", null, r.desk), q,
        el(d, "td", null, r.librarian), el(d, "td", null, r.tags), el(d, "td", null, r.read), cell);
      return tr;
    }));
    if (Number.isInteger(focusRow)) {
      const b = e.rows.children[focusRow] && e.rows.children[focusRow].querySelector("button");
      if (b) b.focus();
      else if (!e.more.hidden) e.more.focus();
    }
  }

  /** A chat result: {id, title, question, desk, record, messages (undefined: keep), focus}. */
  showChat(m) {
    const d = this.doc;
    const e = this.e;
    e.detail.hidden = false;
    e.detail.dataset.chatId = m.id;
    e.chatTitle.textContent = m.title;
    e.chatQuestion.textContent = [m.desk, m.question].filter(Boolean).join(" · ");
    const r = m.record || {};
    const fact = (term, value) => (value ? [el(d, "dt", null, term), el(d, "dd", null, value)] : []);
    const facts = [...fact(R.questionType, r.question_type), ...fact(H.col.read, Number.isInteger(r.read) ? String(r.read) : ""),
      ...fact(R.tags, (r.tags || []).join(", ")), ...fact(R.note, r.note || "")];
    e.record.replaceChildren(...(facts.length ? facts : [el(d, "dd", null, H.noRecord)]));
    if (m.messages !== undefined) {
      const list = Array.isArray(m.messages) ? m.messages : [];
      e.messages.replaceChildren(...(list.length ? list.map((msg) => this.message(msg)) : [el(d, "li", "lcd-empty", H.noMessages)]));
    }
    if (m.focus !== false) e.chatTitle.focus();
  }

  message(msg) {
    const d = this.doc;
    const role = (msg.sender && msg.sender.role) || "system";
    const li = el(d, "li", `lcd-entry lcd-entry--${role === "operator" ? "librarian" : role === "patron" ? "patron" : "system"}`);
    const who = (msg.sender && msg.sender.name) || (role === "patron" ? S.patron : role === "operator" ? S.librarian : S.messages.system);
    const meta = el(d, "p", "lcd-entry-meta");
    meta.append(el(d, "span", "lcd-entry-who", who));
    const when = formatWhen(msg.sent_at);
    if (when) meta.append(" · ", el(d, "span", "lcd-entry-when", when));
    li.append(meta);
    if (msg.text) li.append(el(d, "p", "lcd-entry-text", msg.text));
    if (msg.attachment && msg.attachment.name) li.append(el(d, "p", "lcd-entry-file", H.attachment(msg.attachment.name)));
    return li;
  }
}

Object.assign(HistoryView.prototype, RangeFormView); // notice, formErrors, status (view-range-form.js)
