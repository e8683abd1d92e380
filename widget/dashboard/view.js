// The dashboard's DOM: sign-in, header, tabs, the waiting list, "My chats", one pane per chat,
// the live-region announcer and the confirmation dialog. Every patron and librarian string is
// set with textContent (never innerHTML). Librarian actions are reported through `handlers`.

import {
  elapsed, formatBytes, formatClock, formatWait, insertText, isImageType, isSendKey, safeUrl, shortcutAt,
  snippet, stateLabel, tabTitle, waitLevel, MAX_TEXT,
} from "./logic.js";

const FILE_URL_FRESH_MS = 240000; // presigned GETs live 300 s: fetch a new one after 4 min

const TICK_MS = 5000; // how often wait times refresh
const NEAR_BOTTOM_PX = 80;

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export class DashboardView {
  constructor(doc = document, win = window) {
    this.doc = doc;
    this.win = win;
    this.now = () => Date.now();
    this.handlers = {};
    this.rows = new Map(); // chat_id -> waiting row parts
    this.panes = new Map(); // chat_id -> pane parts
    this.paneNo = 0;
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
      mine: $("lcd-mine"), mineEmpty: $("lcd-mine-empty"), capacity: $("lcd-capacity"),
      announcer: $("lcd-announcer"), dialog: $("lcd-dialog"), dialogTitle: $("lcd-dialog-title"),
      dialogBody: $("lcd-dialog-body"), dialogConfirm: $("lcd-dialog-confirm"), dialogCancel: $("lcd-dialog-cancel"),
      statusSelect: $("lcd-status-select"),
      staffTab: $("lcd-tab-staff"), staffPanel: $("lcd-panel-staff"), staffBadge: $("lcd-staff-badge"),
      teamTab: $("lcd-tab-team"), teamPanel: $("lcd-panel-team"),
      roster: $("lcd-roster"), oneChat: $("lcd-onechat"),
      transfer: $("lcd-transfer"), transferTitle: $("lcd-transfer-title"), transferTargets: $("lcd-transfer-targets"),
      transferNote: $("lcd-transfer-note"),
    };
    // The staff room reuses the pane machinery for its log (messages, pending, refusals).
    this.staffRoom = {
      chatId: "staff", stick: true, pendingEls: new Map(),
      scroll: $("lcd-staff-scroll"), log: $("lcd-staff-log"), outbox: $("lcd-staff-outbox"),
      form: $("lcd-staff-form"), textarea: $("lcd-staff-text"), notice: $("lcd-staff-notice"),
    };
    this.fixed = new Map([
      ["chats", { tab: this.e.chatsTab, panel: this.e.chatsPanel }],
      ["staff", { tab: this.e.staffTab, panel: this.e.staffPanel }],
      ["team", { tab: this.e.teamTab, panel: this.e.teamPanel }],
    ]);
    this.bindStatic();
  }

  call(name, ...args) {
    const fn = this.handlers[name];
    return fn ? fn(...args) : undefined;
  }

  bindStatic() {
    const e = this.e;
    e.signinForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const username = e.username.value.trim();
      const password = e.password.value;
      if (!username || !password) {
        this.signInError("Enter your username and password.");
        (username ? e.password : e.username).focus();
        return;
      }
      this.call("signIn", username, password);
    });
    e.signout.addEventListener("click", () => this.call("signOut"));
    e.sound.addEventListener("click", () => this.call("toggleSound"));
    e.notify.addEventListener("click", () => this.call("enableNotifications"));
    e.chatsTab.addEventListener("click", () => this.call("select", "chats", { focus: false }));
    e.tabs.addEventListener("keydown", (ev) => this.onTabKey(ev));
    e.staffTab.addEventListener("click", () => this.call("select", "staff", { focus: false }));
    e.teamTab.addEventListener("click", () => this.call("select", "team", { focus: false }));
    e.statusSelect.addEventListener("change", () => this.call("setStatus", { state: e.statusSelect.value }));
    e.oneChat.addEventListener("change", () => this.call("setStatus", { chat_limit: e.oneChat.checked ? 1 : null }));
    const room = this.staffRoom;
    room.scroll.addEventListener("scroll", () => {
      room.stick = this.nearBottom(room);
    });
    room.textarea.addEventListener("keydown", (ev) => {
      if (isSendKey(ev)) {
        ev.preventDefault();
        room.form.requestSubmit();
      }
    });
    room.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (this.call("sendStaff", room.textarea.value)) {
        room.textarea.value = "";
        room.stick = true;
      }
      room.textarea.focus();
    });
  }

  /** A pane, or the staff room: whatever holds messages for this chat id. */
  part(chatId) {
    return chatId === "staff" ? this.staffRoom : this.panes.get(chatId);
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
    this.e.signinSubmit.textContent = busy ? "Signing in…" : "Sign in";
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
    if (!this.ticker) this.ticker = this.win.setInterval(() => this.tick(), TICK_MS);
    this.setWaitingCount(this.rows.size);
  }

  // ------------------------------------------------------------------- header

  setOperator(me) {
    this.me = me;
    this.e.userName.textContent = me.name || me.id || "";
    const limit = Number.isInteger(me.max_chats) ? ` · up to ${me.max_chats} chat${me.max_chats === 1 ? "" : "s"}` : "";
    this.e.userRole.textContent = `${me.role || "librarian"}${limit}`;
    this.e.teamTab.hidden = me.role !== "admin";
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
      const name = el(d, "span", "lcd-roster-name", `${o.name || o.id}${o.me ? " (you)" : ""}`);
      const state = el(d, "span", "lcd-roster-state", stateLabel(o.state));
      li.append(dot, name, state);
      if (o.chat_limit === 1) li.append(el(d, "span", "lcd-roster-limit", "one chat at a time"));
      return li;
    }));
    this.roster = list;
  }

  setStaffUnread(n) {
    const b = this.e.staffBadge;
    b.hidden = !n;
    b.replaceChildren(el(this.doc, "span", null, String(n)), el(this.doc, "span", "lcd-sr-only", ` unread message${n === 1 ? "" : "s"}`));
  }

  showStaffNotice(text) {
    this.staffRoom.notice.replaceChildren(el(this.doc, "p", "lcd-pane-notice", text));
  }

  setConnection(state) {
    const words = { connecting: "Connecting…", open: "Connected", reconnecting: "Reconnecting…", closed: "Offline" };
    this.e.conn.dataset.state = state;
    this.e.connText.textContent = words[state] || state;
  }

  setNotifyState(state) {
    const b = this.e.notify;
    b.hidden = state === "granted" || state === "unsupported";
    if (state === "denied") {
      b.replaceChildren("Notifications blocked");
      b.title = "Desktop notifications are blocked in this browser's site settings.";
    } else {
      b.replaceChildren(el(this.doc, "span", "lcd-wide", "Enable desktop notifications"),
        el(this.doc, "span", "lcd-narrow", "Enable alerts"));
      b.removeAttribute("title");
    }
  }

  setSound(muted) {
    this.e.sound.setAttribute("aria-pressed", muted ? "false" : "true");
    this.e.sound.textContent = muted ? "Sound off" : "Sound on";
  }

  // ---------------------------------------------------------------- notices

  showNotice(text) {
    const slot = this.e.notice;
    slot.replaceChildren();
    const box = el(this.doc, "div", "lcd-notice");
    box.append(el(this.doc, "p", "lcd-notice-text", text));
    const dismiss = el(this.doc, "button", "lcd-btn lcd-btn--quiet lcd-notice-dismiss", "Dismiss");
    dismiss.type = "button";
    dismiss.addEventListener("click", () => {
      this.clearNotice();
      this.e.chatsTab.focus();
    });
    box.append(dismiss);
    slot.append(box);
  }

  clearNotice() {
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
  confirm({ title, body, confirm, cancel, defaultAction = "cancel" }) {
    const d = this.e.dialog;
    const opener = this.doc.activeElement;
    this.e.dialogTitle.textContent = title;
    this.e.dialogBody.textContent = body;
    this.e.dialogConfirm.textContent = confirm;
    this.e.dialogCancel.textContent = cancel;
    d.returnValue = "";
    return new Promise((resolve) => {
      const done = () => {
        d.removeEventListener("close", done);
        resolve(d.returnValue === "confirm");
        if (opener && opener.isConnected && !opener.closest("[hidden]") && typeof opener.focus === "function") {
          opener.focus();
        }
      };
      d.addEventListener("close", done);
      d.showModal();
      (defaultAction === "confirm" ? this.e.dialogConfirm : this.e.dialogCancel).focus();
    });
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
    const isChats = this.fixed.has(id);
    for (const [key, f] of this.fixed) {
      const on = key === id;
      f.tab.setAttribute("aria-selected", String(on));
      f.tab.tabIndex = on ? 0 : -1;
      f.panel.hidden = !on;
    }
    if (id === "staff" && this.staffRoom.stick) this.staffRoom.scroll.scrollTop = this.staffRoom.scroll.scrollHeight;
    for (const [chatId, p] of this.panes) {
      const on = chatId === id;
      p.tab.setAttribute("aria-selected", String(on));
      p.tab.tabIndex = on ? 0 : -1;
      p.panel.hidden = !on;
      if (on && p.stick) p.scroll.scrollTop = p.scroll.scrollHeight;
    }
    if (focus === "tab") (isChats ? this.fixed.get(id).tab : this.panes.get(id).tab).focus();
    else if (focus === "composer" && !isChats) this.focusPane(id, "composer");
    if (!isChats) this.panes.get(id).tab.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  // ------------------------------------------------------------ waiting list

  setWaitingCount(n) {
    this.e.waitingCount.textContent = String(n);
    this.e.waitingEmpty.hidden = n > 0;
    const b = this.e.waitingBadge;
    b.hidden = n === 0;
    b.replaceChildren(el(this.doc, "span", null, String(n)), el(this.doc, "span", "lcd-sr-only", " waiting"));
    this.doc.title = tabTitle(n, true);
  }

  upsertWaiting(row) {
    let r = this.rows.get(row.chat_id);
    if (!r) {
      const d = this.doc;
      const li = el(d, "li", "lcd-wait-row");
      li.dataset.chatId = row.chat_id;
      const main = el(d, "div", "lcd-wait-main");
      const q = el(d, "p", "lcd-wait-question");
      q.id = `lcd-q-${++this.paneNo}`;
      const meta = el(d, "p", "lcd-wait-meta");
      const name = el(d, "span", "lcd-wait-name");
      const queue = el(d, "span", "lcd-wait-queue");
      meta.append(name, queue);
      const note = el(d, "p", "lcd-wait-note");
      main.append(q, meta, note);
      const wait = el(d, "p", "lcd-wait-time");
      const label = el(d, "span", "lcd-wait-label", "Waiting");
      const time = el(d, "time", "lcd-wait-clock");
      wait.append(label, time);
      const claim = el(d, "button", "lcd-btn lcd-btn--primary lcd-claim", "Claim Chat");
      claim.type = "button";
      claim.setAttribute("aria-describedby", q.id);
      claim.addEventListener("click", () => {
        if (claim.getAttribute("aria-disabled") === "true") return;
        this.call("claim", row.chat_id);
      });
      li.append(main, wait, claim);
      // oldest first: the patron who has waited longest is at the top
      const t = Date.parse(row.created_at) || 0;
      li.dataset.created = String(t);
      const after = [...this.e.waiting.children].find((o) => Number(o.dataset.created) > t);
      this.e.waiting.insertBefore(li, after || null);
      r = { li, q, name, queue, time, claim, note };
      this.rows.set(row.chat_id, r);
    }
    r.created_at = row.created_at;
    r.q.textContent = row.question;
    r.name.textContent = row.name || "Patron";
    r.queue.textContent = row.queue || "";
    r.queue.hidden = !row.queue;
    r.note.textContent = row.note ? `Note: ${row.note}` : "";
    r.note.hidden = !row.note;
    r.time.dateTime = row.created_at || "";
    const since = formatClock(row.created_at);
    r.time.title = since ? `Waiting since ${since}` : "";
    this.tickRow(r);
  }

  tickRow(r) {
    const ms = elapsed(r.created_at, this.now());
    const text = formatWait(ms);
    if (r.time.textContent !== text) r.time.textContent = text;
    r.li.dataset.wait = waitLevel(ms);
  }

  tick() {
    for (const r of this.rows.values()) this.tickRow(r);
  }

  removeWaiting(chatId) {
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
    if (!r) return;
    if (busy) r.claim.setAttribute("aria-disabled", "true");
    else r.claim.removeAttribute("aria-disabled");
    r.claim.textContent = busy ? "Claiming…" : "Claim Chat";
  }

  setMineSummary(active, max) {
    const n = Number.isInteger(max) ? ` of ${max}` : "";
    this.e.capacity.textContent = `${active}${n} active`;
    this.e.mineEmpty.hidden = this.panes.size > 0;
  }

  // ------------------------------------------------------------------ panes

  openPane(chatId, model) {
    const d = this.doc;
    const n = ++this.paneNo;
    const p = { chatId, n, stick: true, pendingEls: new Map() };

    // tab
    const tab = el(d, "button", "lcd-tab lcd-tab--chat");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.id = `lcd-tab-p${n}`;
    tab.dataset.chatId = chatId;
    tab.setAttribute("aria-controls", `lcd-panel-p${n}`);
    tab.setAttribute("aria-selected", "false");
    tab.tabIndex = -1;
    p.tabDot = el(d, "span", "lcd-dot");
    p.tabDot.setAttribute("aria-hidden", "true");
    p.tabName = el(d, "span", "lcd-tab-label");
    p.tabSnippet = el(d, "span", "lcd-tab-snippet");
    p.tabStatus = el(d, "span", "lcd-sr-only");
    p.tabBadge = el(d, "span", "lcd-badge lcd-badge--unread");
    p.tabBadge.hidden = true;
    tab.append(p.tabDot, p.tabName, p.tabSnippet, p.tabStatus, p.tabBadge);
    tab.addEventListener("click", () => this.call("select", chatId, { focus: false }));
    this.e.tabs.append(tab);
    p.tab = tab;

    // "My chats" row on the Chats tab
    const mineLi = el(d, "li", "lcd-mine-row");
    const mineBtn = el(d, "button", "lcd-mine-open");
    mineBtn.type = "button";
    p.mineStatus = el(d, "span", "lcd-status lcd-status--small");
    p.mineName = el(d, "span", "lcd-mine-name");
    p.mineSnippet = el(d, "span", "lcd-mine-snippet");
    p.mineBadge = el(d, "span", "lcd-badge lcd-badge--unread");
    p.mineBadge.hidden = true;
    const mineText = el(d, "span", "lcd-mine-text");
    mineText.append(p.mineName, p.mineSnippet);
    mineBtn.append(mineText, p.mineStatus, p.mineBadge);
    mineBtn.addEventListener("click", () => this.call("select", chatId, { focus: "composer" }));
    mineLi.append(mineBtn);
    this.e.mine.append(mineLi);
    p.mineLi = mineLi;

    // pane
    const panel = el(d, "section", "lcd-panel lcd-pane");
    panel.id = `lcd-panel-p${n}`;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    panel.dataset.chatId = chatId;
    panel.hidden = true;

    const head = el(d, "header", "lcd-pane-head");
    const who = el(d, "div", "lcd-pane-who");
    const titleRow = el(d, "div", "lcd-pane-title-row");
    p.name = el(d, "h1", "lcd-pane-name");
    p.status = el(d, "p", "lcd-status");
    p.statusDot = el(d, "span", "lcd-status-dot");
    p.statusDot.setAttribute("aria-hidden", "true");
    p.statusLabel = el(d, "span", "lcd-status-label");
    p.status.append(el(d, "span", "lcd-sr-only", "Patron status: "), p.statusDot, p.statusLabel);
    titleRow.append(p.name, p.status);
    p.question = el(d, "p", "lcd-pane-question");
    p.meta = el(d, "p", "lcd-pane-meta");
    who.append(titleRow, p.question, p.meta);
    const actions = el(d, "div", "lcd-pane-actions");
    p.endBtn = el(d, "button", "lcd-btn lcd-btn--danger lcd-end", "End Chat");
    p.endBtn.type = "button";
    p.endBtn.addEventListener("click", () => {
      if (p.endBtn.getAttribute("aria-disabled") !== "true") this.call("end", chatId);
    });
    p.closeBtn = el(d, "button", "lcd-btn lcd-btn--primary lcd-close", "Close Chat");
    p.closeBtn.type = "button";
    p.closeBtn.hidden = true;
    p.closeBtn.addEventListener("click", () => {
      if (p.closeBtn.getAttribute("aria-disabled") !== "true") this.call("close", chatId);
    });
    p.transferBtn = el(d, "button", "lcd-btn lcd-transfer", "Transfer");
    p.transferBtn.type = "button";
    p.transferBtn.addEventListener("click", () => this.call("transfer", chatId));
    actions.append(p.transferBtn, p.endBtn, p.closeBtn);
    head.append(who, actions);

    p.notice = el(d, "div", "lcd-pane-notice-slot");
    p.notice.setAttribute("role", "alert");
    p.ended = el(d, "p", "lcd-ended");
    p.ended.hidden = true;
    p.transferNote = el(d, "p", "lcd-transfer-note");
    p.transferNote.hidden = true;

    p.scroll = el(d, "div", "lcd-scroll");
    p.scroll.tabIndex = 0;
    p.scroll.setAttribute("role", "region");
    p.logRegion = el(d, "div", "lcd-log-region");
    p.logRegion.setAttribute("role", "log");
    p.logRegion.setAttribute("aria-live", "polite");
    p.log = el(d, "ol", "lcd-log");
    p.logRegion.append(p.log);
    p.outbox = el(d, "ol", "lcd-outbox"); // not live: the stored message is announced instead
    p.scroll.append(p.logRegion, p.outbox);
    p.scroll.addEventListener("scroll", () => {
      p.stick = p.scroll.scrollHeight - p.scroll.scrollTop - p.scroll.clientHeight < NEAR_BOTTOM_PX;
    });

    p.typing = el(d, "div", "lcd-typing");
    p.typingLead = el(d, "span", "lcd-typing-lead");
    p.typingLead.setAttribute("role", "status");
    p.typingPreview = el(d, "span", "lcd-typing-preview");
    p.typing.append(p.typingLead, p.typingPreview);

    const form = el(d, "form", "lcd-composer");
    form.noValidate = true;
    const label = el(d, "label", "lcd-sr-only");
    const ta = el(d, "textarea", "lcd-textarea");
    ta.id = `lcd-text-p${n}`;
    label.htmlFor = ta.id;
    ta.rows = 2;
    ta.maxLength = MAX_TEXT;
    ta.placeholder = "Type your reply…";
    const hint = el(d, "span", "lcd-hint", "Enter to send · Shift+Enter for a new line");
    hint.id = `lcd-hint-p${n}`;
    ta.setAttribute("aria-describedby", hint.id);
    const bar = el(d, "div", "lcd-composer-bar");
    const send = el(d, "button", "lcd-btn lcd-btn--primary lcd-send", "Send Message");
    send.type = "submit";
    const tools = el(d, "div", "lcd-composer-tools");
    const cannedBtn = el(d, "button", "lcd-btn lcd-btn--quiet lcd-canned-open", "Canned Messages");
    cannedBtn.type = "button";
    cannedBtn.setAttribute("aria-haspopup", "dialog");
    cannedBtn.addEventListener("click", () => this.call("openCanned", ta));
    p.attachBtn = el(d, "button", "lcd-btn lcd-btn--quiet lcd-attach", "Attach a file");
    p.attachBtn.type = "button";
    p.file = el(d, "input", "lcd-file");
    p.file.type = "file";
    p.file.hidden = true; // the button opens it
    p.file.setAttribute("aria-label", "Attach a file");
    p.file.accept = "image/*,.pdf,.txt,.csv,.rtf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp";
    p.attachBtn.addEventListener("click", () => {
      if (p.attachBtn.getAttribute("aria-disabled") !== "true") p.file.click();
    });
    p.file.addEventListener("change", () => {
      const file = p.file.files && p.file.files[0];
      p.file.value = "";
      if (file) this.call("attach", chatId, file);
    });
    tools.append(cannedBtn, p.attachBtn, p.file);
    bar.append(tools, hint, send);
    // `/shortcut` suggestions: a listbox under the text box (combobox pattern)
    const suggest = el(d, "ul", "lcd-suggest");
    suggest.id = `lcd-suggest-p${n}`;
    suggest.setAttribute("role", "listbox");
    suggest.setAttribute("aria-label", "Canned messages by shortcut");
    suggest.hidden = true;
    ta.setAttribute("aria-autocomplete", "list");
    ta.setAttribute("aria-controls", suggest.id);
    p.suggest = { list: suggest, items: [], index: 0, range: null };
    form.append(label, ta, suggest, bar);
    ta.addEventListener("paste", (ev) => {
      const files = ev.clipboardData && [...ev.clipboardData.files];
      if (files && files.length) {
        ev.preventDefault();
        this.call("attach", chatId, files[0]);
      }
    });
    ta.addEventListener("dragover", (ev) => {
      if (ev.dataTransfer && [...ev.dataTransfer.types].includes("Files")) ev.preventDefault();
    });
    ta.addEventListener("drop", (ev) => {
      const files = ev.dataTransfer && [...ev.dataTransfer.files];
      if (files && files.length) {
        ev.preventDefault();
        this.call("attach", chatId, files[0]);
      }
    });
    ta.addEventListener("keydown", (ev) => {
      if (this.suggestKey(p, ev)) return;
      if (isSendKey(ev)) {
        ev.preventDefault();
        form.requestSubmit();
      }
    });
    ta.addEventListener("blur", () => this.win.setTimeout(() => this.hideSuggest(p), 150));
    ta.addEventListener("input", () => {
      this.autoGrow(ta);
      this.updateSuggest(p);
      this.call("composing", chatId, ta.value.trim().length > 0);
    });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (!ta.value.trim()) {
        ta.focus();
        return;
      }
      if (this.call("send", chatId, ta.value)) {
        ta.value = "";
        this.autoGrow(ta);
        p.stick = true;
        ta.focus();
      }
    });
    p.form = form;
    p.textarea = ta;
    p.label = label;

    panel.append(head, p.notice, p.transferNote, p.scroll, p.typing, p.ended, form);
    this.e.main.append(panel);
    p.panel = panel;
    this.panes.set(chatId, p);
    this.updatePane(chatId, model);
    this.e.mineEmpty.hidden = true;
  }

  // ------------------------------------------------------ shortcut suggestions

  updateSuggest(p) {
    const ta = p.textarea;
    const at = ta.selectionStart === ta.selectionEnd ? shortcutAt(ta.value, ta.selectionStart) : null;
    const items = at ? this.call("cannedShortcuts", at.prefix) || [] : [];
    if (!items.length) {
      this.hideSuggest(p);
      return;
    }
    const s = p.suggest;
    s.items = items;
    s.range = at;
    s.index = 0;
    s.list.replaceChildren(...items.map((c, i) => {
      const li = el(this.doc, "li", "lcd-suggest-item");
      li.id = `${s.list.id}-${i}`;
      li.setAttribute("role", "option");
      li.append(el(this.doc, "span", "lcd-suggest-key", `/${c.shortcut}`), el(this.doc, "span", "lcd-suggest-title", c.title));
      li.addEventListener("mousedown", (ev) => {
        ev.preventDefault(); // keep focus in the text box
        s.index = i;
        this.pickSuggest(p);
      });
      return li;
    }));
    if (s.list.hidden || s.list.childElementCount !== items.length) {
      this.announce(`${items.length} canned message${items.length === 1 ? "" : "s"} for this shortcut. Arrow keys choose, Enter or Tab inserts, Escape closes.`);
    }
    s.list.hidden = false;
    this.markSuggest(p);
  }

  markSuggest(p) {
    const s = p.suggest;
    [...s.list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === s.index)));
    p.textarea.setAttribute("aria-activedescendant", `${s.list.id}-${s.index}`);
  }

  hideSuggest(p) {
    const s = p.suggest;
    if (s.list.hidden) return;
    s.list.hidden = true;
    s.list.replaceChildren();
    s.items = [];
    p.textarea.removeAttribute("aria-activedescendant");
  }

  pickSuggest(p) {
    const s = p.suggest;
    const c = s.items[s.index];
    if (!c || !s.range) return;
    const ta = p.textarea;
    const next = insertText(ta.value, s.range.start, s.range.end, c.text);
    ta.value = next.value;
    ta.setSelectionRange(next.caret, next.caret);
    this.hideSuggest(p);
    this.autoGrow(ta);
    ta.focus();
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /** Keys while suggestions show; true when the key was theirs. */
  suggestKey(p, ev) {
    const s = p.suggest;
    if (s.list.hidden || !s.items.length) return false;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      s.index = (s.index + (ev.key === "ArrowDown" ? 1 : s.items.length - 1)) % s.items.length;
      this.markSuggest(p);
      return true;
    }
    if ((ev.key === "Enter" || ev.key === "Tab") && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      this.pickSuggest(p);
      return true;
    }
    if (ev.key === "Escape") {
      ev.preventDefault();
      this.hideSuggest(p);
      return true;
    }
    return false;
  }

  setAttachBusy(chatId, busy) {
    const p = this.panes.get(chatId);
    if (!p) return;
    if (busy) p.attachBtn.setAttribute("aria-disabled", "true");
    else p.attachBtn.removeAttribute("aria-disabled");
    p.attachBtn.textContent = busy ? "Uploading…" : "Attach a file";
  }

  /** Where a chat goes: a colleague (radio) or back to the queue, and an optional note. */
  transferDialog({ name, targets }) {
    const d = this.doc;
    const dlg = this.e.transfer;
    const opener = d.activeElement;
    this.e.transferTitle.textContent = `Transfer the chat with ${name}`;
    this.e.transferNote.value = "";
    const options = [...targets.map((o) => ({ value: o.id, label: `${o.name || o.id}${o.state === "away" ? " (away)" : ""}` })),
      { value: "", label: "Back to the queue" }];
    this.e.transferTargets.replaceChildren(...options.map((o, i) => {
      const lab = el(d, "label", "lcd-radio");
      const input = el(d, "input");
      input.type = "radio";
      input.name = "lcd-transfer-to";
      input.value = o.value;
      input.checked = i === 0;
      lab.append(input, el(d, "span", null, o.label));
      return lab;
    }));
    dlg.returnValue = "";
    return new Promise((resolve) => {
      const done = () => {
        dlg.removeEventListener("close", done);
        if (dlg.returnValue !== "confirm") resolve(null);
        else {
          const picked = this.e.transferTargets.querySelector("input:checked");
          resolve({ to: picked ? picked.value : "", note: this.e.transferNote.value });
        }
        if (opener && opener.isConnected && !opener.closest("[hidden]") && typeof opener.focus === "function") opener.focus();
      };
      dlg.addEventListener("close", done);
      dlg.showModal();
      const first = this.e.transferTargets.querySelector("input");
      if (first) first.focus();
    });
  }

  autoGrow(ta) {
    ta.style.height = "auto";
    ta.style.height = `${Math.min(ta.scrollHeight + 2, 200)}px`;
  }

  updatePane(chatId, m) {
    const p = this.panes.get(chatId);
    if (!p) return;
    p.model = m;
    const question = snippet(m.question, 40);
    p.tabName.textContent = m.name;
    p.tabSnippet.textContent = question;
    p.tabStatus.textContent = `, ${m.presence.label}`;
    p.tabDot.className = `lcd-dot lcd-dot--${m.presence.key}`;
    p.mineName.textContent = m.name;
    p.mineSnippet.textContent = snippet(m.question, 70);
    p.mineStatus.className = `lcd-status lcd-status--small lcd-status--${m.presence.key}`;
    p.mineStatus.textContent = m.presence.label;

    p.name.textContent = m.name;
    p.question.textContent = m.question;
    p.question.hidden = !m.question;
    p.status.className = `lcd-status lcd-status--${m.presence.key}`;
    p.status.dataset.presence = m.presence.key;
    p.statusLabel.textContent = m.presence.label;
    const bits = [];
    if (m.queue) bits.push(m.queue);
    if (m.created_at && m.claimed_at) bits.push(`waited ${formatWait(elapsed(m.created_at, Date.parse(m.claimed_at)))}`);
    if (m.claimed_at) bits.push(`claimed ${formatClock(m.claimed_at)}`);
    p.meta.textContent = bits.join(" · ");
    p.meta.hidden = bits.length === 0;
    p.scroll.setAttribute("aria-label", `Conversation with ${m.name}`);
    p.logRegion.setAttribute("aria-label", `Messages with ${m.name}`);
    p.label.textContent = `Message to ${m.name}`;

    p.panel.dataset.status = m.status;
    const wasEnded = !p.closeBtn.hidden;
    p.endBtn.hidden = m.ended;
    p.transferBtn.hidden = m.ended;
    const tn = m.transferNote;
    p.transferNote.hidden = !tn;
    p.transferNote.textContent = tn ? `${tn.from} passed you this chat${tn.note ? `. Note: ${tn.note}` : "."}` : "";
    p.closeBtn.hidden = !m.ended;
    p.form.hidden = m.ended;
    p.ended.hidden = !m.ended;
    p.ended.textContent = m.endedText;
    p.ended.dataset.by = m.presence.key;
    if (m.ended && !wasEnded) {
      p.typingLead.textContent = "";
      p.typingPreview.textContent = "";
      if (p.panel.contains(this.doc.activeElement) && this.doc.activeElement !== p.closeBtn) p.closeBtn.focus();
    }
    this.setUnread(chatId, m.unread);
  }

  removePane(chatId) {
    const p = this.panes.get(chatId);
    if (!p) return;
    p.tab.remove();
    p.panel.remove();
    p.mineLi.remove();
    this.panes.delete(chatId);
    this.e.mineEmpty.hidden = this.panes.size > 0;
  }

  focusPane(chatId, what, { onlyIfInside = false } = {}) {
    const p = this.panes.get(chatId);
    if (!p) return;
    const active = this.doc.activeElement;
    if (onlyIfInside && !(p.panel.contains(active) || active === this.doc.body || !active)) return;
    const target = what === "close" ? p.closeBtn : p.textarea;
    if (!target.hidden && !p.panel.hidden) target.focus();
  }

  setPaneBusy(chatId, busy) {
    const p = this.panes.get(chatId);
    if (!p) return;
    for (const b of [p.endBtn, p.closeBtn]) {
      if (busy) b.setAttribute("aria-disabled", "true");
      else b.removeAttribute("aria-disabled");
    }
    p.endBtn.textContent = busy && !p.endBtn.hidden ? "Ending…" : "End Chat";
    p.closeBtn.textContent = busy && !p.closeBtn.hidden ? "Closing…" : "Close Chat";
  }

  showPaneNotice(chatId, text) {
    const p = this.part(chatId);
    if (!p) return;
    p.notice.replaceChildren(el(this.doc, "p", "lcd-pane-notice", text));
  }

  clearPaneNotice(chatId) {
    const p = this.part(chatId);
    if (p) p.notice.replaceChildren();
  }

  setUnread(chatId, n) {
    const p = this.panes.get(chatId);
    if (!p) return;
    for (const badge of [p.tabBadge, p.mineBadge]) {
      badge.hidden = !n;
      badge.replaceChildren(el(this.doc, "span", null, String(n)),
        el(this.doc, "span", "lcd-sr-only", ` unread message${n === 1 ? "" : "s"}`));
    }
    p.tab.dataset.unread = String(n || 0);
  }

  setTyping(chatId, parts) {
    const p = this.panes.get(chatId);
    if (!p) return;
    const lead = parts ? parts.lead : "";
    if (p.typingLead.textContent !== lead) p.typingLead.textContent = lead;
    p.typingPreview.textContent = parts ? parts.preview : "";
    p.typing.classList.toggle("lcd-typing--on", Boolean(parts));
  }

  // --------------------------------------------------------------- messages

  nearBottom(p) {
    return p.scroll.scrollHeight - p.scroll.scrollTop - p.scroll.clientHeight < NEAR_BOTTOM_PX;
  }

  stickAfter(p, force) {
    if (force || p.stick) {
      p.scroll.scrollTop = p.scroll.scrollHeight;
      p.stick = true;
    }
  }

  messageItem(m, { own, patronName, chatId }) {
    const d = this.doc;
    const role = m.sender && m.sender.role;
    const kind = role === "system" ? "system" : own ? "own" : role === "patron" ? "patron" : "operator";
    const li = el(d, "li", `lcd-msg lcd-msg--${kind}`);
    if (Number.isInteger(m.seq)) li.dataset.seq = String(m.seq);
    li.dataset.who = `${kind}:${(m.sender && m.sender.id) || ""}`;
    li.dataset.at = String(Date.parse(m.sent_at) || 0);
    const meta = el(d, "p", "lcd-msg-meta");
    const whoText = kind === "own" ? "You" : kind === "patron" ? patronName
      : kind === "system" ? "Library chat" : (m.sender && m.sender.name) || "Librarian";
    meta.append(el(d, "span", "lcd-msg-who", whoText));
    if (m.sent_at) {
      const t = el(d, "time", "lcd-msg-time", formatClock(m.sent_at));
      t.dateTime = m.sent_at;
      meta.append(t);
    }
    li.append(meta);
    if (m.text) li.append(el(d, "p", "lcd-msg-text", m.text));
    if (m.attachment && m.attachment.key) li.append(this.fileChip(chatId, m.attachment));
    else if (!m.text) li.append(el(d, "p", "lcd-msg-text", ""));
    return li;
  }

  /** A file in a message: a download link (and a thumbnail for images), URLs fetched lazily. */
  fileChip(chatId, a) {
    const d = this.doc;
    const name = a.name || "file";
    const chip = el(d, "div", "lcd-file");
    const link = el(d, "a", "lcd-file-link");
    link.append(el(d, "span", "lcd-file-name", name), el(d, "span", "lcd-file-size", ` (${formatBytes(a.size)})`));
    link.setAttribute("aria-label", `Download ${name}`);
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    let img = null;
    if (isImageType(a.content_type)) {
      img = el(d, "img", "lcd-file-thumb");
      img.alt = name;
      img.hidden = true;
      chip.append(img);
    }
    chip.append(link);
    let fetchedAt = 0;
    const refresh = async () => {
      try {
        const res = await this.call("fileUrl", chatId, a.key);
        const url = res && safeUrl(res.url);
        if (!url) return;
        fetchedAt = Date.now();
        link.href = url;
        if (img && !img.src) {
          img.src = url;
          img.hidden = false;
        }
      } catch {
        link.title = "The file cannot be opened now.";
      }
    };
    refresh();
    const stale = () => {
      if (Date.now() - fetchedAt > FILE_URL_FRESH_MS) refresh();
    };
    link.addEventListener("pointerenter", stale);
    link.addEventListener("focus", stale);
    return chip;
  }

  addMessage(chatId, m, opts) {
    const p = this.part(chatId);
    if (!p) return;
    if (p.log.querySelector(`[data-seq="${m.seq}"]`)) return;
    const stick = this.nearBottom(p) || p.stick;
    const li = this.messageItem(m, { ...opts, chatId });
    // in seq order, whatever order history and pushes arrive in
    let before = null;
    for (let node = p.log.lastElementChild; node; node = node.previousElementSibling) {
      if (Number(node.dataset.seq) > m.seq) before = node;
      else break;
    }
    p.log.insertBefore(li, before);
    this.group(li);
    if (li.nextElementSibling) this.group(li.nextElementSibling);
    if (opts.own && m.client_msg_id) this.dropPending(p, m.client_msg_id);
    this.stickAfter(p, stick || opts.own);
  }

  /** A message right after another from the same sender (within 2 minutes) sits under it. */
  group(li) {
    const prev = li.previousElementSibling;
    const same = Boolean(prev) && prev.dataset.who === li.dataset.who && !li.dataset.who.startsWith("system")
      && Math.abs(Number(li.dataset.at) - Number(prev.dataset.at)) < 120000;
    li.classList.toggle("lcd-msg--cont", same);
  }

  dropPending(p, id) {
    const item = p.pendingEls.get(id);
    if (item) item.remove();
    p.pendingEls.delete(id);
  }

  setPending(chatId, items) {
    const p = this.part(chatId);
    if (!p) return;
    const keep = new Set(items.map((i) => i.client_msg_id));
    for (const id of [...p.pendingEls.keys()]) if (!keep.has(id)) this.dropPending(p, id);
    for (const item of items) {
      if (p.pendingEls.has(item.client_msg_id)) continue;
      const li = el(this.doc, "li", "lcd-msg lcd-msg--own lcd-msg--pending");
      const meta = el(this.doc, "p", "lcd-msg-meta");
      meta.append(el(this.doc, "span", "lcd-msg-who", "You"), el(this.doc, "span", "lcd-msg-state", "Sending…"));
      li.append(meta, el(this.doc, "p", "lcd-msg-text", item.text || (item.attachment ? `File: ${item.attachment.name}` : "")));
      p.outbox.append(li);
      p.pendingEls.set(item.client_msg_id, li);
    }
    this.stickAfter(p, items.length > 0);
  }

  addRejected(chatId, item, reason) {
    const p = this.part(chatId);
    if (!p) return;
    const d = this.doc;
    const li = el(d, "li", "lcd-msg lcd-msg--own lcd-msg--rejected");
    const meta = el(d, "p", "lcd-msg-meta");
    meta.append(el(d, "span", "lcd-msg-who", "You"), el(d, "span", "lcd-msg-state", "Not sent"));
    const why = el(d, "p", "lcd-msg-reason", reason);
    const text = el(d, "p", "lcd-msg-text", item.text || "");
    const tools = el(d, "p", "lcd-msg-tools");
    const back = el(d, "button", "lcd-btn lcd-btn--quiet lcd-btn--small", "Put back in the text box");
    back.type = "button";
    back.addEventListener("click", () => {
      if (!p.form.hidden) {
        p.textarea.value = item.text || "";
        this.autoGrow(p.textarea);
        p.textarea.focus();
      }
      li.remove();
      this.clearPaneNotice(chatId);
    });
    const dismiss = el(d, "button", "lcd-btn lcd-btn--quiet lcd-btn--small", "Dismiss");
    dismiss.type = "button";
    dismiss.addEventListener("click", () => {
      li.remove();
      this.clearPaneNotice(chatId);
      if (!p.form.hidden) p.textarea.focus();
    });
    tools.append(back, dismiss);
    li.append(meta, text, why, tools);
    p.outbox.append(li);
    this.showPaneNotice(chatId, `A message was not sent: ${reason}`);
    this.stickAfter(p, true);
  }
}
