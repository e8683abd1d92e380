// The Chats tab's waiting list: one row per queued chat, oldest first (the patron who has
// waited longest on top), with the question, who and which queue, whether the patron is still
// there, a note from a transfer, the wait time (refreshed by `tick`, coloured as it grows) and Claim Chat. Also the count on the
// Chats tab and in the browser tab's title. All text goes in with textContent.

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
  }

  get size() {
    return this.rows.size;
  }

  setCount(n) {
    this.e.waitingCount.textContent = String(n);
    this.e.waitingEmpty.hidden = n > 0;
    setBadge(this.doc, this.e.waitingBadge, n, S.badge.waiting);
    this.doc.title = tabTitle(n, true);
  }

  /** A row for {chat_id, question, name, queue, created_at, note}: new, or brought up to date. */
  upsert(row) {
    let r = this.rows.get(row.chat_id);
    if (!r) {
      r = this.build(row);
      this.rows.set(row.chat_id, r);
    }
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
    meta.append(name, queue, presence);
    const note = el(d, "p", "lcd-wait-note");
    main.append(q, meta, note);
    const wait = el(d, "p", "lcd-wait-time");
    const time = el(d, "time", "lcd-wait-clock");
    wait.append(el(d, "span", "lcd-wait-label", S.wait.label), time);
    const claim = actionButton(d, "lcd-btn lcd-btn--primary lcd-claim", S.wait.claim, () => this.view.call("claim", row.chat_id));
    claim.setAttribute("aria-describedby", q.id);
    li.append(main, wait, claim);
    // oldest first: the patron who has waited longest is at the top
    const t = Date.parse(row.created_at) || 0;
    li.dataset.created = String(t);
    const after = [...this.e.waiting.children].find((o) => Number(o.dataset.created) > t);
    this.e.waiting.insertBefore(li, after || null);
    return { li, q, name, queue, time, claim, note, presence, presenceLabel };
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
    const next = r.li.nextElementSibling || r.li.previousElementSibling;
    r.li.remove();
    this.rows.delete(chatId);
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
