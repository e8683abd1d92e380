// The dashboard's state and behaviour: what the waiting list and the chat panes hold, and what
// each server frame and each librarian action does to them. No DOM here: the view renders and
// reports intents; the shared ProtocolClient (../js/protocol.js) talks to the service.

import {
  CONFLICT_TEXT, claimNeedsWarning, elapsed, endedText, errorText, isOwn, newRequestId,
  patronName, presenceView, rosterList, snippet, transferErrorText, transferTargets, typingText, unreadCount,
  warningText, fileProblem,
} from "./logic.js";

export const STAFF = "staff"; // the Internal Staff Chat's chat id (docs/protocol.md)

const TYPING_IDLE_MS = 4000; // stop "typing" after this long without a keystroke
const TYPING_REFRESH_MS = 8000; // say "still typing" this often while typing goes on
const TYPING_SHOW_MS = 15000; // hide the patron's typing notice if no update came

export class Dashboard {
  /**
   * @param {object} o
   * @param {object} o.client    ProtocolClient (or a fake with the same methods/events)
   * @param {object} o.view      DashboardView (or a recording fake)
   * @param {object} o.api       Api: history(chatId, after)
   * @param {object} o.alerts    Alerts: chime(), notify(title, body, tag)
   * @param {object} o.operator  {id, name, role, max_chats} from sign-in
   * @param {object} [o.ui]      persisted UI state {active, read: {id: seq}, endedBy: {id: who}}
   * @param {Function} [o.saveUi]   (ui) => void
   * @param {Function} [o.onAuthLost] () => void   a REST call said the token is no good
   * @param {Function} [o.now]
   * @param {object} [o.timers]  {setTimeout, clearTimeout}
   */
  constructor(o) {
    this.client = o.client;
    this.view = o.view;
    this.api = o.api;
    this.alerts = o.alerts;
    this.me = { ...o.operator };
    this.ui = { active: "chats", read: {}, endedBy: {}, ...(o.ui || {}) };
    this.saveUiFn = o.saveUi || (() => {});
    this.onAuthLost = o.onAuthLost || (() => {});
    this.now = o.now || Date.now;
    this.setTimeout = (o.timers && o.timers.setTimeout) || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = (o.timers && o.timers.clearTimeout) || globalThis.clearTimeout.bind(globalThis);
    this.queueNames = {};
    this.queue = new Map(); // chat_id -> Chat, waiting
    this.panes = new Map(); // chat_id -> pane state
    this.requests = new Map(); // request_id -> {action, chat_id}
    this.active = "chats";
    this.welcomed = false;
    this.roster = new Map(); // operator id -> {id, name, state, chat_limit?}: who is signed in
    this.staff = { seqs: new Set(), unread: 0, loaded: false, loading: false };
    this.unsubscribe = [
      this.client.on("welcome", (f) => this.onWelcome(f)),
      this.client.on("frame", (f) => this.onFrame(f)),
      this.client.on("message", (d) => this.onMessage(d.chat_id, d.message, true)),
      this.client.on("pending", (d) => this.view.setPending(d.chat_id, d.items)),
      this.client.on("rejected", (d) => this.onRejected(d)),
      this.client.on("state", (d) => this.view.setConnection(d.state)),
    ];
    this.view.setOperator(this.me);
    this.refreshQueue();
  }

  dispose() {
    for (const off of this.unsubscribe) off();
    for (const pane of this.panes.values()) this.clearPaneTimers(pane);
  }

  setQueueNames(names) {
    this.queueNames = { ...names };
    for (const chat of this.queue.values()) this.view.upsertWaiting(this.waitingRow(chat));
  }

  // ------------------------------------------------------------ server → state

  onWelcome(frame) {
    const first = !this.welcomed;
    this.welcomed = true;
    if (frame.operator) {
      this.me = { ...this.me, ...frame.operator };
      this.view.setOperator(this.me);
    }
    // The waiting list is whatever the server says now (chats may have come and gone offline).
    const queued = Array.isArray(frame.queued) ? frame.queued : [];
    const ids = new Set(queued.map((c) => c.chat_id));
    for (const id of [...this.queue.keys()]) if (!ids.has(id)) this.removeWaiting(id);
    for (const chat of queued) this.addWaiting(chat, { ring: !first });

    const mine = (Array.isArray(frame.mine) ? frame.mine : []).filter((c) => c.status !== "closed");
    const mineIds = new Set(mine.map((c) => c.chat_id));
    for (const id of [...this.panes.keys()]) if (!mineIds.has(id)) this.dropPane(id, { announce: false });
    for (const chat of mine) {
      if (this.panes.has(chat.chat_id)) this.updatePaneChat(chat);
      else this.openPane(chat, { alreadySeen: true });
    }
    for (const pane of this.panes.values()) {
      if (!pane.loaded && !pane.loading) this.loadHistory(pane); // it failed while offline
    }
    for (const pane of this.panes.values()) {
      this.view.setPending(pane.id, this.client.pending(pane.id));
    }
    if (Array.isArray(frame.operators)) {
      this.roster.clear();
      for (const o of frame.operators) if (o && o.id) this.roster.set(o.id, { ...o });
    }
    const self = this.roster.get(this.me.id) || { id: this.me.id, name: this.me.name };
    this.roster.set(this.me.id, {
      ...self, state: this.me.availability || self.state || "available",
      ...(Number.isInteger(this.me.chat_limit) ? { chat_limit: this.me.chat_limit } : {}),
    });
    this.renderRoster();
    this.view.setMyStatus(this.me.availability || "available", this.me.chat_limit ?? null);
    if (frame.staff && !this.staff.loaded && !this.staff.loading) this.loadStaffHistory();
    if (first) {
      const want = this.ui.active;
      this.select(want && (this.panes.has(want) || this.isFixed(want)) ? want : "chats", { focus: false });
    }
    this.refreshQueue();
    this.saveUi();
  }

  onFrame(frame) {
    switch (frame.type) {
      case "chat.queued":
        // Sent when the chat is created, before the patron's socket joins: its presence says
        // nothing yet.
        if (frame.chat) {
          const note = typeof frame.note === "string" && frame.note ? { note: frame.note } : {};
          this.addWaiting({ ...frame.chat, ...note, patron_presence: null }, { ring: true });
        }
        break;
      case "chat.claimed":
        this.onClaimed(frame);
        break;
      case "chat.typing":
        this.onTyping(frame);
        break;
      case "chat.presence":
        this.onPresence(frame);
        break;
      case "chat.ended":
        this.onEnded(frame);
        break;
      case "chat.closed":
        this.onClosed(frame.chat_id);
        break;
      case "chat.transferred":
        this.onTransferred(frame);
        break;
      case "operator.status":
        this.onOperatorStatus(frame.operator);
        break;
      case "error":
        this.onError(frame);
        break;
      default:
        break; // pong and anything newer than this dashboard
    }
  }

  addWaiting(chat, { ring }) {
    if (!chat || !chat.chat_id || chat.status !== "queued") return;
    const isNew = !this.queue.has(chat.chat_id);
    this.queue.set(chat.chat_id, chat);
    this.view.upsertWaiting(this.waitingRow(chat));
    if (isNew && ring) {
      const who = patronName(chat);
      const q = snippet(chat.question, 80);
      this.view.announce(`New chat waiting from ${who}: ${q}`);
      this.alerts.chime();
      this.alerts.notify("New chat waiting", `${who}: ${q}`, chat.chat_id);
    }
    this.refreshQueue();
  }

  waitingRow(chat) {
    return {
      chat_id: chat.chat_id,
      question: chat.question || "",
      name: chat.patron_name || "",
      queue: this.queueNames[chat.queue] || chat.queue || "",
      created_at: chat.created_at,
      note: chat.note || "",
    };
  }

  removeWaiting(chatId) {
    if (!this.queue.delete(chatId)) return false;
    this.view.removeWaiting(chatId);
    this.refreshQueue();
    return true;
  }

  refreshQueue() {
    this.view.setWaitingCount(this.queue.size);
    this.view.setMineSummary(this.activeCount(), this.limit());
  }

  onClaimed(frame) {
    const chatId = frame.chat_id;
    const waiting = this.queue.get(chatId);
    const byMe = frame.operator && frame.operator.id === this.me.id;
    const mineHere = [...this.requests.entries()].find(([, r]) => r.action === "claim" && r.chat_id === chatId);
    this.removeWaiting(chatId);
    if (!byMe) {
      if (waiting) {
        const who = (frame.operator && frame.operator.name) || "another librarian";
        this.view.announce(`The chat from ${patronName(waiting)} was taken by ${who}.`);
      }
      return;
    }
    if (mineHere) this.requests.delete(mineHere[0]);
    const chat = {
      ...(waiting || { chat_id: chatId, question: "", last_seq: 0, patron_presence: null }),
      ...(frame.chat || {}), // a service that sends the claimed chat along knows its presence
      status: "active",
      operator: frame.operator,
    };
    // Claimed here: what the waiting list showed (the question) has been read already.
    if (!this.panes.has(chatId)) this.openPane(chat, { alreadySeen: Boolean(mineHere) });
    else this.updatePaneChat(chat);
    if (mineHere) {
      this.select(chatId, { focus: "composer" });
      this.view.announce(`You claimed the chat from ${patronName(chat)}.`);
    }
    this.refreshQueue();
  }

  onTyping(frame) {
    const pane = this.panes.get(frame.chat_id);
    if (!pane || frame.role !== "patron") return;
    this.clearTimer(pane, "typingShow");
    if (frame.typing) this.inferOnline(pane);
    if (frame.typing && pane.chat.status === "active") {
      this.view.setTyping(pane.id, typingText(patronName(pane.chat), frame.preview));
      pane.timers.typingShow = this.setTimeout(() => this.view.setTyping(pane.id, null), TYPING_SHOW_MS);
    } else {
      this.view.setTyping(pane.id, null);
    }
  }

  onPresence(frame) {
    const pane = this.panes.get(frame.chat_id);
    if (!pane || !frame.patron) return;
    const before = pane.chat.patron_presence;
    pane.chat.patron_presence = frame.patron;
    this.renderPane(pane);
    if (before !== frame.patron && pane.chat.status === "active") {
      const view = presenceView("active", frame.patron);
      this.view.announce(`${patronName(pane.chat)}: ${view.label}.`);
    }
    if (frame.patron !== "online") this.view.setTyping(pane.id, null);
  }

  onEnded(frame) {
    const chatId = frame.chat_id;
    const waiting = this.queue.get(chatId);
    if (waiting) {
      this.removeWaiting(chatId);
      this.view.announce(`${patronName(waiting)} left before anyone answered.`);
      return;
    }
    const pane = this.panes.get(chatId);
    if (!pane) return;
    const mine = [...this.requests.entries()].find(([, r]) => r.action === "end" && r.chat_id === chatId);
    if (mine) this.requests.delete(mine[0]);
    pane.chat.status = "ended";
    this.view.setPaneBusy(chatId, false);
    pane.endedBy = frame.ended_by || pane.endedBy || null;
    if (pane.endedBy) this.ui.endedBy[chatId] = pane.endedBy;
    this.stopTyping(pane);
    this.clearTimer(pane, "typingShow");
    this.view.setTyping(chatId, null);
    this.renderPane(pane);
    const name = patronName(pane.chat);
    this.view.announce(pane.endedBy === "patron" ? `${name} ended the chat.` : `The chat with ${name} has ended.`);
    if (mine || this.active === chatId) this.view.focusPane(chatId, "close", { onlyIfInside: !mine });
    this.refreshQueue();
    this.saveUi();
  }

  /** A colleague handed a chat over (docs/protocol.md "Transfer"): it may leave or join me. */
  onTransferred(frame) {
    const chatId = frame.chat_id;
    for (const [rid, r] of this.requests) if (r.action === "transfer" && r.chat_id === chatId) this.requests.delete(rid);
    const toMe = frame.to && frame.to.id === this.me.id;
    const fromMe = frame.from && frame.from.id === this.me.id;
    if (fromMe && !toMe && this.panes.has(chatId)) {
      const name = patronName(this.panes.get(chatId).chat);
      this.dropPane(chatId, { announce: false });
      this.view.announce(frame.to ? `The chat with ${name} went to ${frame.to.name}.` : `The chat with ${name} is waiting in the queue again.`);
    }
    if (toMe && frame.chat) {
      this.removeWaiting(chatId);
      const note = { transferNote: { from: (frame.from && frame.from.name) || "A colleague", note: frame.note || "" } };
      if (this.panes.has(chatId)) this.updatePaneChat({ ...frame.chat, ...note });
      else {
        this.openPane({ ...frame.chat, ...note, status: "active" }, { alreadySeen: false });
        const from = (frame.from && frame.from.name) || "A colleague";
        this.view.announce(`${from} passed you the chat with ${patronName(frame.chat)}.`);
      }
    }
  }

  onClosed(chatId) {
    const pane = this.panes.get(chatId);
    if (!pane) return;
    for (const [rid, r] of this.requests) if (r.chat_id === chatId) this.requests.delete(rid);
    this.dropPane(chatId, { announce: true });
  }

  onError(frame) {
    const req = frame.request_id ? this.requests.get(frame.request_id) : null;
    if (req) this.requests.delete(frame.request_id);
    const action = req ? req.action : null;
    const text = (action === "transfer" && transferErrorText(frame.code)) || errorText(frame, { action, maxChats: this.limit() });
    if (action === "status") {
      this.view.setMyStatus(this.me.availability || "available", this.me.chat_limit ?? null);
      this.view.showStaffNotice(text);
      return;
    }
    if (action === "claim") {
      this.view.setClaimBusy(req.chat_id, false);
      if (frame.code === "conflict" || frame.code === "not_found" || frame.code === "invalid_state") {
        this.removeWaiting(req.chat_id);
      }
      this.view.showNotice(frame.code === "conflict" ? CONFLICT_TEXT : text);
      return;
    }
    if (req && this.panes.has(req.chat_id)) {
      this.view.setPaneBusy(req.chat_id, false);
      this.view.showPaneNotice(req.chat_id, text);
      return;
    }
    if (frame.code === "unauthorized") {
      this.onAuthLost();
      return;
    }
    this.view.showNotice(text);
  }

  onRejected({ chat_id: chatId, item, error }) {
    this.view.addRejected(chatId, item, errorText(error, { action: "send" }));
  }

  onMessage(chatId, message, live) {
    if (chatId === STAFF) {
      this.onStaffMessage(message, live);
      return;
    }
    const pane = this.panes.get(chatId);
    if (!pane || !message || !Number.isInteger(message.seq)) return;
    if (pane.seqs.has(message.seq)) return;
    pane.seqs.add(message.seq);
    const own = isOwn(message, this.me.id);
    if (!own) pane.others.add(message.seq);
    pane.lastSeq = Math.max(pane.lastSeq, message.seq);
    this.view.addMessage(chatId, message, { own, patronName: patronName(pane.chat) });
    if (live && message.sender && message.sender.role === "patron") {
      // the patron sent what they were typing (history loaded late says nothing about now)
      this.clearTimer(pane, "typingShow");
      this.view.setTyping(chatId, null);
      if (elapsed(message.sent_at, this.now()) < 30000) this.inferOnline(pane);
    }
    if (this.active === chatId) {
      this.markRead(pane);
    } else {
      const before = pane.unread;
      this.updateUnread(pane);
      if (live && pane.loaded && pane.unread > before && !own) {
        this.view.announce(`New message from ${message.sender.role === "patron" ? patronName(pane.chat) : "the service"}.`);
      }
    }
  }

  /** A patron who types or writes right now is connected, whatever we last heard. */
  inferOnline(pane) {
    const p = pane.chat.patron_presence;
    if (pane.chat.status === "active" && (p === null || p === undefined || p === "offline")) {
      pane.chat.patron_presence = "online";
      this.renderPane(pane);
    }
  }

  // -------------------------------------------------------------- panes

  openPane(chat, { alreadySeen }) {
    const id = chat.chat_id;
    const pane = {
      id,
      chat: { ...chat },
      seqs: new Set(),
      others: new Set(),
      lastSeq: 0,
      readSeq: this.ui.read[id] ?? (alreadySeen ? chat.last_seq || 0 : 0),
      unread: 0,
      endedBy: chat.ended_by || this.ui.endedBy[id] || null,
      loaded: false,
      typingSent: false,
      typingSentAt: 0,
      timers: {},
    };
    this.panes.set(id, pane);
    this.view.openPane(id, this.paneModel(pane));
    this.loadHistory(pane);
    this.refreshQueue();
    return pane;
  }

  async loadHistory(pane) {
    let messages;
    pane.loading = true;
    try {
      messages = await this.api.history(pane.id, 0);
    } catch (err) {
      pane.loading = false;
      if (err && (err.status === 401 || err.status === 403)) {
        this.onAuthLost();
        return;
      }
      if (this.panes.get(pane.id) === pane) {
        this.view.showPaneNotice(pane.id, "Earlier messages could not be loaded. They will appear when the connection recovers.");
      }
      return;
    }
    pane.loading = false;
    if (this.panes.get(pane.id) !== pane) return; // closed meanwhile
    this.view.clearPaneNotice(pane.id);
    for (const m of messages) {
      this.onMessage(pane.id, m, false);
      // Through the client too, so its per-chat order and resume point include the history.
      this.client.acceptMessage(pane.id, m);
    }
    pane.loaded = true;
    if (!pane.chat.question && messages.length && messages[0].seq === 1 && messages[0].text) {
      pane.chat.question = messages[0].text;
      if (!pane.chat.patron_name && messages[0].sender && messages[0].sender.name) {
        pane.chat.patron_name = messages[0].sender.name;
      }
      this.renderPane(pane);
    }
  }

  updatePaneChat(chat) {
    const pane = this.panes.get(chat.chat_id);
    if (!pane) return;
    const keep = pane.chat.question ? { question: pane.chat.question } : {};
    pane.chat = { ...pane.chat, ...chat, ...(chat.question ? {} : keep) };
    if (chat.ended_by) pane.endedBy = chat.ended_by;
    this.renderPane(pane);
  }

  paneModel(pane) {
    const chat = pane.chat;
    const name = patronName(chat);
    const ended = chat.status === "ended" || chat.status === "closed";
    return {
      name,
      question: chat.question || "",
      queue: this.queueNames[chat.queue] || chat.queue || "",
      created_at: chat.created_at,
      claimed_at: chat.claimed_at,
      status: chat.status,
      ended,
      endedText: ended ? endedText(pane.endedBy, chat.patron_name ? name : "") : "",
      presence: presenceView(chat.status, chat.patron_presence, pane.endedBy),
      unread: pane.unread,
      transferNote: chat.transferNote || null,
    };
  }

  renderPane(pane) {
    this.view.updatePane(pane.id, this.paneModel(pane));
  }

  dropPane(chatId, { announce }) {
    const pane = this.panes.get(chatId);
    if (!pane) return;
    this.clearPaneTimers(pane);
    this.panes.delete(chatId);
    this.client.forget(chatId);
    delete this.ui.read[chatId];
    delete this.ui.endedBy[chatId];
    const wasActive = this.active === chatId;
    this.view.removePane(chatId);
    if (wasActive) this.select("chats", { focus: announce ? "tab" : false });
    if (announce) this.view.announce(`The chat with ${patronName(pane.chat)} was closed.`);
    this.refreshQueue();
    this.saveUi();
  }

  /** How many chats I may hold now: max_chats, or my own lower chat_limit for the day. */
  limit() {
    const max = this.me.max_chats;
    const own = this.me.chat_limit;
    if (Number.isInteger(own) && own > 0) return Number.isInteger(max) ? Math.min(max, own) : own;
    return max;
  }

  activeCount() {
    let n = 0;
    for (const p of this.panes.values()) if (p.chat.status === "active") n += 1;
    return n;
  }

  markRead(pane) {
    pane.readSeq = Math.max(pane.readSeq, pane.lastSeq);
    this.ui.read[pane.id] = pane.readSeq;
    this.updateUnread(pane);
    this.saveUiSoon();
  }

  updateUnread(pane) {
    const n = unreadCount(pane.others, pane.readSeq);
    if (n !== pane.unread) {
      pane.unread = n;
      this.view.setUnread(pane.id, n);
    }
  }

  // --------------------------------------------------------- librarian → server

  isFixed(tabId) {
    return tabId === "chats" || tabId === STAFF || (tabId === "team" && this.me.role === "admin");
  }

  select(tabId, { focus } = {}) {
    const target = this.panes.has(tabId) || this.isFixed(tabId) ? tabId : "chats";
    this.active = target;
    this.ui.active = target;
    this.view.selectTab(target, { focus });
    const pane = this.panes.get(target);
    if (pane) this.markRead(pane);
    if (target === STAFF) this.setStaffUnread(0);
    this.saveUi();
  }

  async claim(chatId) {
    if (!this.queue.has(chatId)) return;
    if ([...this.requests.values()].some((r) => r.action === "claim" && r.chat_id === chatId)) return;
    const active = this.activeCount();
    if (claimNeedsWarning(active)) {
      const ok = await this.view.confirm({
        title: "Take another chat?",
        body: warningText(active, this.limit()),
        confirm: "Claim anyway",
        cancel: "Cancel",
        defaultAction: "cancel",
      });
      if (!ok || !this.queue.has(chatId)) return;
    }
    const rid = newRequestId("claim-");
    this.requests.set(rid, { action: "claim", chat_id: chatId });
    this.view.setClaimBusy(chatId, true);
    this.view.clearNotice();
    if (!this.client.claim(chatId, rid)) {
      this.requests.delete(rid);
      this.view.setClaimBusy(chatId, false);
      this.view.showNotice("You are offline, so the chat was not claimed. Try again when the dashboard says Connected.");
    }
  }

  /** Returns true when the text was taken (the view then clears the text box). */
  send(chatId, text) {
    const pane = this.panes.get(chatId);
    const body = String(text ?? "").trim();
    if (!pane || !body || pane.chat.status !== "active") return false;
    this.client.send(chatId, body);
    this.stopTyping(pane);
    this.view.clearPaneNotice(chatId);
    return true;
  }

  /** The librarian's text box changed: keep the patron's "librarian is typing" notice honest. */
  composing(chatId, hasText) {
    const pane = this.panes.get(chatId);
    if (!pane || pane.chat.status !== "active") return;
    if (!hasText) {
      this.stopTyping(pane);
      return;
    }
    const now = this.now();
    if (!pane.typingSent || now - pane.typingSentAt > TYPING_REFRESH_MS) {
      if (this.client.typing(chatId, true)) {
        pane.typingSent = true;
        pane.typingSentAt = now;
      }
    }
    this.clearTimer(pane, "typingIdle");
    pane.timers.typingIdle = this.setTimeout(() => this.stopTyping(pane), TYPING_IDLE_MS);
  }

  stopTyping(pane) {
    this.clearTimer(pane, "typingIdle");
    if (pane.typingSent) {
      pane.typingSent = false;
      this.client.typing(pane.id, false);
    }
  }

  async end(chatId) {
    const pane = this.panes.get(chatId);
    if (!pane || pane.chat.status !== "active") return;
    const name = patronName(pane.chat);
    const ok = await this.view.confirm({
      title: `End the chat with ${name}?`,
      body: `${name === "Patron" ? "The patron" : name} will see that the chat has ended and will be offered a short survey.`,
      confirm: "End Chat",
      cancel: "Keep chatting",
      defaultAction: "confirm",
    });
    if (!ok || !this.panes.has(chatId) || pane.chat.status !== "active") return;
    this.sendAction("end", chatId);
  }

  close(chatId) {
    const pane = this.panes.get(chatId);
    if (!pane || pane.chat.status !== "ended") return;
    this.sendAction("close", chatId);
  }

  sendAction(action, chatId) {
    const rid = newRequestId(`${action}-`);
    this.requests.set(rid, { action, chat_id: chatId });
    this.view.setPaneBusy(chatId, true);
    this.view.clearPaneNotice(chatId);
    const sent = action === "end" ? this.client.end(chatId, rid) : this.client.closeChat(chatId, rid);
    if (!sent) {
      this.requests.delete(rid);
      this.view.setPaneBusy(chatId, false);
      this.view.showPaneNotice(chatId, "You are offline. Try again when the dashboard says Connected.");
    }
  }

  // ------------------------------------------- staff room, operator status, transfer, files

  onOperatorStatus(op) {
    if (!op || !op.id) return;
    // the frame is the whole status: no chat_limit means none (the service leaves out null)
    if (op.state === "offline") this.roster.delete(op.id);
    else this.roster.set(op.id, { ...op });
    if (op.id === this.me.id) {
      // my own status (this tab or another): a self-imposed chat limit counts for warnings
      if (op.state !== "offline") this.me = { ...this.me, chat_limit: op.chat_limit ?? null };
      if (op.state && op.state !== "offline") this.me = { ...this.me, availability: op.state };
      this.view.setMyStatus(this.me.availability || "available", this.me.chat_limit ?? null);
      this.refreshQueue();
    }
    this.renderRoster();
  }

  renderRoster() {
    this.view.setRoster(rosterList(this.roster).map((o) => ({ ...o, me: o.id === this.me.id })));
  }

  async loadStaffHistory() {
    this.staff.loading = true;
    let messages;
    try {
      messages = await this.api.history(STAFF, 0);
    } catch {
      this.staff.loading = false;
      return; // the next welcome tries again; live messages still arrive
    }
    this.staff.loading = false;
    this.staff.loaded = true;
    for (const m of messages) {
      this.onStaffMessage(m, false);
      this.client.acceptMessage(STAFF, m);
    }
  }

  onStaffMessage(message, live) {
    if (!message || !Number.isInteger(message.seq) || this.staff.seqs.has(message.seq)) return;
    this.staff.seqs.add(message.seq);
    const own = isOwn(message, this.me.id);
    this.view.addMessage(STAFF, message, { own, patronName: "" });
    if (live && !own && this.active !== STAFF) {
      this.setStaffUnread(this.staff.unread + 1);
      const who = message.sender && message.sender.role === "operator" ? message.sender.name || "A colleague" : "Library chat";
      this.view.announce(`Internal Staff Chat, ${who}: ${snippet(message.text, 80)}`);
    }
  }

  setStaffUnread(n) {
    this.staff.unread = n;
    this.view.setStaffUnread(n);
  }

  sendStaff(text) {
    const body = String(text ?? "").trim();
    if (!body) return false;
    this.client.send(STAFF, body);
    return true;
  }

  /** The header's Available / Away, and the staff tab's "one chat at a time" toggle. */
  setStatus(change) {
    const frame = { action: "status", request_id: newRequestId("status-") };
    if (change.state) frame.state = change.state;
    if ("chat_limit" in change) frame.chat_limit = change.chat_limit;
    this.requests.set(frame.request_id, { action: "status", chat_id: null });
    if (!this.sendFrame(frame)) {
      this.requests.delete(frame.request_id);
      this.view.setMyStatus(this.me.availability || "available", this.me.chat_limit ?? null);
      this.view.showStaffNotice("You are offline, so your status did not change. Try again when the dashboard says Connected.");
      return false;
    }
    return true;
  }

  sendFrame(frame) {
    return typeof this.client.sendFrame === "function" ? this.client.sendFrame(frame) : false;
  }

  /** Transfer: ask where to (a colleague or back to the queue) and why, then send it. */
  async transfer(chatId) {
    const pane = this.panes.get(chatId);
    if (!pane || pane.chat.status !== "active") return;
    const choice = await this.view.transferDialog({
      name: patronName(pane.chat),
      targets: transferTargets(this.roster, this.me.id),
    });
    if (!choice || !this.panes.has(chatId) || pane.chat.status !== "active") return;
    const rid = newRequestId("transfer-");
    const frame = { action: "transfer", chat_id: chatId, request_id: rid };
    if (choice.to) frame.to = choice.to;
    const note = String(choice.note || "").trim().slice(0, 500);
    if (note) frame.note = note;
    this.requests.set(rid, { action: "transfer", chat_id: chatId });
    this.view.clearPaneNotice(chatId);
    if (!this.sendFrame(frame)) {
      this.requests.delete(rid);
      this.view.showPaneNotice(chatId, "You are offline, so the chat was not passed on. Try again when the dashboard says Connected.");
    }
  }

  /** The paperclip: upload the file, then send a message carrying it. */
  async attach(chatId, file) {
    const pane = this.panes.get(chatId);
    if (!pane || pane.chat.status !== "active" || !file) return false;
    const problem = fileProblem(file);
    if (problem) {
      this.view.showPaneNotice(chatId, problem);
      return false;
    }
    this.view.setAttachBusy(chatId, true);
    this.view.clearPaneNotice(chatId);
    try {
      const attachment = await this.api.upload(chatId, file);
      if (!this.panes.has(chatId)) return false;
      this.client.send(chatId, undefined, { attachment });
      this.view.announce(`Sent the file ${attachment.name}.`);
      return true;
    } catch (err) {
      if (err && err.status === 401) this.onAuthLost();
      else this.view.showPaneNotice(chatId, err && err.code === "too_large"
        ? "The file is too large to send."
        : err && err.status === 409 ? "The chat has ended; the file was not sent."
          : `The file was not sent: ${(err && err.message) || "the upload failed"}.`);
      return false;
    } finally {
      this.view.setAttachBusy(chatId, false);
    }
  }

  // ------------------------------------------------------------------ helpers

  clearTimer(pane, name) {
    if (pane.timers[name]) this.clearTimeout(pane.timers[name]);
    pane.timers[name] = null;
  }

  clearPaneTimers(pane) {
    for (const name of Object.keys(pane.timers)) this.clearTimer(pane, name);
  }

  saveUi() {
    this.saveUiFn({ ...this.ui, read: { ...this.ui.read }, endedBy: { ...this.ui.endedBy } });
  }

  saveUiSoon() {
    if (this.uiTimer) return;
    this.uiTimer = this.setTimeout(() => {
      this.uiTimer = null;
      this.saveUi();
    }, 250);
  }

}
