// The Supervise tab's view (docs/supervision.md): owns the DOM under #lcd-supervise-root. The
// desks with their counts, a table of librarians, a table of chats with "Look in", and the
// read-only look into one chat (a log region, its typing line, Take over / End chat / Stop
// looking in). Every user text goes in with textContent; intents go out through `handlers`.

import { el } from "../js/dom.js";
import { formatClock, snippet } from "./logic.js";
import { actionButton } from "./view-composer.js";
import { SV } from "./strings-supervise.js";

export class SuperviseView {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.root = doc.getElementById("lcd-supervise-root");
    this.handlers = { refresh() {}, watch() {}, takeOver() {}, end() {}, stop() {} };
    if (this.root) this.build();
  }

  section(id, heading) {
    const s = el(this.doc, "section", "lcd-sv-section");
    const h = el(this.doc, "h3", "lcd-sv-h", heading);
    h.id = id;
    s.setAttribute("aria-labelledby", id);
    s.append(h);
    return s;
  }

  build() {
    const d = this.doc;
    const head = el(d, "div", "lcd-sv-head");
    const title = el(d, "h2", "lcd-sv-title", SV.heading);
    title.id = "lcd-sv-title";
    this.refreshBtn = actionButton(this.doc, "lcd-btn lcd-sv-refresh", SV.refresh, () => this.handlers.refresh());
    this.status = el(d, "p", "lcd-sv-status");
    this.status.setAttribute("role", "status");
    head.append(title, el(d, "p", "lcd-sv-intro", SV.intro), this.refreshBtn, this.status);
    this.notice = el(d, "div", "lcd-notice-slot");
    this.notice.setAttribute("role", "alert");
    this.desks = el(d, "ul", "lcd-sv-desks");
    this.people = el(d, "div", "lcd-sv-table-wrap");
    this.chats = el(d, "div", "lcd-sv-table-wrap");
    const desks = this.section("lcd-sv-desks-h", SV.desksHeading);
    desks.append(this.desks);
    const people = this.section("lcd-sv-people-h", SV.librariansHeading);
    people.append(this.people);
    const chats = this.section("lcd-sv-chats-h", SV.chatsHeading);
    chats.append(this.chats);
    const lists = el(d, "div", "lcd-sv-lists");
    lists.append(desks, people, chats);
    this.buildWatch();
    const grid = el(d, "div", "lcd-sv-grid");
    grid.append(lists, this.watch);
    this.root.replaceChildren(head, this.notice, grid);
  }

  buildWatch() {
    const d = this.doc;
    this.watch = el(d, "section", "lcd-sv-watch");
    this.watch.hidden = true;
    this.watch.setAttribute("aria-labelledby", "lcd-sv-watch-title");
    this.watchTitle = el(d, "h3", "lcd-sv-h", "");
    this.watchTitle.id = "lcd-sv-watch-title";
    this.watchTitle.tabIndex = -1;
    this.watchMeta = el(d, "p", "lcd-sv-meta");
    this.watchState = el(d, "p", "lcd-sv-watch-status");
    this.watchState.setAttribute("role", "status");
    const region = el(d, "div", "lcd-sv-log");
    region.setAttribute("role", "log");
    region.setAttribute("aria-label", SV.logLabel);
    region.setAttribute("aria-live", "polite");
    region.tabIndex = 0; // scrollable: reachable by keyboard
    this.log = el(d, "ol", "lcd-sv-log-list");
    region.append(this.log);
    this.typing = el(d, "p", "lcd-sv-typing");
    const actions = el(d, "div", "lcd-sv-actions");
    this.takeBtn = actionButton(this.doc, "lcd-btn lcd-btn--primary", SV.takeOver, () => this.handlers.takeOver());
    this.endBtn = actionButton(this.doc, "lcd-btn lcd-btn--danger", SV.end, () => this.handlers.end());
    this.stopBtn = actionButton(this.doc, "lcd-btn", SV.stop, () => this.handlers.stop());
    actions.append(this.takeBtn, this.endBtn, this.stopBtn);
    this.watch.append(this.watchTitle, this.watchMeta, this.watchState, region, this.typing, actions);
  }

  // ------------------------------------------------------------- the lists

  setBusy(on) {
    if (!this.root) return;
    this.refreshBtn.disabled = on;
    if (on) this.status.textContent = SV.refreshing;
  }

  setNotice(text) {
    if (!this.root) return;
    this.notice.replaceChildren();
    if (text) this.notice.append(el(this.doc, "p", "lcd-notice lcd-notice--error", text));
  }

  render(data, { deskLabel, watching }) {
    if (!this.root) return;
    this.status.textContent = SV.updated(formatClock(new Date().toISOString()));
    this.renderDesks(data.desks || []);
    this.renderPeople(data.librarians || [], deskLabel);
    this.renderChats(data.chats || [], deskLabel, watching);
  }

  renderDesks(desks) {
    const d = this.doc;
    this.desks.replaceChildren(...desks.map((desk) => {
      const li = el(d, "li", "lcd-sv-desk");
      li.dataset.queue = desk.id;
      li.append(el(d, "strong", "lcd-sv-desk-name", desk.name || desk.id), " ",
        el(d, "span", "lcd-sv-desk-line", SV.deskLine(desk)), " ",
        el(d, "span", "lcd-sv-desk-notice", desk.observer_notice === false ? SV.noticeOff : SV.noticeOn));
      return li;
    }));
  }

  table(caption, columns, rows) {
    const d = this.doc;
    const table = el(d, "table", "lcd-table lcd-sv-table");
    table.append(el(d, "caption", "lcd-sr-only", caption));
    const head = el(d, "tr");
    for (const c of columns) {
      const th = el(d, "th", "", c);
      th.scope = "col";
      head.append(th);
    }
    const thead = el(d, "thead");
    thead.append(head);
    const tbody = el(d, "tbody");
    tbody.append(...rows);
    table.append(thead, tbody);
    return table;
  }

  renderPeople(people, deskLabel) {
    const d = this.doc;
    const c = SV.cols;
    const rows = people.map((p) => {
      const tr = el(d, "tr");
      tr.dataset.operator = p.id;
      const name = el(d, "th", "", p.name || p.id);
      name.scope = "row";
      tr.append(name, el(d, "td", "", p.online ? SV.online(p.availability) : SV.offline),
        el(d, "td", "", SV.holds(p.active_chats || 0, p.limit || p.max_chats || 0)),
        el(d, "td", "", p.queues ? p.queues.map(deskLabel).join(", ") : SV.everyDesk));
      return tr;
    });
    this.people.replaceChildren(this.table(SV.librariansCaption, [c.name, c.status, c.chats, c.desks], rows));
  }

  renderChats(chats, deskLabel, watching) {
    const d = this.doc;
    const c = SV.cols;
    if (!chats.length) {
      this.chats.replaceChildren(el(d, "p", "lcd-empty", SV.noChats));
      return;
    }
    const rows = chats.map((chat) => {
      const tr = el(d, "tr");
      tr.dataset.chat = chat.chat_id;
      const name = chat.patron_name || SV.patron;
      const who = el(d, "th", "", name);
      who.scope = "row";
      const since = chat.claimed_at || chat.created_at;
      const status = `${SV.status[chat.status] || chat.status}${SV.observers(chat.observers || 0)}`;
      const action = el(d, "td");
      if (chat.status === "active" || chat.status === "queued") {
        const b = actionButton(this.doc, "lcd-btn lcd-sv-look", chat.chat_id === watching ? SV.watchingNow : SV.watch,
          () => this.handlers.watch(chat.chat_id));
        b.setAttribute("aria-label", SV.watchLabel(name));
        if (chat.chat_id === watching) b.setAttribute("aria-pressed", "true");
        action.append(b);
      }
      tr.append(who, el(d, "td", "", snippet(chat.question || "", 80)), el(d, "td", "", deskLabel(chat.queue)),
        el(d, "td", "", (chat.operator && chat.operator.name) || SV.nobody), el(d, "td", "", status),
        el(d, "td", "", since ? formatClock(since) : ""), action);
      return tr;
    });
    this.chats.replaceChildren(this.table(SV.chatsCaption,
      [c.patron, c.question, c.desk, c.librarian, c.status, c.since, c.actions], rows));
  }

  // ------------------------------------------------------------ looking in

  openWatch(chat, { deskLabel }) {
    if (!this.root) return;
    this.log.replaceChildren();
    this.typing.textContent = "";
    this.watch.hidden = false;
    this.watchHeader(chat, { deskLabel });
    this.watchStatus(SV.connecting, "info");
    this.setWatchBusy(false);
    this.watchTitle.focus();
  }

  watchHeader(chat, { deskLabel }) {
    if (!this.root) return;
    const name = chat.patron_name || SV.patron;
    this.watchTitle.textContent = SV.watchHeading(name);
    this.watchMeta.textContent = SV.watchMeta(deskLabel(chat.queue), (chat.operator && chat.operator.name) || SV.nobody,
      SV.status[chat.status] || chat.status || "");
    const open = chat.status === "active" || chat.status === "queued";
    this.takeBtn.hidden = chat.status !== "active";
    this.endBtn.hidden = !open;
  }

  watchStatus(text, tone) {
    if (!this.root) return;
    this.watchState.textContent = text;
    this.watchState.dataset.tone = tone || "info";
  }

  watchMessage(message, chat) {
    if (!this.root) return;
    const d = this.doc;
    const role = (message.sender && message.sender.role) || "system";
    const name = (message.sender && message.sender.name) || (role === "patron" ? chat.patron_name : null) || SV.senders[role] || role;
    const li = el(d, "li", `lcd-sv-msg lcd-sv-msg--${role}`);
    li.dataset.seq = String(message.seq);
    const meta = el(d, "span", "lcd-sv-msg-meta", `${name} · ${message.sent_at ? formatClock(message.sent_at) : ""}`);
    const text = message.text || (message.attachment ? `[${message.attachment.name || "file"}]` : "");
    li.append(meta, el(d, "span", "lcd-sv-msg-text", text));
    this.log.append(li);
    li.scrollIntoView({ block: "nearest" });
  }

  watchTyping(text) {
    if (this.root) this.typing.textContent = text || "";
  }

  watchEnded(text) {
    if (!this.root) return;
    this.watchStatus(text, "ended");
    this.takeBtn.hidden = true;
    this.endBtn.hidden = true;
    this.stopBtn.focus();
  }

  setWatchBusy(on) {
    if (!this.root) return;
    this.takeBtn.disabled = on;
    this.endBtn.disabled = on;
  }

  closeWatch({ focus = true } = {}) {
    if (!this.root) return;
    this.watch.hidden = true;
    this.log.replaceChildren();
    if (focus) this.refreshBtn.focus();
  }
}
