// The dashboard's waiting list: the queued chats the service announces (welcome, chat.queued),
// the chime and notification for a new one, Claim Chat (with the manual's warning before a 4th
// chat) and what a claim by me or by a colleague does. State and behaviour only: the view
// renders (through `dash.view`), the protocol client talks.

import { claimAdvice, patronName, presenceChange, snippet, waitingPresence, warningText } from "./logic.js";
import { S } from "./strings.js";

export class WaitingQueue {
  /** @param {Dashboard} dash  the root: client, view, alerts, me, requests, chats */
  constructor(dash) {
    this.d = dash;
    this.chats = new Map(); // chat_id -> Chat, waiting
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
