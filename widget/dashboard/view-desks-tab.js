// The admins' Desks tab (docs/desks.md): every desk (GET /api/queues) in a table with its
// hours, rollover, local-information card and whether it takes questions; "New desk" and each
// desk's Edit open the form (view-desks-form.js), which saves with one POST or PUT. Owns
// #lcd-panel-desks's contents, built on the tab's first showing (only admins ever see it).

import { el } from "../js/dom.js";
import { cardSummary, deskNames, hoursSummary, rolloverSummary } from "./desks-admin.js";
import { S } from "./strings.js";
import { DeskForm } from "./view-desks-form.js";
import { button } from "./view-desks-fields.js";

export class DesksTab {
  /**
   * @param {object} o
   * @param {Document} o.doc
   * @param {object} o.api  Api: queues(), createQueue(body), updateQueue(id, body)
   * @param {Function} [o.onAuthLost]
   * @param {Function} [o.onChanged]  (queues) => void  after a desk was saved (names for the Chats tab)
   * @param {object} [o.intl]
   */
  constructor({ doc, api, onAuthLost, onChanged, intl }) {
    this.doc = doc;
    this.api = api;
    this.onAuthLost = onAuthLost || (() => {});
    this.onChanged = onChanged || (() => {});
    this.intl = intl;
    this.queues = [];
    const $ = (id) => doc.getElementById(id);
    this.e = { notice: $("lcd-desks-notice"), root: $("lcd-desks-root") };
  }

  build() {
    if (this.built) return;
    this.built = true;
    const d = this.doc;
    const list = el(d, "section", "lcd-card lcd-desks-list");
    list.setAttribute("aria-labelledby", "lcd-desks-title");
    const head = el(d, "div", "lcd-card-head");
    const title = el(d, "h1", "lcd-card-title", S.desks.listTitle);
    title.id = "lcd-desks-title";
    const add = button(d, S.desks.newDesk, { className: "lcd-btn lcd-btn--primary lcd-btn--small" });
    add.addEventListener("click", () => {
      this.opener = add;
      this.form.open(null, this.queues);
    });
    head.append(title, add);
    const scroll = el(d, "div", "lcd-table-scroll");
    scroll.tabIndex = 0;
    scroll.setAttribute("role", "region");
    scroll.setAttribute("aria-label", S.desks.tableLabel);
    const table = el(d, "table", "lcd-table lcd-desks-table");
    table.setAttribute("aria-labelledby", "lcd-desks-title");
    const thead = el(d, "thead");
    const tr = el(d, "tr");
    const c = S.desks.col;
    for (const text of [c.desk, c.library, c.zone, c.hours, c.rollover, c.card, c.state, c.edit]) {
      const th = el(d, "th", null, text);
      th.scope = "col";
      tr.append(th);
    }
    thead.append(tr);
    this.e.rows = el(d, "tbody");
    this.e.rows.id = "lcd-desks-rows";
    table.append(thead, this.e.rows);
    scroll.append(table);
    this.e.empty = el(d, "p", "lcd-empty", S.desks.none);
    this.e.empty.hidden = true;
    list.append(head, scroll, this.e.empty);
    this.form = new DeskForm(d, {
      save: (body, opts) => this.save(body, opts),
      close: () => {
        if (this.opener && this.opener.isConnected) this.opener.focus();
      },
      intl: this.intl,
    });
    this.e.root.replaceChildren(list, this.form.card);
  }

  notice(text) {
    if (text) this.e.notice.replaceChildren(el(this.doc, "p", "lcd-pane-notice", text));
    else this.e.notice.replaceChildren();
  }

  async refresh() {
    this.build();
    try {
      const res = await this.api.queues();
      this.queues = res.queues || [];
    } catch (err) {
      if (err && err.status === 401) this.onAuthLost();
      else this.notice(S.desks.loadFailed(S.desks.desks, err && err.message));
      return;
    }
    this.notice("");
    this.render();
  }

  render() {
    const d = this.doc;
    const names = deskNames(this.queues);
    this.e.empty.hidden = this.queues.length > 0;
    this.e.rows.replaceChildren(...this.queues.map((q) => {
      const label = q.name || q.id;
      const tr = el(d, "tr");
      tr.dataset.queueId = q.id;
      if (q.enabled === false) tr.dataset.disabled = "true";
      const name = el(d, "th", "lcd-desk-name");
      name.scope = "row";
      name.append(el(d, "span", "lcd-team-person", label), el(d, "span", "lcd-team-username", q.id));
      const hours = el(d, "td", "lcd-desk-hours-summary", hoursSummary(q.hours));
      const closed = S.desks.closedDates((q.closed_dates || []).length);
      if (closed) hours.append(el(d, "span", "lcd-team-username", closed));
      const edit = button(d, S.desks.edit, { className: "lcd-btn lcd-btn--small", label: S.desks.editLabel(label) });
      edit.addEventListener("click", () => {
        this.opener = edit;
        const current = this.queues.find((x) => x.id === q.id) || q;
        this.form.open(current, this.queues);
      });
      const editCell = el(d, "td");
      editCell.append(edit);
      const state = el(d, "td", q.enabled === false ? "lcd-desk-off" : "lcd-desk-on",
        q.enabled === false ? S.desks.disabled : S.desks.enabled);
      tr.append(name, el(d, "td", null, q.library || ""), el(d, "td", null, q.timezone || ""), hours,
        el(d, "td", null, rolloverSummary(q.rollover, names)), el(d, "td", null, cardSummary(q.card)), state, editCell);
      return tr;
    }));
  }

  /** One request for the whole desk; the list follows what the service answered. */
  async save(body, { creating, id }) {
    let saved;
    try {
      saved = creating ? await this.api.createQueue(body) : await this.api.updateQueue(id, body);
    } catch (err) {
      if (err && err.status === 401) this.onAuthLost();
      throw err;
    }
    const i = this.queues.findIndex((q) => q.id === saved.id);
    if (i >= 0) this.queues = this.queues.map((q) => (q.id === saved.id ? saved : q));
    else this.queues = [...this.queues, saved];
    this.render();
    this.form.setQueues(this.queues);
    this.onChanged(this.queues);
    return saved;
  }
}
