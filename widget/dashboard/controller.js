// The dashboard's state and behaviour, at the root: which server frame goes to which concern,
// the requests in flight and their refusals, which tab is in view, transfers, and what a
// reload keeps. The concerns have their own modules: the waiting list (controller-queue.js),
// my chats (controller-chats.js) and the librarians' room and status (controller-staff.js).
// No DOM here: the view renders and reports intents; the shared ProtocolClient
// (../js/protocol.js) talks to the service.

import { CONFLICT_TEXT, errorText, newRequestId, patronName, transferErrorText, transferTargets } from "./logic.js";
import { S } from "./strings.js";
import { SV } from "./strings-supervise.js";
import { Conversations } from "./controller-chats.js";
import { transferDesks } from "./desks.js";
import { WaitingQueue } from "./controller-queue.js";
import { STAFF, StaffRoom } from "./controller-staff.js";
import { supervises } from "./supervise.js";

export { STAFF };

export class Dashboard {
  /**
   * @param {object} o
   * @param {object} o.client    ProtocolClient (or a fake with the same methods/events)
   * @param {object} o.view      DashboardView (or a recording fake)
   * @param {object} o.api       Api: history(chatId, after), upload(chatId, file)
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
    this.requests = new Map(); // request_id -> {action, chat_id}
    this.active = "chats";
    this.welcomed = false;
    this.queue = new WaitingQueue(this);
    this.chats = new Conversations(this);
    this.panes = this.chats.panes; // chat_id -> pane state
    this.staff = new StaffRoom(this);
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
    this.chats.dispose();
  }

  setQueueNames(names) {
    this.queueNames = { ...names };
    this.queue.renderAll();
  }

  queueName(id) {
    const desk = this.queue.desks.get(id);
    return this.queueNames[id] || (desk && desk.name) || id || "";
  }

  /**
   * Ask for the waiting list again (a fresh `hello`, without `after`: live messages keep
   * flowing): another tab of mine now watches more desks, whose waiting chats this one has not
   * heard of (the `watching` push carries them only to the tab that asked).
   */
  resync() {
    if (this.sendFrame({ action: "hello" })) this.resyncing = true;
  }

  // ------------------------------------------------------------ server → state

  onWelcome(frame) {
    const first = !this.welcomed;
    this.welcomed = true;
    if (frame.operator) {
      this.me = { ...this.me, ...frame.operator };
      this.view.setOperator(this.me);
    }
    this.queue.welcomeDesks(frame);
    const resync = this.resyncing;
    this.resyncing = false;
    this.queue.sync(Array.isArray(frame.queued) ? frame.queued : [], { ring: !first && !resync });
    this.chats.sync((Array.isArray(frame.mine) ? frame.mine : []).filter((c) => c.status !== "closed"));
    this.staff.sync(frame);
    if (first) {
      const want = this.ui.active;
      this.select(want && (this.chats.has(want) || this.isFixed(want)) ? want : "chats", { focus: false });
    }
    this.refreshQueue();
    this.saveUi();
  }

  onFrame(frame) {
    switch (frame.type) {
      case "chat.queued":
        this.queue.onQueued(frame);
        break;
      case "chat.claimed":
        this.queue.onClaimed(frame);
        break;
      case "chat.typing":
        this.chats.onTyping(frame);
        break;
      case "chat.presence":
        if (!this.queue.onPresence(frame)) this.chats.onPresence(frame);
        break;
      case "chat.ended":
        if (!this.queue.onEnded(frame)) this.chats.onEnded(frame);
        break;
      case "chat.closed":
        this.chats.onClosed(frame.chat_id);
        break;
      case "chat.transferred":
        this.onTransferred(frame);
        break;
      case "watching":
        this.queue.onWatching(frame);
        break;
      case "operator.status":
        this.staff.onOperatorStatus(frame.operator);
        break;
      case "chat.observed": // a supervisor looks into one of my chats, or stopped (docs/supervision.md)
        if (this.chats.has(frame.chat_id) && frame.supervisor) {
          this.view.showPaneNotice(frame.chat_id, SV.paneObserved(frame.supervisor.name || S.colleague, frame.observed));
        }
        break;
      case "error":
        this.onError(frame);
        break;
      default:
        break; // pong and anything newer than this dashboard
    }
  }

  onMessage(chatId, message, live) {
    if (chatId === STAFF) this.staff.onMessage(message, live);
    else this.chats.onMessage(chatId, message, live);
  }

  onRejected({ chat_id: chatId, item, error }) {
    this.view.addRejected(chatId, item, errorText(error, { action: "send" }));
  }

  /** An `error` frame: in words, where the librarian was acting (the request it answers). */
  onError(frame) {
    if (String(frame.request_id || "").startsWith("sv-")) return; // the Supervise tab's own (supervise.js)
    const req = frame.request_id ? this.requests.get(frame.request_id) : null;
    if (req) this.requests.delete(frame.request_id);
    const action = req ? req.action : null;
    const text = (action === "transfer" && transferErrorText(frame.code)) || errorText(frame, { action, maxChats: this.limit() });
    if (action === "watch") {
      this.queue.watchRefused(text);
      return;
    }
    if (action === "status") {
      this.staff.showMyStatus();
      this.view.showStaffNotice(text);
      return;
    }
    if (action === "claim") {
      this.view.setClaimBusy(req.chat_id, false);
      if (frame.code === "conflict" || frame.code === "not_found" || frame.code === "invalid_state" || frame.code === "forbidden") {
        this.queue.remove(req.chat_id);
      }
      if (frame.code === "capacity") {
        // "at your limit" holds until a chat of mine ends, closes or goes to someone else
        this.capacityAt = this.activeCount();
        this.view.showNotice(text, "capacity");
      } else {
        // forbidden: no longer offered to a desk I watch (docs/desks.md)
        this.view.showNotice(frame.code === "conflict" ? CONFLICT_TEXT : frame.code === "forbidden" ? S.chatDesks.notWatched : text);
      }
      return;
    }
    if (req && this.chats.has(req.chat_id)) {
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

  /** A colleague handed a chat over (docs/protocol.md "Transfer"): it may leave or join me. */
  onTransferred(frame) {
    const chatId = frame.chat_id;
    for (const [rid, r] of this.requests) if (r.action === "transfer" && r.chat_id === chatId) this.requests.delete(rid);
    const toMe = frame.to && frame.to.id === this.me.id;
    const fromMe = frame.from && frame.from.id === this.me.id;
    if (fromMe && !toMe && this.chats.has(chatId)) {
      const name = patronName(this.chats.get(chatId).chat);
      this.chats.drop(chatId, { announce: false });
      if (frame.taken_over) this.view.showNotice(SV.tookOverFromYou(frame.to.name, name)); // an alert: said once
      else this.view.announce(frame.to ? S.announce.wentTo(name, frame.to.name)
        : frame.to_queue ? S.announce.requeuedTo(name, this.queue.deskLabel(frame.to_queue)) : S.announce.requeued(name));
    }
    if (toMe && frame.chat) {
      this.queue.remove(chatId);
      const from = (frame.from && frame.from.name) || S.colleague;
      const note = frame.taken_over ? {} : { transferNote: { from, note: frame.note || "" } };
      if (this.chats.has(chatId)) this.chats.updateChat({ ...frame.chat, ...note });
      else {
        this.chats.open({ ...frame.chat, ...note, status: "active" }, { alreadySeen: false });
        this.view.announce(frame.taken_over ? SV.youTookOver(from, patronName(frame.chat))
          : S.announce.passedYou(from, patronName(frame.chat)));
      }
    }
  }

  // ------------------------------------------------------------------ state

  refreshQueue() {
    const active = this.activeCount();
    this.view.setWaitingCount(this.queue.size);
    this.view.setMineSummary(active, this.limit());
    if (Number.isInteger(this.capacityAt) && active < this.capacityAt) {
      this.capacityAt = null;
      this.view.clearNotice("capacity"); // the limit no longer holds: the alert would mislead
    }
  }

  /** How many chats I may hold now: max_chats, or my own lower chat_limit for the day. */
  limit() {
    const max = this.me.max_chats;
    const own = this.me.chat_limit;
    if (Number.isInteger(own) && own > 0) return Number.isInteger(max) ? Math.min(max, own) : own;
    return max;
  }

  activeCount() {
    return this.chats.activeCount();
  }

  isFixed(tabId) {
    if (tabId === "chats" || tabId === STAFF || tabId === "tickets" || tabId === "history" || tabId === "reports") return true;
    if (tabId === "supervise") return supervises(this.me);
    return (tabId === "team" || tabId === "desks") && this.me.role === "admin";
  }

  /** A request sent with a request_id, so its refusal can be told apart: returns the id. */
  track(action, chatId) {
    const rid = newRequestId(`${action}-`);
    this.requests.set(rid, { action, chat_id: chatId });
    return rid;
  }

  findRequest(action, chatId) {
    for (const [rid, r] of this.requests) if (r.action === action && r.chat_id === chatId) return rid;
    return null;
  }

  /** The request of mine this frame answers, if any: forgotten, and its id returned. */
  takeRequest(action, chatId) {
    const rid = this.findRequest(action, chatId);
    if (rid) this.requests.delete(rid);
    return rid;
  }

  dropRequests(chatId) {
    for (const [rid, r] of this.requests) if (r.chat_id === chatId) this.requests.delete(rid);
  }

  sendFrame(frame) {
    return typeof this.client.sendFrame === "function" ? this.client.sendFrame(frame) : false;
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

  // --------------------------------------------------------- librarian → server

  select(tabId, { focus } = {}) {
    const target = this.chats.has(tabId) || this.isFixed(tabId) ? tabId : "chats";
    this.active = target;
    this.ui.active = target;
    this.view.selectTab(target, { focus });
    const pane = this.chats.get(target);
    if (pane) this.chats.markRead(pane);
    if (target === STAFF) this.staff.setUnread(0);
    this.saveUi();
  }

  claim(chatId) {
    return this.queue.claim(chatId);
  }

  send(chatId, text) {
    return this.chats.send(chatId, text);
  }

  composing(chatId, hasText) {
    this.chats.composing(chatId, hasText);
  }

  end(chatId) {
    return this.chats.end(chatId);
  }

  close(chatId) {
    this.chats.close(chatId);
  }

  attach(chatId, file) {
    return this.chats.attach(chatId, file);
  }

  chooseFile(chatId, file) {
    return this.chats.chooseFile(chatId, file);
  }

  uploadFile(chatId) {
    return this.chats.uploadFile(chatId);
  }

  cancelFile(chatId) {
    this.chats.cancelFile(chatId);
  }

  /** "Desks I watch today" changed: the ticked desks' ids. */
  watch(ids) {
    return this.queue.watch(ids);
  }

  sendStaff(text) {
    return this.staff.send(text);
  }

  setStatus(change) {
    return this.staff.setStatus(change);
  }

  /** Transfer: ask where to (a colleague, back to the queue, or a desk) and why, then send it. */
  async transfer(chatId) {
    const pane = this.chats.get(chatId);
    if (!pane || pane.chat.status !== "active") return;
    const choice = await this.view.transferDialog({
      name: patronName(pane.chat),
      targets: transferTargets(this.staff.roster, this.me.id),
      desks: transferDesks(this.queue.desks), // docs/desks.md: to a desk, `to_queue`
    });
    if (!choice || !this.chats.has(chatId) || pane.chat.status !== "active") return;
    const rid = this.track("transfer", chatId);
    const frame = { action: "transfer", chat_id: chatId, request_id: rid };
    if (choice.to_queue) frame.to_queue = choice.to_queue;
    else if (choice.to) frame.to = choice.to;
    const note = String(choice.note || "").trim().slice(0, 500);
    if (note) frame.note = note;
    this.view.clearPaneNotice(chatId);
    if (!this.sendFrame(frame)) {
      this.requests.delete(rid);
      this.view.showPaneNotice(chatId, S.transfer.offline);
    }
  }
}
