// One claimed chat in the dashboard's DOM: its tab in the tab strip, its row under "My chats",
// and its pane (who and what, the patron's status in colour and words, "rolled over from"
// another library's desk, Block patron… under them (view-blocks.js), Print / E-mail transcript,
// End / Close / Transfer, notices, the home desk's local-information card (view-card.js), the
// message log, the typing notice, the composer, and once the chat ended its inline close form,
// view-record-inline.js).
// `update(model)` renders the controller's model of the chat; all text goes in with textContent.

import { el } from "../js/dom.js";
import { elapsed, formatClock, formatWait, snippet } from "./logic.js";
import { S } from "./strings.js";
import { actionButton, Composer, setBusy } from "./view-composer.js";
import { PaneBlock } from "./view-blocks.js";
import { InfoCard } from "./view-card.js";
import { MessageLog } from "./view-log.js";
import { RecordPanel } from "./view-record-inline.js";

/** A badge with a number and, for screen readers, what it counts. */
export function setBadge(doc, badge, n, what) {
  badge.hidden = !n;
  badge.replaceChildren(el(doc, "span", null, String(n)), el(doc, "span", "lcd-sr-only", what));
}

/** A span hidden from screen readers (a coloured dot next to words that say the same). */
function dot(doc, className) {
  const span = el(doc, "span", className);
  span.setAttribute("aria-hidden", "true");
  return span;
}

export class ChatPane {
  /**
   * @param {DashboardView} view  the owner: its doc, win, elements and call()
   * @param {string} chatId
   * @param {number} n            this pane's number, for element ids
   */
  constructor(view, chatId, n) {
    const d = view.doc;
    this.doc = d;
    this.chatId = chatId;
    this.n = n;
    const call = (...args) => view.call(...args);
    this.call = call;

    // tab
    const tab = el(d, "button", "lcd-tab lcd-tab--chat");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.id = `lcd-tab-p${n}`;
    tab.dataset.chatId = chatId;
    tab.setAttribute("aria-controls", `lcd-panel-p${n}`);
    tab.setAttribute("aria-selected", "false");
    tab.tabIndex = -1;
    this.tabDot = dot(d, "lcd-dot");
    this.tabName = el(d, "span", "lcd-tab-label");
    this.tabSnippet = el(d, "span", "lcd-tab-snippet");
    this.tabStatus = el(d, "span", "lcd-sr-only");
    this.tabBadge = el(d, "span", "lcd-badge lcd-badge--unread");
    this.tabBadge.hidden = true;
    tab.append(this.tabDot, this.tabName, this.tabSnippet, this.tabStatus, this.tabBadge);
    tab.addEventListener("click", () => call("select", chatId, { focus: false }));
    this.tab = tab;

    // "My chats" row on the Chats tab
    this.mineLi = el(d, "li", "lcd-mine-row");
    const mineBtn = el(d, "button", "lcd-mine-open");
    mineBtn.type = "button";
    this.mineStatus = el(d, "span", "lcd-status lcd-status--small");
    this.mineName = el(d, "span", "lcd-mine-name");
    this.mineSnippet = el(d, "span", "lcd-mine-snippet");
    this.mineBadge = el(d, "span", "lcd-badge lcd-badge--unread");
    this.mineBadge.hidden = true;
    const mineText = el(d, "span", "lcd-mine-text");
    mineText.append(this.mineName, this.mineSnippet);
    mineBtn.append(mineText, this.mineStatus, this.mineBadge);
    mineBtn.addEventListener("click", () => call("select", chatId, { focus: "composer" }));
    this.mineLi.append(mineBtn);

    // pane
    const panel = el(d, "section", "lcd-panel lcd-pane");
    panel.id = `lcd-panel-p${n}`;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    panel.dataset.chatId = chatId;
    panel.hidden = true;
    this.panel = panel;

    const head = el(d, "header", "lcd-pane-head");
    const who = el(d, "div", "lcd-pane-who");
    const titleRow = el(d, "div", "lcd-pane-title-row");
    this.name = el(d, "h1", "lcd-pane-name");
    this.status = el(d, "p", "lcd-status");
    this.statusLabel = el(d, "span", "lcd-status-label");
    this.status.append(el(d, "span", "lcd-sr-only", S.pane.patronStatus), dot(d, "lcd-status-dot"), this.statusLabel);
    titleRow.append(this.name, this.status);
    this.question = el(d, "p", "lcd-pane-question");
    this.meta = el(d, "p", "lcd-pane-meta");
    this.rolled = el(d, "p", "lcd-rolled lcd-pane-rolled");
    this.rolled.hidden = true;
    this.block = new PaneBlock(d, () => call("blockPatron", chatId)); // docs/privacy.md "Blocks"
    who.append(titleRow, this.question, this.meta, this.rolled, this.block.button);
    const actions = el(d, "div", "lcd-pane-actions");
    this.endBtn = actionButton(d, "lcd-btn lcd-btn--danger lcd-end", S.pane.end, () => call("end", chatId));
    this.closeBtn = actionButton(d, "lcd-btn lcd-btn--primary lcd-close", S.pane.close, () => call("close", chatId));
    this.closeBtn.hidden = true;
    this.transferBtn = el(d, "button", "lcd-btn lcd-transfer", S.pane.transfer);
    this.transferBtn.type = "button";
    this.transferBtn.addEventListener("click", () => call("transfer", chatId));
    // docs/tickets.md: the transcript, printed (tickets.css) or e-mailed
    this.printBtn = actionButton(d, "lcd-btn lcd-btn--quiet lcd-print-chat", S.transcript.print, () => call("printChat", chatId));
    this.mailBtn = actionButton(d, "lcd-btn lcd-btn--quiet lcd-mail-chat", S.transcript.email, () => call("emailChat", chatId));
    actions.append(this.printBtn, this.mailBtn, this.transferBtn, this.endBtn, this.closeBtn);
    head.append(who, actions);

    this.notice = el(d, "div", "lcd-pane-notice-slot");
    this.notice.setAttribute("role", "alert");
    this.ended = el(d, "p", "lcd-ended");
    this.ended.hidden = true;
    this.transferNote = el(d, "p", "lcd-transfer-note");
    this.transferNote.hidden = true;
    this.card = new InfoCard(d);

    const scroll = el(d, "div", "lcd-scroll");
    scroll.tabIndex = 0;
    scroll.setAttribute("role", "region");
    this.logRegion = el(d, "div", "lcd-log-region");
    this.logRegion.setAttribute("role", "log");
    this.logRegion.setAttribute("aria-live", "polite");
    const log = el(d, "ol", "lcd-log");
    this.logRegion.append(log);
    const outbox = el(d, "ol", "lcd-outbox"); // not live: the stored message is announced instead
    scroll.append(this.logRegion, outbox);
    this.scroll = scroll;

    this.typing = el(d, "div", "lcd-typing");
    this.typingLead = el(d, "span", "lcd-typing-lead");
    this.typingLead.setAttribute("role", "status");
    this.typingPreview = el(d, "span", "lcd-typing-preview");
    this.typing.append(this.typingLead, this.typingPreview);

    this.composer = new Composer(d, view.win, chatId, n, {
      call, announce: (text) => view.announce(text), sent: () => { this.log.stick = true; },
    });
    this.log = new MessageLog(d, { scroll, log, outbox }, {
      fileUrl: (key) => call("fileUrl", chatId, key),
      putBack: (text) => this.composer.putBack(text),
      focusComposer: () => this.composer.focus(),
      notice: (text) => this.showNotice(text),
      clearNotice: () => this.clearNotice(),
    });

    panel.append(head, this.block.note, this.notice, this.transferNote, this.card.root, scroll, this.typing, this.ended, this.composer.form);
  }

  /** Render the controller's model: {name, question, queue, created_at, claimed_at, status, ended, ...}. */
  update(m) {
    this.model = m;
    this.tabName.textContent = m.name;
    this.tabSnippet.textContent = snippet(m.question, 40);
    this.tabStatus.textContent = `, ${m.presence.label}`;
    this.tabDot.className = `lcd-dot lcd-dot--${m.presence.key}`;
    this.mineName.textContent = m.name;
    this.mineSnippet.textContent = snippet(m.question, 70);
    this.mineStatus.className = `lcd-status lcd-status--small lcd-status--${m.presence.key}`;
    this.mineStatus.textContent = m.presence.label;

    this.name.textContent = m.name;
    this.question.textContent = m.question;
    this.question.hidden = !m.question;
    this.status.className = `lcd-status lcd-status--${m.presence.key}`;
    this.status.dataset.presence = m.presence.key;
    this.statusLabel.textContent = m.presence.label;
    const bits = [];
    if (m.queue) bits.push(m.queue);
    if (m.created_at && m.claimed_at) bits.push(S.pane.waited(formatWait(elapsed(m.created_at, Date.parse(m.claimed_at)))));
    if (m.claimed_at) bits.push(S.pane.claimedAt(formatClock(m.claimed_at)));
    this.meta.textContent = bits.join(" · ");
    this.meta.hidden = bits.length === 0;
    this.rolled.textContent = m.rolledOver || "";
    this.rolled.hidden = !m.rolledOver;
    this.panel.dataset.rolledOver = m.rolledOver ? "true" : "false";
    this.card.update(m.card || null, { rolledOver: Boolean(m.rolledOver) });
    this.scroll.setAttribute("aria-label", S.pane.conversation(m.name));
    this.logRegion.setAttribute("aria-label", S.pane.messages(m.name));
    this.composer.label.textContent = S.pane.messageTo(m.name);

    this.panel.dataset.status = m.status;
    const wasEnded = !this.closeBtn.hidden;
    this.endBtn.hidden = m.ended;
    this.transferBtn.hidden = m.ended;
    const tn = m.transferNote;
    this.transferNote.hidden = !tn;
    this.transferNote.textContent = tn ? S.pane.passedYou(tn.from, tn.note) : "";
    this.closeBtn.hidden = !m.ended;
    this.composer.form.hidden = m.ended;
    this.ended.hidden = !m.ended;
    this.ended.textContent = m.endedText;
    this.ended.dataset.by = m.presence.key;
    if (m.ended && !wasEnded) {
      this.typingLead.textContent = "";
      this.typingPreview.textContent = "";
      const active = this.doc.activeElement;
      if (this.panel.contains(active) && active !== this.closeBtn) this.closeBtn.focus();
      this.call("chatEnded", this.chatId); // its close form follows, inline (it never takes focus)
    }
    this.setUnread(m.unread);
  }

  /** Shown or hidden as its tab is selected or not. */
  select(on) {
    this.tab.setAttribute("aria-selected", String(on));
    this.tab.tabIndex = on ? 0 : -1;
    this.panel.hidden = !on;
    if (on) this.log.revealed();
  }

  /** The inline close form (docs/tickets.md), made on first use under the ended notice. */
  recordPanel() {
    if (!this.record) {
      this.record = new RecordPanel(this.doc, `lcd-record-p${this.n}`);
      this.ended.after(this.record.root);
    }
    return this.record;
  }

  remove() {
    this.tab.remove();
    this.panel.remove();
    this.mineLi.remove();
  }

  /** The text box (or Close Chat); `onlyIfInside`: only if focus is in this pane or nowhere. */
  focus(what, { onlyIfInside = false } = {}) {
    const active = this.doc.activeElement;
    if (onlyIfInside && !(this.panel.contains(active) || active === this.doc.body || !active)) return;
    const target = what === "close" ? this.closeBtn : this.composer.textarea;
    if (!target.hidden && !this.panel.hidden) target.focus();
  }

  setBusy(busy) {
    setBusy(this.endBtn, busy, busy && !this.endBtn.hidden ? S.pane.ending : S.pane.end);
    setBusy(this.closeBtn, busy, busy && !this.closeBtn.hidden ? S.pane.closing : S.pane.close);
  }

  showNotice(text) {
    this.notice.replaceChildren(el(this.doc, "p", "lcd-pane-notice", text));
  }

  clearNotice() {
    this.notice.replaceChildren();
  }

  setUnread(n) {
    for (const badge of [this.tabBadge, this.mineBadge]) setBadge(this.doc, badge, n, S.badge.unread(n));
    this.tab.dataset.unread = String(n || 0);
  }

  /** The patron's typing notice: {lead, preview}, or null for none. */
  setTyping(parts) {
    const lead = parts ? parts.lead : "";
    if (this.typingLead.textContent !== lead) this.typingLead.textContent = lead;
    this.typingPreview.textContent = parts ? parts.preview : "";
    this.typing.classList.toggle("lcd-typing--on", Boolean(parts));
  }
}
