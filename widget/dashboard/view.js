// The dashboard's DOM, behind the one interface the controller and main.js use: sign-in,
// header, tabs, the live-region announcer and notices here; the waiting list, the chat panes,
// message logs and dialogs in their own modules (view-*.js). Every patron and librarian string
// is set with textContent (never innerHTML); the words come from strings.js. Librarian actions
// are reported through `handlers`.

import { el } from "../js/dom.js";
import { isSendKey, stateLabel, tabTitle } from "./logic.js";
import { S } from "./strings.js";
import { autoGrow } from "./view-composer.js";
import { confirmDialog, transferDialog } from "./view-dialogs.js";
import { MessageLog } from "./view-log.js";
import { NewPasswordStep } from "./view-new-password.js";
import { ChatPane, setBadge } from "./view-pane.js";
import { supervises } from "./supervise.js";
import { WaitingList } from "./view-waiting.js";

const TICK_MS = 5000; // how often wait times refresh
const WAITING_STATUS_MS = 30000; // how long "a patron left before anyone answered" stays

export class DashboardView {
  constructor(doc = document, win = window) {
    this.doc = doc;
    this.win = win;
    this.now = () => Date.now();
    this.handlers = {};
    this.panes = new Map(); // chat_id -> ChatPane
    this.idNo = 0; // numbers the element ids of waiting rows and panes
    const $ = (id) => doc.getElementById(id);
    this.e = {
      boot: $("lcd-boot"),
      signin: $("lcd-signin"), signinForm: $("lcd-signin-form"), signinError: $("lcd-signin-error"),
      username: $("lcd-username"), password: $("lcd-password"), signinSubmit: $("lcd-signin-submit"),
      app: $("lcd-app"), conn: $("lcd-conn"), connText: $("lcd-conn-text"),
      notify: $("lcd-notify"), sound: $("lcd-sound"), signout: $("lcd-signout"),
      userName: $("lcd-user-name"), userRole: $("lcd-user-role"),
      tabs: $("lcd-tabs"), chatsTab: $("lcd-tab-chats"), waitingBadge: $("lcd-waiting-badge"),
      main: $("lcd-main"), chatsPanel: $("lcd-panel-chats"), notice: $("lcd-notice"),
      waiting: $("lcd-waiting"), waitingEmpty: $("lcd-waiting-empty"), waitingCount: $("lcd-waiting-count"),
      waitingStatus: $("lcd-waiting-status"),
      watch: $("lcd-watch"), watchOptions: $("lcd-watch-options"), watchNone: $("lcd-watch-none"),
      mine: $("lcd-mine"), mineEmpty: $("lcd-mine-empty"), capacity: $("lcd-capacity"),
      announcer: $("lcd-announcer"), dialog: $("lcd-dialog"), dialogTitle: $("lcd-dialog-title"),
      dialogBody: $("lcd-dialog-body"), dialogConfirm: $("lcd-dialog-confirm"), dialogCancel: $("lcd-dialog-cancel"),
      statusSelect: $("lcd-status-select"),
      staffTab: $("lcd-tab-staff"), staffPanel: $("lcd-panel-staff"), staffBadge: $("lcd-staff-badge"),
      teamTab: $("lcd-tab-team"), teamPanel: $("lcd-panel-team"),
      desksTab: $("lcd-tab-desks"), desksPanel: $("lcd-panel-desks"),
      roster: $("lcd-roster"), oneChat: $("lcd-onechat"),
      transfer: $("lcd-transfer"), transferTitle: $("lcd-transfer-title"), transferTargets: $("lcd-transfer-targets"),
      transferNote: $("lcd-transfer-note"),
      transferDesks: $("lcd-transfer-desks"), transferDesksSet: $("lcd-transfer-desks-set"),
      staffForm: $("lcd-staff-form"), staffText: $("lcd-staff-text"), staffNotice: $("lcd-staff-notice"),
    };
    this.waiting = new WaitingList(this);
    // The Internal Staff Chat's log works like a pane's (messages, pending, refusals).
    const text = this.e.staffText;
    this.staffLog = new MessageLog(doc, { scroll: $("lcd-staff-scroll"), log: $("lcd-staff-log"), outbox: $("lcd-staff-outbox") }, {
      fileUrl: (key) => this.call("fileUrl", "staff", key),
      putBack: (value) => {
        text.value = value;
        autoGrow(text);
        text.focus();
      },
      focusComposer: () => text.focus(),
      notice: (message) => this.showStaffNotice(message),
      clearNotice: () => this.e.staffNotice.replaceChildren(),
    });
    this.fixed = new Map([
      ["chats", { tab: this.e.chatsTab, panel: this.e.chatsPanel }],
      ["staff", { tab: this.e.staffTab, panel: this.e.staffPanel }],
      ["team", { tab: this.e.teamTab, panel: this.e.teamPanel }],
      ["desks", { tab: this.e.desksTab, panel: this.e.desksPanel }],
      ["tickets", { tab: $("lcd-tab-tickets"), panel: $("lcd-panel-tickets") }], // docs/tickets.md
      ["history", { tab: $("lcd-tab-history"), panel: $("lcd-panel-history") }],
      ["reports", { tab: $("lcd-tab-reports"), panel: $("lcd-panel-reports") }], // docs/reports.md
      ["supervise", { tab: $("lcd-tab-supervise"), panel: $("lcd-panel-supervise") }], // docs/supervision.md
    ]);
    // the first sign-in's new password, when a temporary one was used (view-new-password.js)
    this.newPassword = new NewPasswordStep(doc, this.e.signinForm, (name, ...args) => this.call(name, ...args));
    this.bindStatic();
  }

  call(name, ...args) {
    const fn = this.handlers[name];
    return fn ? fn(...args) : undefined;
  }

  nextId() {
    this.idNo += 1;
    return this.idNo;
  }

  bindStatic() {
    const e = this.e;
    e.signinForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const username = e.username.value.trim();
      const password = e.password.value;
      if (!username || !password) {
        this.signInError(S.signIn.missing);
        (username ? e.password : e.username).focus();
        return;
      }
      this.call("signIn", username, password);
    });
    e.signout.addEventListener("click", () => this.call("signOut"));
    e.sound.addEventListener("click", () => this.call("toggleSound"));
    e.notify.addEventListener("click", () => this.call("enableNotifications"));
    e.tabs.addEventListener("keydown", (ev) => this.onTabKey(ev));
    for (const [id, f] of this.fixed) f.tab.addEventListener("click", () => this.call("select", id, { focus: false }));
    e.statusSelect.addEventListener("change", () => this.call("setStatus", { state: e.statusSelect.value }));
    e.oneChat.addEventListener("change", () => this.call("setStatus", { chat_limit: e.oneChat.checked ? 1 : null }));
    e.staffText.addEventListener("keydown", (ev) => {
      if (isSendKey(ev)) {
        ev.preventDefault();
        e.staffForm.requestSubmit();
      }
    });
    e.staffForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (this.call("sendStaff", e.staffText.value)) {
        e.staffText.value = "";
        this.staffLog.stick = true;
      }
      e.staffText.focus();
    });
  }

  /** What holds messages for this chat id: a pane's log, or the staff room's. */
  logOf(chatId) {
    if (chatId === "staff") return this.staffLog;
    const p = this.panes.get(chatId);
    return p ? p.log : null;
  }

  // ------------------------------------------------------------------ screens

  showSignIn(message, kind = "error") {
    this.e.boot.hidden = true;
    this.e.app.hidden = true;
    this.e.signin.hidden = false;
    this.doc.title = tabTitle(0, false);
    this.signInBusy(false);
    this.signInError(message || "", kind);
    this.e.username.focus();
  }

  signInBusy(busy) {
    this.e.signinSubmit.disabled = busy;
    this.e.signinSubmit.textContent = busy ? S.signIn.busy : S.signIn.submit;
  }

  signInError(text, kind = "error") {
    const slot = this.e.signinError;
    slot.replaceChildren();
    if (!text) return;
    const p = el(this.doc, "p", "lcd-form-error-text", text);
    p.dataset.kind = kind;
    slot.append(p);
  }

  showApp() {
    this.e.boot.hidden = true;
    this.e.signin.hidden = true;
    this.e.app.hidden = false;
    this.e.password.value = "";
    if (!this.ticker) this.ticker = this.win.setInterval(() => this.waiting.tick(), TICK_MS);
    this.setWaitingCount(this.waiting.size);
  }

  // ------------------------------------------------------------------- header

  setOperator(me) {
    this.me = me;
    this.e.userName.textContent = me.name || me.id || "";
    this.e.userRole.textContent = S.header.role(me.role, me.max_chats);
    this.e.teamTab.hidden = me.role !== "admin";
    this.e.desksTab.hidden = me.role !== "admin";
    this.fixed.get("supervise").tab.hidden = !supervises(me);
  }

  /** The header's Available / Away and the staff tab's "one chat at a time" box. */
  setMyStatus(state, chatLimit) {
    this.e.statusSelect.value = state === "away" ? "away" : "available";
    this.e.oneChat.checked = chatLimit === 1;
  }

  setRoster(list) {
    const d = this.doc;
    this.e.roster.replaceChildren(...list.map((o) => {
      const li = el(d, "li", "lcd-roster-row");
      li.dataset.operatorId = o.id;
      li.dataset.state = o.state || "offline";
      const dot = el(d, "span", `lcd-dot lcd-dot--${o.state === "available" ? "online" : o.state === "away" ? "away" : "unknown"}`);
      dot.setAttribute("aria-hidden", "true");
      const name = el(d, "span", "lcd-roster-name", `${o.name || o.id}${o.me ? S.staff.you : ""}`);
      li.append(dot, name, el(d, "span", "lcd-roster-state", stateLabel(o.state)));
      // their own limit for today: from operator.status, and from welcome for who was on before me
      if (Number.isInteger(o.chat_limit) && o.chat_limit > 0) li.append(el(d, "span", "lcd-roster-limit", S.staff.ownLimit(o.chat_limit)));
      return li;
    }));
    this.roster = list;
  }

  setStaffUnread(n) {
    setBadge(this.doc, this.e.staffBadge, n, S.badge.unread(n));
  }

  showStaffNotice(text) {
    this.e.staffNotice.replaceChildren(el(this.doc, "p", "lcd-pane-notice", text));
  }

  setConnection(state) {
    this.e.conn.dataset.state = state;
    this.e.connText.textContent = S.header.connection[state] || state;
  }

  setNotifyState(state) {
    const b = this.e.notify;
    b.hidden = state === "granted" || state === "unsupported";
    if (state === "denied") {
      b.replaceChildren(S.header.notifyBlocked);
      b.title = S.header.notifyBlockedTitle;
    } else {
      b.replaceChildren(el(this.doc, "span", "lcd-wide", S.header.notifyWide),
        el(this.doc, "span", "lcd-narrow", S.header.notifyNarrow));
      b.removeAttribute("title");
    }
  }

  setSound(muted) {
    this.e.sound.setAttribute("aria-pressed", muted ? "false" : "true");
    this.e.sound.textContent = S.header.sound(muted);
  }

  // ---------------------------------------------------------------- notices

  /** The Chats tab's alert; `kind` names it, so that only it is taken back (clearNotice(kind)). */
  showNotice(text, kind = "") {
    const box = el(this.doc, "div", "lcd-notice");
    box.dataset.kind = kind;
    box.append(el(this.doc, "p", "lcd-notice-text", text));
    const dismiss = el(this.doc, "button", "lcd-btn lcd-btn--quiet lcd-notice-dismiss", S.dismiss);
    dismiss.type = "button";
    dismiss.addEventListener("click", () => {
      this.clearNotice();
      this.e.chatsTab.focus();
    });
    box.append(dismiss);
    this.e.notice.replaceChildren(box);
  }

  /** Without `kind`, whatever shows; with it, only a notice of that kind. */
  clearNotice(kind) {
    const box = this.e.notice.firstElementChild;
    if (kind && (!box || box.dataset.kind !== kind)) return;
    this.e.notice.replaceChildren();
  }

  /** Polite announcement for screen readers (kept briefly, then removed). */
  announce(text) {
    const p = el(this.doc, "p", null, text);
    this.e.announcer.append(p);
    while (this.e.announcer.childElementCount > 5) this.e.announcer.firstElementChild.remove();
    this.win.setTimeout(() => p.remove(), 15000);
  }

  /** A modal question; resolves true when the librarian confirms. Escape cancels. */
  confirm(opts) {
    return confirmDialog(this.doc, this.e, opts);
  }

  /** Where a chat goes: resolves {to, to_queue?, note} (to "" = back to the queue) or null. */
  transferDialog(opts) {
    return transferDialog(this.doc, this.e, opts);
  }

  // ------------------------------------------------------------------- tabs

  tabElements() {
    return [...this.e.tabs.querySelectorAll('[role="tab"]')].filter((t) => !t.hidden);
  }

  onTabKey(ev) {
    const tabs = this.tabElements();
    const i = tabs.indexOf(this.doc.activeElement);
    if (i < 0) return;
    let j = null;
    if (ev.key === "ArrowRight" || ev.key === "ArrowDown") j = (i + 1) % tabs.length;
    else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") j = (i - 1 + tabs.length) % tabs.length;
    else if (ev.key === "Home") j = 0;
    else if (ev.key === "End") j = tabs.length - 1;
    if (j === null) return;
    ev.preventDefault();
    this.call("select", tabs[j].dataset.chatId || tabs[j].dataset.tab || "chats", { focus: "tab" });
  }

  selectTab(id, { focus } = {}) {
    this.activeId = id;
    const isFixed = this.fixed.has(id);
    for (const [key, f] of this.fixed) {
      const on = key === id;
      f.tab.setAttribute("aria-selected", String(on));
      f.tab.tabIndex = on ? 0 : -1;
      f.panel.hidden = !on;
    }
    if (id === "staff") this.staffLog.revealed();
    for (const [chatId, p] of this.panes) p.select(chatId === id);
    if (focus === "tab") (isFixed ? this.fixed.get(id).tab : this.panes.get(id).tab).focus();
    else if (focus === "composer" && !isFixed) this.focusPane(id, "composer");
    if (!isFixed) this.panes.get(id).tab.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  // ------------------------------------------------------------ waiting list

  setWaitingCount(n) {
    this.waiting.setCount(n);
  }

  upsertWaiting(row) {
    this.waiting.upsert(row);
  }

  removeWaiting(chatId) {
    this.waiting.remove(chatId);
  }

  setClaimBusy(chatId, busy) {
    this.waiting.setClaimBusy(chatId, busy);
  }

  /** "Desks I watch today": [{id, label, checked}], and whether there is anything to choose. */
  setWatchOptions(options, opts) {
    this.waiting.setWatchOptions(options, opts);
  }

  /** The waiting list's desk headings: [{id, label}] (none: one plain list); `none`: I watch no desk. */
  setWaitingGroups(groups, opts) {
    this.waiting.setGroups(groups, opts);
  }

  /** Why a chat left the waiting list (a patron left first): polite, and gone after a while. */
  showWaitingStatus(text) {
    const box = this.e.waitingStatus;
    box.replaceChildren(el(this.doc, "p", "lcd-waiting-status-text", text));
    const shown = box.firstElementChild;
    this.win.setTimeout(() => {
      if (box.firstElementChild === shown) box.replaceChildren();
    }, WAITING_STATUS_MS);
  }

  setMineSummary(active, max) {
    this.e.capacity.textContent = S.wait.mine(active, max);
    this.e.mineEmpty.hidden = this.panes.size > 0;
  }

  // ------------------------------------------------------------------ panes

  openPane(chatId, model) {
    const pane = new ChatPane(this, chatId, this.nextId());
    this.e.tabs.append(pane.tab);
    this.e.mine.append(pane.mineLi);
    this.e.main.append(pane.panel);
    this.panes.set(chatId, pane);
    pane.update(model);
    this.e.mineEmpty.hidden = true;
  }

  /** Runs `fn(pane)` for an open pane; nothing for a chat without one. */
  withPane(chatId, fn) {
    const p = this.panes.get(chatId);
    if (p) fn(p);
  }

  updatePane(chatId, model) {
    this.withPane(chatId, (p) => p.update(model));
  }

  removePane(chatId) {
    this.withPane(chatId, (p) => {
      p.remove();
      this.panes.delete(chatId);
      this.e.mineEmpty.hidden = this.panes.size > 0;
    });
  }

  focusPane(chatId, what, opts) {
    this.withPane(chatId, (p) => p.focus(what, opts));
  }

  setPaneBusy(chatId, busy) {
    this.withPane(chatId, (p) => p.setBusy(busy));
  }

  setAttachBusy(chatId, busy) {
    this.withPane(chatId, (p) => p.composer.setAttachBusy(busy));
  }

  /** A file chosen with the paperclip (or pasted, dropped), waiting for Upload or Cancel. */
  showChosenFile(chatId, file) {
    this.withPane(chatId, (p) => p.composer.files.show(file));
  }

  clearChosenFile(chatId, opts) {
    this.withPane(chatId, (p) => p.composer.files.clear(opts));
  }

  setUnread(chatId, n) {
    this.withPane(chatId, (p) => p.setUnread(n));
  }

  setTyping(chatId, parts) {
    this.withPane(chatId, (p) => p.setTyping(parts));
  }

  showPaneNotice(chatId, text) {
    if (chatId === "staff") this.showStaffNotice(text);
    else this.withPane(chatId, (p) => p.showNotice(text));
  }

  clearPaneNotice(chatId) {
    if (chatId === "staff") this.e.staffNotice.replaceChildren();
    else this.withPane(chatId, (p) => p.clearNotice());
  }

  // --------------------------------------------------------------- messages

  addMessage(chatId, m, opts) {
    const log = this.logOf(chatId);
    if (log) log.add(m, opts);
  }

  setPending(chatId, items) {
    const log = this.logOf(chatId);
    if (log) log.setPending(items);
  }

  addRejected(chatId, item, reason) {
    const log = this.logOf(chatId);
    if (log) log.addRejected(item, reason);
  }
}
