// The dashboard's waiting list: the queued chats the service announces (welcome, chat.queued,
// the `watching` answer), grouped per desk I watch (docs/desks.md), the chime and notification
// for a new one, Claim Chat (with the manual's warning before a 4th chat) and what a claim by me
// or by a colleague does; and "Desks I watch today" (the `watch` action). State and behaviour
// only: the view renders (through `dash.view`), the protocol client talks; the desk rules are
// in desks.js.

import {
  deskIndex, deskLabel, deskList, groupOf, isVisible, myDesks, rolledOverText, watchedDesks, watchOptions,
} from "./desks.js";
import { claimAdvice, patronName, presenceChange, snippet, waitingPresence, warningText } from "./logic.js";
import { S } from "./strings.js";

export class WaitingQueue {
  /** @param {Dashboard} dash  the root: client, view, alerts, me, requests, chats */
  constructor(dash) {
    this.d = dash;
    this.chats = new Map(); // chat_id -> Chat, waiting
    // Desks (docs/desks.md): known once a welcome lists them. Without them (a service that
    // has none) the list is one plain list, as it always was.
    this.desks = new Map(); // id -> Queue (enabled ones, cards included)
    this.mine = []; // ids of my desks, in the service's order
    this.watching = null; // ids I watch; null: no desks known
  }

  get deskMode() {
    return Array.isArray(this.watching);
  }

  // ------------------------------------------------------------------ desks

  /** welcome: the desks (welcome.queues), mine (operator.queues) and those I watch. */
  welcomeDesks(frame) {
    const op = frame.operator || {};
    if (!Array.isArray(frame.queues) || !frame.queues.length) {
      this.desks = new Map();
      this.mine = [];
      this.watching = null;
    } else {
      this.desks = deskIndex(frame.queues);
      this.mine = myDesks(op.queues ?? this.d.me.queues, frame.queues);
      this.watching = watchedDesks(op.watching, this.mine);
    }
    this.renderDesks();
  }

  /**
   * An admin saved desks (GET /api/queues after the Desks tab's save): the desks I know get
   * their new names and cards. Which desks there are and which I watch come from the service
   * (the next welcome), not from here.
   */
  refreshDesks(queues) {
    if (!this.deskMode) return;
    for (const q of deskList(queues)) if (this.desks.has(q.id)) this.desks.set(q.id, q);
    this.renderDesks();
    this.renderAll();
    this.d.chats.renderAll();
  }

  /** The desk's name (and library) for a heading or a mark. */
  deskLabel(id) {
    return deskLabel(this.desks.get(id), this.d.queueNames[id] || id);
  }

  /** Rolled over from another library (or passed on by its desk): the mark's words, or "". */
  rolledOver(chat) {
    return this.deskMode ? rolledOverText(chat, this.watching, this.desks, this.d.queueNames) : "";
  }

  /** The watch checkboxes and the waiting list's desk headings, as the state says now. */
  renderDesks({ options = true } = {}) {
    const view = this.d.view;
    if (!this.deskMode) {
      view.setWatchOptions([], { shown: false });
      view.setWaitingGroups([], { none: false });
      return;
    }
    // one desk only, all watched: nothing to choose (a library without desks looks as before)
    const shown = this.mine.length > 1 || this.mine.some((id) => !this.watching.includes(id));
    if (options) view.setWatchOptions(watchOptions(this.mine, this.watching, this.desks), { shown });
    view.setWaitingGroups(this.watching.map((id) => ({ id, label: this.deskLabel(id) })),
      { none: this.watching.length === 0 });
  }

  /** "Desks I watch today": the ticked desks go to the service, which answers `watching`. */
  watch(ids) {
    const d = this.d;
    const queues = this.mine.filter((id) => ids.includes(id));
    const rid = d.track("watch", null);
    d.view.clearNotice("watch");
    if (!d.sendFrame({ action: "watch", queues, request_id: rid })) {
      d.requests.delete(rid);
      this.renderDesks(); // the boxes go back to what is watched
      d.view.showNotice(S.chatDesks.watchOffline, "watch");
      return false;
    }
    return true;
  }

  /** A `watch` of mine refused: the boxes show what is still watched, and why in words. */
  watchRefused(text) {
    if (!this.d.findRequest("watch", null)) this.renderDesks();
    this.d.view.showNotice(S.chatDesks.watchRefused(text), "watch");
  }

  /**
   * `watching`: the desks I watch changed (here or in another tab of mine). The answer to this
   * tab carries the waiting chats now visible, which replace the list; another tab keeps what
   * it still sees, and asks for the rest with a fresh hello when it watches more than before.
   */
  onWatching(frame) {
    const d = this.d;
    if (!Array.isArray(frame.queues) || !this.deskMode) return;
    const before = new Set(this.watching);
    this.watching = watchedDesks(frame.queues, this.mine);
    const answer = Array.isArray(frame.queued);
    if (answer) d.takeRequest("watch", null);
    const newer = Boolean(d.findRequest("watch", null)); // keep the boxes the librarian ticked since
    this.renderDesks({ options: !newer });
    if (answer) {
      this.sync(frame.queued, { ring: false });
      d.view.announce(S.chatDesks.watchSaved(this.watching.map((id) => this.deskLabel(id)).join(", ")));
    } else {
      for (const [id, chat] of [...this.chats]) if (!isVisible(chat, this.watching)) this.remove(id);
      if (this.watching.some((id) => !before.has(id))) d.resync();
    }
    this.renderAll();
    d.chats.renderAll(); // a pane's "rolled over" mark depends on what I watch
  }

  get size() {
    return this.chats.size;
  }

  has(chatId) {
    return this.chats.has(chatId);
  }

  /** welcome.queued: the list is whatever the server says now (chats come and go offline). */
  sync(queued, { ring }) {
    const ids = new Set(queued.map((c) => c.chat_id));
    for (const id of [...this.chats.keys()]) if (!ids.has(id)) this.remove(id);
    for (const chat of queued) this.add(chat, { ring });
  }

  /** chat.queued is sent when the chat is created, before the patron's socket joins: its presence says nothing yet. */
  onQueued(frame) {
    if (!frame.chat) return;
    if (this.deskMode && !isVisible(frame.chat, this.watching)) return; // a desk I just stopped watching
    const note = typeof frame.note === "string" && frame.note ? { note: frame.note } : {};
    this.add({ ...frame.chat, ...note, patron_presence: null }, { ring: true });
  }

  add(chat, { ring }) {
    if (!chat || !chat.chat_id || chat.status !== "queued") return;
    const { view, alerts } = this.d;
    const isNew = !this.chats.has(chat.chat_id);
    this.chats.set(chat.chat_id, chat);
    view.upsertWaiting(this.row(chat));
    if (isNew && ring) {
      const who = patronName(chat);
      const q = snippet(chat.question, 80);
      view.announce(S.announce.newChat(who, q));
      alerts.chime();
      alerts.notify(S.notify.newChatTitle, S.notify.newChatBody(who, q), chat.chat_id);
    }
    this.d.refreshQueue();
  }

  row(chat) {
    return {
      chat_id: chat.chat_id,
      question: chat.question || "",
      name: chat.patron_name || "",
      queue: this.d.queueName(chat.queue),
      group: this.deskMode ? groupOf(chat, this.watching) : "",
      rolledOver: this.rolledOver(chat),
      created_at: chat.created_at,
      note: chat.note || "",
      presence: waitingPresence(chat.patron_presence, chat.patron_left_at),
    };
  }

  /** chat.presence of a waiting chat (every operator hears it): the row says whether the patron is still there. */
  onPresence(frame) {
    const chat = this.chats.get(frame.chat_id);
    if (!chat || !frame.patron) return false;
    Object.assign(chat, presenceChange(chat, frame, this.d.now()));
    this.d.view.upsertWaiting(this.row(chat));
    return true;
  }

  /** Queue names arrived (/api/status): the rows say them. */
  renderAll() {
    for (const chat of this.chats.values()) this.d.view.upsertWaiting(this.row(chat));
  }

  remove(chatId) {
    if (!this.chats.delete(chatId)) return false;
    this.d.view.removeWaiting(chatId);
    this.d.refreshQueue();
    return true;
  }

  /**
   * A waiting chat ended before anyone claimed it: the patron ended it, or (ended_by "system",
   * reason "abandoned") the service did, the patron having left the page long enough. The row
   * goes, and the list says why where the librarian saw it (a polite status, not an alarm).
   */
  onEnded(frame) {
    const waiting = this.chats.get(frame.chat_id);
    if (!waiting) return false;
    this.remove(frame.chat_id);
    const name = patronName(waiting);
    const abandoned = frame.ended_by === "system" && frame.reason === "abandoned";
    this.d.view.showWaitingStatus(abandoned ? S.announce.abandoned(name) : S.announce.leftUnanswered(name));
    return true;
  }

  async claim(chatId) {
    const d = this.d;
    if (!this.chats.has(chatId) || d.findRequest("claim", chatId)) return; // one claim at a time
    const active = d.activeCount();
    const advice = claimAdvice(active, d.limit());
    if (advice === "limit") {
      // the service would only refuse: say so, and offer nothing that looks like it could work
      await d.view.confirm({ title: S.claim.limitTitle, body: S.claim.limitBody(active, d.limit()),
                             confirm: null, cancel: S.claim.limitOk });
      return;
    }
    if (advice === "warn") {
      const ok = await d.view.confirm({
        title: S.claim.confirmTitle,
        body: warningText(active, d.limit()),
        confirm: S.claim.confirm,
        cancel: S.claim.cancel,
        defaultAction: "cancel",
      });
      if (!ok || !this.chats.has(chatId)) return;
    }
    const rid = d.track("claim", chatId);
    d.view.setClaimBusy(chatId, true);
    d.view.clearNotice();
    if (!d.client.claim(chatId, rid)) {
      d.requests.delete(rid);
      d.view.setClaimBusy(chatId, false);
      d.view.showNotice(S.claim.offline);
    }
  }

  /** chat.claimed: off the list; mine (from here or another tab) opens a pane. */
  onClaimed(frame) {
    const d = this.d;
    const chatId = frame.chat_id;
    const waiting = this.chats.get(chatId);
    const byMe = frame.operator && frame.operator.id === d.me.id;
    this.remove(chatId);
    if (!byMe) {
      if (waiting) d.view.announce(S.announce.takenBy(patronName(waiting), (frame.operator && frame.operator.name) || S.anotherLibrarian));
      return;
    }
    const mineHere = d.takeRequest("claim", chatId);
    const chat = {
      ...(waiting || { chat_id: chatId, question: "", last_seq: 0, patron_presence: null }),
      ...(frame.chat || {}), // a service that sends the claimed chat along knows its presence
      status: "active",
      operator: frame.operator,
    };
    // Claimed here: what the waiting list showed (the question) has been read already.
    if (!d.chats.has(chatId)) d.chats.open(chat, { alreadySeen: Boolean(mineHere) });
    else d.chats.updateChat(chat);
    if (mineHere) {
      d.select(chatId, { focus: "composer" });
      d.view.announce(S.announce.claimed(patronName(chat)));
    }
    d.refreshQueue();
  }
}
