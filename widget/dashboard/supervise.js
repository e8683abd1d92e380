// The Supervise tab's controller (docs/supervision.md), no DOM: the live view of the desks an
// admin or supervisor oversees (GET /api/supervision, refreshed when the tab is shown, when a
// frame says something moved, and every half minute while it is on screen), and a read-only
// look into one chat at a time: `observe` answers `observing` and the conversation so far,
// then the chat's messages, typing and end arrive like a librarian's. From there the
// supervisor takes the chat over (it becomes one of their chats, in its own tab) or ends it.
// Frames it sends carry request ids starting "sv-", which the Dashboard leaves to it.

import { errorText, newRequestId } from "./logic.js";
import { SV } from "./strings-supervise.js";

const REFRESH_EVERY_MS = 30000;
const SETTLE_MS = 800; // frames come in bursts (claimed + transferred + status): one refresh
const MOVES = new Set(["chat.queued", "chat.claimed", "chat.ended", "chat.closed", "chat.transferred", "operator.status"]);

/** Admins supervise every desk, supervisors their own (the service decides which). */
export function supervises(me) {
  return Boolean(me) && (me.role === "admin" || me.role === "supervisor");
}

export class SuperviseController {
  /**
   * @param {object} o
   * @param {object} o.api        Api (supervision())
   * @param {object} o.view       SuperviseView
   * @param {Function} o.send     (frame) => bool: a frame on the dashboard's socket
   * @param {Function} o.me       () => the signed-in operator
   * @param {Function} o.visible  () => bool: the Supervise tab is on screen
   * @param {Function} o.confirm  ({title, body, confirm, cancel}) => Promise<bool>
   * @param {Function} o.openChat (chatId) => void: show a chat of mine in its tab
   * @param {Function} o.deskLabel (id) => the desk's name
   * @param {Function} [o.forget]   (chatId) => void: the socket stops resuming a chat no longer looked into
   * @param {Function} [o.onAuthLost]
   * @param {object} [o.timers]   {setTimeout, clearTimeout, setInterval, clearInterval}
   */
  constructor(o) {
    Object.assign(this, { api: o.api, view: o.view, send: o.send, me: o.me, visible: o.visible,
      confirm: o.confirm, openChat: o.openChat, deskLabel: o.deskLabel || ((id) => id),
      onAuthLost: o.onAuthLost || (() => {}), forget: o.forget || (() => {}) });
    const t = o.timers || globalThis;
    this.timers = { set: t.setTimeout.bind(t), clear: t.clearTimeout.bind(t),
      every: t.setInterval.bind(t), stop: t.clearInterval.bind(t) };
    this.data = null;
    this.watching = null; // {chatId, chat, seqs: Set, ended, requestId}
    this.pending = new Map(); // request id -> action
    this.interval = null;
    this.settle = null;
  }

  // ------------------------------------------------------------- the view

  /** The tab came into view (or went away: `shown(false)`). */
  shown(on = true) {
    if (!on) {
      if (this.interval) this.timers.stop(this.interval);
      this.interval = null;
      return;
    }
    this.refresh();
    if (!this.interval) this.interval = this.timers.every(() => this.visible() && this.refresh(), REFRESH_EVERY_MS);
  }

  async refresh() {
    this.view.setBusy(true);
    try {
      this.data = await this.api.supervision();
      this.view.render(this.data, { deskLabel: this.deskLabel, watching: this.watching && this.watching.chatId });
      this.view.setNotice("");
    } catch (err) {
      if (err && err.status === 401) return this.onAuthLost();
      this.view.setNotice(err && err.status === 403 ? SV.notAllowed : SV.loadFailed);
    } finally {
      this.view.setBusy(false);
    }
  }

  refreshSoon() {
    if (this.settle || !this.visible()) return;
    this.settle = this.timers.set(() => {
      this.settle = null;
      this.refresh();
    }, SETTLE_MS);
  }

  // ----------------------------------------------------------- looking in

  watch(chatId) {
    if (this.watching && this.watching.chatId === chatId && !this.watching.ended) return;
    if (this.watching) this.leave(this.watching);
    const chat = ((this.data && this.data.chats) || []).find((c) => c.chat_id === chatId) || { chat_id: chatId };
    this.watching = { chatId, chat, seqs: new Set(), ended: false };
    this.view.openWatch(chat, { deskLabel: this.deskLabel });
    this.observe();
  }

  observe() {
    const w = this.watching;
    if (!w || w.ended) return;
    w.requestId = this.request("observe", w.chatId);
    if (!w.requestId) this.view.watchStatus(SV.notConnected, "error");
  }

  /** Whether the patron is told a supervisor looks in: the desk's setting, as the view read it. */
  noticeFor(chat) {
    const desk = ((this.data && this.data.desks) || []).find((d) => d.id === chat.queue);
    return desk ? desk.observer_notice !== false : true;
  }

  stop() {
    const w = this.watching;
    if (!w) return;
    this.leave(w);
    this.watching = null;
    this.view.closeWatch();
    this.refreshSoon();
  }

  /** Off the chat's observer list, and out of what a reconnect resumes (its last seq). */
  leave(w) {
    if (!w.ended) this.request("unobserve", w.chatId);
    this.forget(w.chatId);
  }

  takeOver() {
    const w = this.watching;
    if (!w || w.ended) return;
    this.view.setWatchBusy(true);
    if (!this.request("take_over", w.chatId)) {
      this.view.setWatchBusy(false);
      this.view.watchStatus(SV.notConnected, "error");
    }
  }

  async end() {
    const w = this.watching;
    if (!w || w.ended) return;
    const ok = await this.confirm(SV.confirmEnd(w.chat.patron_name || SV.patron));
    if (!ok || this.watching !== w) return;
    this.view.setWatchBusy(true);
    if (!this.request("end", w.chatId)) {
      this.view.setWatchBusy(false);
      this.view.watchStatus(SV.notConnected, "error");
    }
  }

  request(action, chatId) {
    const requestId = newRequestId(`sv-${action}-`);
    if (!this.send({ action, chat_id: chatId, request_id: requestId })) return null;
    this.pending.set(requestId, action);
    // only refusals answer a request id: keep the last few, not every request ever made
    if (this.pending.size > 20) this.pending.delete(this.pending.keys().next().value);
    return requestId;
  }

  // ------------------------------------------------------- server → state

  /** The socket opened again: a new connection is on no observer list yet. */
  onWelcome() {
    if (this.watching && !this.watching.ended) this.observe();
  }

  onMessage(chatId, message) {
    const w = this.watching;
    if (!w || w.chatId !== chatId || !message || !Number.isInteger(message.seq) || w.seqs.has(message.seq)) return;
    w.seqs.add(message.seq);
    this.view.watchMessage(message, w.chat);
    this.view.watchTyping(""); // what they were typing has been sent
  }

  onFrame(frame) {
    if (MOVES.has(frame.type)) this.refreshSoon();
    const w = this.watching;
    if (frame.type === "error") return this.onError(frame);
    if (!w || frame.chat_id !== w.chatId) return;
    switch (frame.type) {
      case "observing":
        if (frame.observing && frame.chat) {
          w.chat = { ...w.chat, ...frame.chat };
          this.view.watchHeader(w.chat, { deskLabel: this.deskLabel });
          this.view.watchStatus(SV.lookingIn(this.noticeFor(w.chat)), "info");
        }
        break;
      case "chat.typing":
        this.view.watchTyping(frame.typing ? SV.typing(frame.role === "patron" ? w.chat.patron_name || SV.patron
          : (w.chat.operator && w.chat.operator.name) || SV.librarian) : "");
        break;
      case "chat.claimed":
        w.chat = { ...w.chat, status: "active", operator: frame.operator || w.chat.operator };
        this.view.watchHeader(w.chat, { deskLabel: this.deskLabel });
        break;
      case "chat.transferred":
        this.onTransferred(frame, w);
        break;
      case "chat.ended":
        w.ended = true;
        w.chat = { ...w.chat, status: "ended" };
        this.view.setWatchBusy(false);
        this.view.watchHeader(w.chat, { deskLabel: this.deskLabel });
        this.view.watchTyping("");
        this.view.watchEnded(SV.ended(frame.by ? frame.by.name : frame.ended_by === "patron" ? w.chat.patron_name || SV.patron
          : frame.ended_by === "system" ? null : (w.chat.operator && w.chat.operator.name) || SV.librarian));
        break;
      default:
        break;
    }
  }

  onTransferred(frame, w) {
    const me = this.me();
    if (frame.to && me && frame.to.id === me.id) { // taken over: it is one of my chats now
      this.watching = null;
      this.view.closeWatch({ focus: false });
      this.openChat(w.chatId);
      return;
    }
    w.chat = { ...w.chat, operator: frame.to || null, status: frame.to ? "active" : "queued" };
    this.view.watchHeader(w.chat, { deskLabel: this.deskLabel });
  }

  onError(frame) {
    const action = this.pending.get(frame.request_id);
    if (!action) return;
    this.pending.delete(frame.request_id);
    if (frame.code === "unauthorized") return this.onAuthLost();
    this.view.setWatchBusy(false);
    const text = frame.code === "capacity" ? SV.capacity : errorText(frame, { action });
    if (this.watching) this.view.watchStatus(SV.refused(action, text), "error");
    else this.view.setNotice(SV.refused(action, text));
  }
}
