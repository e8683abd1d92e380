// The dashboard's claimed chats ("My chats" and one pane each): what each holds (seqs seen,
// unread, who ended it, typing timers), their history, the patron's messages, typing and
// presence, and the librarian's Send, typing, End Chat, Close Chat and files (choose, then
// Upload). State and behaviour only: the view renders (through `dash.view`), the protocol
// client talks.

import { cardView } from "./desks.js";
import { elapsed, endedText, fileProblem, isOwn, patronName, presenceChange, presenceView, typingText, unreadCount } from "./logic.js";
import { S } from "./strings.js";

// The librarian's typing costs a frame each (an invocation, a message in, a post out): one
// "typing" when a message is begun, refreshed only for a long one (under the patron's 30 s
// fade, TYPING_NOTICE_TTL in widget/patron/conversation.js), "stopped" only when a draft is
// left alone or emptied; after a send nothing: the patron's widget clears the notice when
// the message arrives.
export const TYPING_IDLE_MS = 10000; // stop "typing" after this long without a keystroke
export const TYPING_REFRESH_MS = 20000; // say "still typing" this often while typing goes on
const TYPING_SHOW_MS = 15000; // hide the patron's typing notice if no update came

export class Conversations {
  /** @param {Dashboard} dash  the root: client, view, api, me, ui, requests, timers */
  constructor(dash) {
    this.d = dash;
    this.panes = new Map(); // chat_id -> pane state
  }

  get(chatId) {
    return this.panes.get(chatId);
  }

  has(chatId) {
    return this.panes.has(chatId);
  }

  activeCount() {
    let n = 0;
    for (const p of this.panes.values()) if (p.chat.status === "active") n += 1;
    return n;
  }

  /** welcome.mine: exactly these panes (a reconnect may find some closed elsewhere). */
  sync(mine) {
    const ids = new Set(mine.map((c) => c.chat_id));
    for (const id of [...this.panes.keys()]) if (!ids.has(id)) this.drop(id, { announce: false });
    for (const chat of mine) {
      if (this.panes.has(chat.chat_id)) this.updateChat(chat);
      else this.open(chat, { alreadySeen: true });
    }
    for (const pane of this.panes.values()) {
      if (!pane.loaded && !pane.loading) this.loadHistory(pane); // it failed while offline
      this.d.view.setPending(pane.id, this.d.client.pending(pane.id));
    }
  }

  open(chat, { alreadySeen }) {
    const id = chat.chat_id;
    const ui = this.d.ui;
    const pane = {
      id,
      chat: { ...chat },
      seqs: new Set(),
      others: new Set(),
      lastSeq: 0,
      readSeq: ui.read[id] ?? (alreadySeen ? chat.last_seq || 0 : 0),
      unread: 0,
      endedBy: chat.ended_by || ui.endedBy[id] || null,
      loaded: false,
      typingSent: false,
      typingSentAt: 0,
      timers: {},
    };
    this.panes.set(id, pane);
    this.d.view.openPane(id, this.model(pane));
    this.loadHistory(pane);
    this.d.refreshQueue();
    return pane;
  }

  async loadHistory(pane) {
    const { view } = this.d;
    let messages;
    pane.loading = true;
    try {
      messages = await this.d.api.history(pane.id, 0);
    } catch (err) {
      pane.loading = false;
      if (err && (err.status === 401 || err.status === 403)) {
        this.d.onAuthLost();
        return;
      }
      if (this.panes.get(pane.id) === pane) view.showPaneNotice(pane.id, S.pane.historyFailed);
      return;
    }
    pane.loading = false;
    if (this.panes.get(pane.id) !== pane) return; // closed meanwhile
    view.clearPaneNotice(pane.id);
    for (const m of messages) {
      this.onMessage(pane.id, m, false);
      // Through the client too, so its per-chat order and resume point include the history.
      this.d.client.acceptMessage(pane.id, m);
    }
    pane.loaded = true;
    const first = messages[0];
    if (!pane.chat.question && first && first.seq === 1 && first.text) {
      pane.chat.question = first.text;
      if (!pane.chat.patron_name && first.sender && first.sender.name) pane.chat.patron_name = first.sender.name;
      this.render(pane);
    }
  }

  updateChat(chat) {
    const pane = this.panes.get(chat.chat_id);
    if (!pane) return;
    const keep = pane.chat.question ? { question: pane.chat.question } : {};
    pane.chat = { ...pane.chat, ...chat, ...(chat.question ? {} : keep) };
    if (chat.ended_by) pane.endedBy = chat.ended_by;
    this.render(pane);
  }

  model(pane) {
    const chat = pane.chat;
    const name = patronName(chat);
    const ended = chat.status === "ended" || chat.status === "closed";
    return {
      name,
      question: chat.question || "",
      queue: this.d.queueName(chat.queue),
      created_at: chat.created_at,
      claimed_at: chat.claimed_at,
      status: chat.status,
      ended,
      endedText: ended ? endedText(pane.endedBy, chat.patron_name ? name : "") : "",
      presence: presenceView(chat.status, chat.patron_presence, pane.endedBy, chat.patron_left_at),
      unread: pane.unread,
      transferNote: chat.transferNote || null,
      // docs/desks.md: a patron of another library's desk, and that desk's local information
      rolledOver: this.d.queue.rolledOver(chat),
      card: this.d.queue.deskMode ? cardView(chat, this.d.queue.desks, this.d.queueNames) : null,
    };
  }

  render(pane) {
    this.d.view.updatePane(pane.id, this.model(pane));
  }

  renderAll() {
    for (const pane of this.panes.values()) this.render(pane);
  }

  drop(chatId, { announce }) {
    const pane = this.panes.get(chatId);
    if (!pane) return;
    const d = this.d;
    this.clearTimers(pane);
    this.panes.delete(chatId);
    d.client.forget(chatId);
    delete d.ui.read[chatId];
    delete d.ui.endedBy[chatId];
    const wasActive = d.active === chatId;
    d.view.removePane(chatId);
    if (wasActive) d.select("chats", { focus: announce ? "tab" : false });
    if (announce) d.view.announce(S.announce.closed(patronName(pane.chat)));
    d.refreshQueue();
    d.saveUi();
  }

  markRead(pane) {
    pane.readSeq = Math.max(pane.readSeq, pane.lastSeq);
    this.d.ui.read[pane.id] = pane.readSeq;
    this.updateUnread(pane);
    this.d.saveUiSoon();
  }

  updateUnread(pane) {
    const n = unreadCount(pane.others, pane.readSeq);
    if (n !== pane.unread) {
      pane.unread = n;
      this.d.view.setUnread(pane.id, n);
    }
  }

  // ------------------------------------------------------------ server → state

  onMessage(chatId, message, live) {
    const { view } = this.d;
    const pane = this.panes.get(chatId);
    if (!pane || !message || !Number.isInteger(message.seq)) return;
    if (pane.seqs.has(message.seq)) return;
    pane.seqs.add(message.seq);
    const own = isOwn(message, this.d.me.id);
    if (!own) pane.others.add(message.seq);
    pane.lastSeq = Math.max(pane.lastSeq, message.seq);
    view.addMessage(chatId, message, { own, patronName: patronName(pane.chat) });
    const fromPatron = Boolean(message.sender && message.sender.role === "patron");
    if (live && fromPatron) {
      // the patron sent what they were typing (history loaded late says nothing about now)
      this.clearTimer(pane, "typingShow");
      view.setTyping(chatId, null);
      if (elapsed(message.sent_at, this.d.now()) < 30000) this.inferOnline(pane);
    }
    if (this.d.active === chatId) {
      this.markRead(pane);
    } else {
      const before = pane.unread;
      this.updateUnread(pane);
      if (live && pane.loaded && pane.unread > before && !own) {
        view.announce(S.announce.newMessage(fromPatron, patronName(pane.chat)));
      }
    }
  }

  /** A patron who types or writes right now is connected, whatever we last heard. */
  inferOnline(pane) {
    const p = pane.chat.patron_presence;
    if (pane.chat.status === "active" && (p === null || p === undefined || p === "offline")) {
      pane.chat.patron_presence = "online";
      delete pane.chat.patron_left_at;
      this.render(pane);
    }
  }

  onTyping(frame) {
    const { view } = this.d;
    const pane = this.panes.get(frame.chat_id);
    if (!pane || frame.role !== "patron") return;
    this.clearTimer(pane, "typingShow");
    if (frame.typing) this.inferOnline(pane);
    if (frame.typing && pane.chat.status === "active") {
      view.setTyping(pane.id, typingText(patronName(pane.chat), frame.preview));
      pane.timers.typingShow = this.d.setTimeout(() => view.setTyping(pane.id, null), TYPING_SHOW_MS);
    } else {
      view.setTyping(pane.id, null);
    }
  }

  onPresence(frame) {
    const pane = this.panes.get(frame.chat_id);
    if (!pane || !frame.patron) return;
    const before = pane.chat.patron_presence;
    Object.assign(pane.chat, presenceChange(pane.chat, frame, this.d.now()));
    this.render(pane);
    if (before !== frame.patron && pane.chat.status === "active") {
      const label = presenceView("active", frame.patron, null, pane.chat.patron_left_at).label;
      this.d.view.announce(S.announce.presence(patronName(pane.chat), label));
    }
    if (frame.patron !== "online") this.d.view.setTyping(pane.id, null);
  }

  /** chat.ended for one of mine: the status turns (red when the patron left), Close Chat shows. */
  onEnded(frame) {
    const d = this.d;
    const chatId = frame.chat_id;
    const pane = this.panes.get(chatId);
    if (!pane) return;
    const mine = d.takeRequest("end", chatId);
    pane.chat.status = "ended";
    d.view.setPaneBusy(chatId, false);
    pane.endedBy = frame.ended_by || pane.endedBy || null;
    if (pane.endedBy) d.ui.endedBy[chatId] = pane.endedBy;
    this.stopTyping(pane);
    this.clearTimer(pane, "typingShow");
    d.view.setTyping(chatId, null);
    this.render(pane);
    const name = patronName(pane.chat);
    d.view.announce(pane.endedBy === "patron" ? S.announce.patronEnded(name) : S.announce.chatEnded(name));
    if (mine || d.active === chatId) d.view.focusPane(chatId, "close", { onlyIfInside: !mine });
    d.refreshQueue();
    d.saveUi();
  }

  onClosed(chatId) {
    if (!this.panes.has(chatId)) return;
    this.d.dropRequests(chatId);
    this.drop(chatId, { announce: true });
  }

  // --------------------------------------------------------- librarian → server

  /** Returns true when the text was taken (the view then clears the text box). */
  send(chatId, text) {
    const pane = this.panes.get(chatId);
    const body = String(text ?? "").trim();
    if (!pane || !body || pane.chat.status !== "active") return false;
    this.d.client.send(chatId, body);
    this.clearTimer(pane, "typingIdle");
    pane.typingSent = false; // the message clears the patron's notice: no "stopped" frame
    this.d.view.clearPaneNotice(chatId);
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
    const now = this.d.now();
    if (!pane.typingSent || now - pane.typingSentAt > TYPING_REFRESH_MS) {
      if (this.d.client.typing(chatId, true)) {
        pane.typingSent = true;
        pane.typingSentAt = now;
      }
    }
    this.clearTimer(pane, "typingIdle");
    pane.timers.typingIdle = this.d.setTimeout(() => this.stopTyping(pane), TYPING_IDLE_MS);
  }

  stopTyping(pane) {
    this.clearTimer(pane, "typingIdle");
    if (pane.typingSent) {
      pane.typingSent = false;
      this.d.client.typing(pane.id, false);
    }
  }

  async end(chatId) {
    const pane = this.panes.get(chatId);
    if (!pane || pane.chat.status !== "active") return;
    const name = patronName(pane.chat);
    const ok = await this.d.view.confirm({
      title: S.pane.endTitle(name),
      body: S.pane.endBody(name === S.patron ? S.thePatron : name),
      confirm: S.pane.endConfirm,
      cancel: S.pane.endCancel,
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
    const { client, view } = this.d;
    const rid = this.d.track(action, chatId);
    view.setPaneBusy(chatId, true);
    view.clearPaneNotice(chatId);
    const sent = action === "end" ? client.end(chatId, rid) : client.closeChat(chatId, rid);
    if (!sent) {
      this.d.requests.delete(rid);
      view.setPaneBusy(chatId, false);
      view.showPaneNotice(chatId, S.pane.offline);
    }
  }

  /** A file chosen (the paperclip, a paste, a drop): checked now, sent only on Upload. */
  chooseFile(chatId, file) {
    const { view } = this.d;
    const pane = this.panes.get(chatId);
    if (!pane || pane.chat.status !== "active" || !file || pane.uploading) return false;
    const problem = fileProblem(file);
    if (problem) {
      view.showPaneNotice(chatId, problem);
      return false;
    }
    view.clearPaneNotice(chatId);
    pane.chosen = file;
    view.showChosenFile(chatId, file);
    view.announce(S.files.chosen(file.name || S.files.defaultName));
    return true;
  }

  /** Cancel: the chosen file is forgotten; nothing was uploaded. */
  cancelFile(chatId) {
    const pane = this.panes.get(chatId);
    if (!pane || pane.uploading) return;
    pane.chosen = null;
    this.d.view.clearChosenFile(chatId, { focus: true });
  }

  /** Upload: the chosen file goes up and out; on a refusal it stays chosen, to try again. */
  async uploadFile(chatId) {
    const pane = this.panes.get(chatId);
    if (!pane || !pane.chosen || pane.uploading) return false;
    const file = pane.chosen;
    pane.uploading = true;
    let sent = false;
    try {
      sent = await this.attach(chatId, file);
    } finally {
      pane.uploading = false;
    }
    if (sent && pane.chosen === file) {
      pane.chosen = null;
      this.d.view.clearChosenFile(chatId, { focus: true });
    }
    return sent;
  }

  /** Check the file as the widget does, upload it, then send a message carrying it. */
  async attach(chatId, file) {
    const { view } = this.d;
    const pane = this.panes.get(chatId);
    if (!pane || pane.chat.status !== "active" || !file) return false;
    const problem = fileProblem(file);
    if (problem) {
      view.showPaneNotice(chatId, problem);
      return false;
    }
    view.setAttachBusy(chatId, true);
    view.clearPaneNotice(chatId);
    try {
      const attachment = await this.d.api.upload(chatId, file);
      if (!this.panes.has(chatId)) return false;
      this.d.client.send(chatId, undefined, { attachment });
      view.announce(S.files.sent(attachment.name));
      return true;
    } catch (err) {
      if (err && err.status === 401) this.d.onAuthLost();
      else view.showPaneNotice(chatId, uploadErrorText(err));
      return false;
    } finally {
      view.setAttachBusy(chatId, false);
    }
  }

  // ------------------------------------------------------------------ timers

  clearTimer(pane, name) {
    if (pane.timers[name]) this.d.clearTimeout(pane.timers[name]);
    pane.timers[name] = null;
  }

  clearTimers(pane) {
    for (const name of Object.keys(pane.timers)) this.clearTimer(pane, name);
  }

  dispose() {
    for (const pane of this.panes.values()) this.clearTimers(pane);
  }
}

function uploadErrorText(err) {
  if (err && err.code === "too_large") return S.files.tooLargeToSend;
  if (err && err.status === 409) return S.files.chatEnded;
  return S.files.notSent(err && err.message);
}
