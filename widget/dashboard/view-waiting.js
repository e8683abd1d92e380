// The Chats tab's waiting list: one row per queued chat, oldest first (the patron who has
// waited longest on top), with the question, who and which queue, whether the patron is still
// there, a note from a transfer, "rolled over from" another library's desk, the wait time
// (refreshed by `tick`, coloured as it grows) and Claim Chat. With desks (docs/desks.md) the
// rows are grouped under a heading per desk I watch, with its count; "Desks I watch today" is
// a checkbox per desk of mine. Also the count on the Chats tab and in the browser tab's title.
// All text goes in with textContent.

import { el } from "../js/dom.js";
import { elapsed, formatClock, formatWait, tabTitle, waitLevel } from "./logic.js";
import { S } from "./strings.js";
import { actionButton, setBusy } from "./view-composer.js";
import { setBadge } from "./view-pane.js";

export class WaitingList {
  /**
   * @param {DashboardView} view  the owner: doc, elements (waiting, waitingEmpty, waitingCount,
   *                              waitingBadge, chatsTab), now(), nextId() and call()
   */
  constructor(view) {
    this.view = view;
    this.doc = view.doc;
    this.e = view.e;
    this.rows = new Map(); // chat_id -> row parts
    this.groups = new Map(); // desk id -> {section, title, name, count, list}; "" : no desk / other desks
    this.deskMode = false;
    this.groups.set("", this.buildGroup("", ""));
    this.e.waiting.append(this.groups.get("").section);
    this.renderGroupHeads();
  }

  // ---------------------------------------------------------------- desks

  buildGroup(id, label) {
    const d = this.doc;
    const section = el(d, "section", "lcd-group");
    section.dataset.queue = id;
    const title = el(d, "h2", "lcd-group-title");
    title.id = `lcd-group-${this.view.nextId()}`;
    const name = el(d, "span", "lcd-group-name", label);
    const count = el(d, "span", "lcd-count lcd-group-count");
    title.append(name, count);
    const list = el(d, "ul", "lcd-waiting");
    section.append(title, list);
    return { id, section, title, name, count, list };
  }

  /**
   * The desks whose headings the list shows ([{id, label}] in order; none: one plain list, as
   * without desks). `none`: I watch no desk (the list says how to see chats again).
   */
  setGroups(list, { none = false } = {}) {
    this.deskMode = list.length > 0 || none;
    const other = this.groups.get("");
    const want = new Set(list.map((g) => g.id));
    for (const [id, g] of [...this.groups]) {
      if (id === "" || want.has(id)) continue;
      for (const li of [...g.list.children]) this.insertInto(other.list, li); // the controller moves them on
      g.section.remove();
      this.groups.delete(id);
    }
    for (const { id, label } of list) {
      let g = this.groups.get(id);
      if (!g) {
        g = this.buildGroup(id, label);
        this.groups.set(id, g);
      }
      g.name.textContent = label;
      this.e.waiting.insertBefore(g.section, other.section); // in the given order, "other" last
    }
    this.e.watchNone.hidden = !none;
    this.e.waitingEmpty.hidden = this.rows.size > 0 || none;
    this.renderGroupHeads();
  }

  /** Each heading's count; the plain list (no desks) has no heading of its own. */
  renderGroupHeads() {
    for (const g of this.groups.values()) {
      const n = g.list.children.length;
      g.count.replaceChildren(el(this.doc, "span", null, String(n)), el(this.doc, "span", "lcd-sr-only", S.chatDesks.groupCount(n)));
      if (g.id === "") {
        g.name.textContent = S.chatDesks.otherGroup;
        g.title.hidden = !this.deskMode;
        g.section.hidden = this.deskMode && n === 0;
        if (this.deskMode) g.list.setAttribute("aria-labelledby", g.title.id);
        else g.list.setAttribute("aria-labelledby", "lcd-waiting-title");
      } else {
        g.list.setAttribute("aria-labelledby", g.title.id);
      }
    }
  }

  /** The watch checkboxes ([{id, label, checked}]); `shown`: whether there is anything to choose. */
  setWatchOptions(options, { shown }) {
    const d = this.doc;
    const box = this.e.watch;
    box.hidden = !shown;
    const have = new Map([...this.e.watchOptions.querySelectorAll("input")].map((i) => [i.value, i]));
    const same = options.length === have.size && options.every((o) => have.has(o.id));
    if (same) {
      // keep the elements (and the keyboard focus on one of them): only the ticks and words change
      for (const o of options) {
        const input = have.get(o.id);
        input.checked = o.checked;
        input.nextElementSibling.textContent = o.label;
      }
      return;
    }
    this.e.watchOptions.replaceChildren(...options.map((o) => {
      const lab = el(d, "label", "lcd-check lcd-watch-option");
      const input = el(d, "input");
      input.type = "checkbox";
      input.value = o.id;
      input.checked = o.checked;
      input.addEventListener("change", () => {
        const ids = [...this.e.watchOptions.querySelectorAll("input:checked")].map((i) => i.value);
        this.view.call("watch", ids);
      });
      lab.append(input, el(d, "span", null, o.label));
      return lab;
    }));
  }

  groupFor(id) {
    return this.groups.get(id) || this.groups.get("");
  }

  /** `li` into `list`, oldest first (the patron who has waited longest at the top). */
  insertInto(list, li) {
    const t = Number(li.dataset.created) || 0;
    const after = [...list.children].find((o) => o !== li && Number(o.dataset.created) > t);
    list.insertBefore(li, after || null);
  }

  get size() {
    return this.rows.size;
  }

  setCount(n) {
    this.e.waitingCount.textContent = String(n);
    this.e.waitingEmpty.hidden = n > 0 || !this.e.watchNone.hidden; // watching nothing says so instead
    setBadge(this.doc, this.e.waitingBadge, n, S.badge.waiting);
    this.doc.title = tabTitle(n, true);
  }

  /** A row for {chat_id, question, name, queue, group, rolledOver, created_at, note}: new, or brought up to date. */
  upsert(row) {
    let r = this.rows.get(row.chat_id);
    if (!r) {
      r = this.build(row);
      this.rows.set(row.chat_id, r);
    }
    const list = this.groupFor(row.group || "").list;
    if (r.li.parentNode !== list) {
      this.insertInto(list, r.li);
      this.renderGroupHeads();
    }
    r.rolled.textContent = row.rolledOver || "";
    r.rolled.hidden = !row.rolledOver;
    r.li.dataset.rolledOver = row.rolledOver ? "true" : "false";
    r.created_at = row.created_at;
    r.q.textContent = row.question;
    r.name.textContent = row.name || S.patron;
    r.queue.textContent = row.queue || "";
    r.queue.hidden = !row.queue;
    r.note.textContent = row.note ? S.wait.note(row.note) : "";
    r.note.hidden = !row.note;
    // is the patron still there? (words and colour, like a pane's status; nothing until told)
    const p = row.presence;
    r.presence.hidden = !p;
    r.presence.className = `lcd-status lcd-status--small lcd-wait-presence${p ? ` lcd-status--${p.key}` : ""}`;
    r.presence.dataset.presence = p ? p.key : "";
    r.presenceLabel.textContent = p ? p.label : "";
    r.time.dateTime = row.created_at || "";
    const since = formatClock(row.created_at);
    r.time.title = since ? S.wait.since(since) : "";
    this.tickRow(r);
  }

  build(row) {
    const d = this.doc;
    const li = el(d, "li", "lcd-wait-row");
    li.dataset.chatId = row.chat_id;
    const main = el(d, "div", "lcd-wait-main");
    const q = el(d, "p", "lcd-wait-question");
    q.id = `lcd-q-${this.view.nextId()}`;
    const meta = el(d, "p", "lcd-wait-meta");
    const name = el(d, "span", "lcd-wait-name");
    const queue = el(d, "span", "lcd-wait-queue");
    const presence = el(d, "span", "lcd-status lcd-status--small lcd-wait-presence");
    const presenceLabel = el(d, "span", "lcd-status-label");
    presence.append(el(d, "span", "lcd-sr-only", S.pane.patronStatus), presenceLabel);
    presence.hidden = true;
    const rolled = el(d, "span", "lcd-rolled");
    rolled.hidden = true;
    meta.append(name, queue, rolled, presence);
    const note = el(d, "p", "lcd-wait-note");
    main.append(q, meta, note);
    const wait = el(d, "p", "lcd-wait-time");
    const time = el(d, "time", "lcd-wait-clock");
    wait.append(el(d, "span", "lcd-wait-label", S.wait.label), time);
    const claim = actionButton(d, "lcd-btn lcd-btn--primary lcd-claim", S.wait.claim, () => this.view.call("claim", row.chat_id));
    claim.setAttribute("aria-describedby", q.id);
    li.append(main, wait, claim);
    // oldest first: the patron who has waited longest is at the top (upsert puts it in its desk's list)
    li.dataset.created = String(Date.parse(row.created_at) || 0);
    return { li, q, name, queue, rolled, time, claim, note, presence, presenceLabel };
  }

  tickRow(r) {
    const ms = elapsed(r.created_at, this.view.now());
    const text = formatWait(ms);
    if (r.time.textContent !== text) r.time.textContent = text;
    r.li.dataset.wait = waitLevel(ms);
  }

  tick() {
    for (const r of this.rows.values()) this.tickRow(r);
  }

  remove(chatId) {
    const r = this.rows.get(chatId);
    if (!r) return;
    const hadFocus = r.li.contains(this.doc.activeElement);
    const all = [...this.e.waiting.querySelectorAll(".lcd-wait-row")]; // every desk's, in reading order
    const i = all.indexOf(r.li);
    const next = all[i + 1] || all[i - 1];
    r.li.remove();
    this.rows.delete(chatId);
    this.renderGroupHeads();
    if (hadFocus) {
      // keep the keyboard user's place: the next chat's Claim button, else the Chats tab
      const claim = next && next.querySelector(".lcd-claim");
      (claim || this.e.chatsTab).focus();
    }
  }

  setClaimBusy(chatId, busy) {
    const r = this.rows.get(chatId);
    if (r) setBusy(r.claim, busy, busy ? S.wait.claiming : S.wait.claim);
  }
}
