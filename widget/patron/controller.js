// The patron widget's decisions: what each step of a chat shows, what each server frame and
// each patron action does. No DOM, window or document here: the view (view.js) draws and
// reports intents, the protocol client (../js/protocol.js, built by the injected factory) owns
// the WebSocket, the api (api.js) the REST calls, the store (store.js) sessionStorage and the
// bridge (bridge.js) the host page; the end of a chat and its survey are ending.js. main.js
// builds the real ones; tests pass fakes.
//
// Life of a chat: status check -> offline screen or question form -> POST /api/chats ->
// WebSocket (hello/welcome, backlog) -> queued ("a librarian will be with you shortly") ->
// claimed -> messages both ways -> ended -> survey -> thanks. The session (token, last seq,
// unsent messages, transcript) is saved on every change and on pagehide, so a reload resumes
// the same chat and a message written while offline goes out once, later.

import { chatWsUrl } from "./config.js";
import { MAX_TEXT } from "../js/limits.js";
import { transcriptFile } from "./transcript.js";
import { ChatConnection } from "./connection.js";
import { Intake } from "./intake.js";
import { ChatEnding } from "./ending.js";
import { ChatTickets } from "./tickets.js";
import { Panel } from "./panel.js";
import { Attachments } from "./attachments.js";
import { ConversationLog } from "./conversation.js";
import { WaitingLine } from "./line.js";
import { GONE_CODES, claimedId, errorKey, headerStatus, isEnded, newSession, restoreSession, sessionRecord } from "./session.js";

export class PatronController {
  /**
   * @param {object} o
   * @param {object} o.config  resolved settings (config.js): mode, queue, wsUrl, offline*
   * @param {Function} o.t     translator (i18n.js)
   * @param {object} o.view    View (view.js), or a fake with its methods
   * @param {object} o.api     PatronApi: status, createChat, history, survey and file calls
   * @param {object} o.store   ChatStore: load(), save(record), clear()
   * @param {object} o.bridge  HostBridge: post(type, extra) to the host page
   * @param {Function} o.createClient  ({url, token, lastSeq, outbox, fetchHistory}) => ProtocolClient
   * @param {object} [o.page]  {hidden(): the tab is hidden, offline(): the browser says it is offline}
   * @param {Function} [o.now] () => ms since the epoch
   * @param {object} [o.timers] {setTimeout, clearTimeout}
   */
  constructor({ config, t, view, api, store, bridge, createClient, page, now, timers }) {
    Object.assign(this, { config, t, view, api, store, bridge, createClient });
    this.page = page || { hidden: () => false, offline: () => false };
    this.now = now || (() => Date.now());
    this.setTimeout = (timers && timers.setTimeout) || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = (timers && timers.clearTimeout) || globalThis.clearTimeout.bind(globalThis);
    this.panel = new Panel({ bridge, page: this.page, open: config.mode !== "floating" });
    this.session = null;
    this.finished = null; // the last chat's transcript, for "Download transcript" after it is cleared
    this.lastChat = null; // the last chat, in memory only: its files stay openable until a new chat
    this.log = new ConversationLog({ view, panel: this.panel, t, now: this.now,
      timers: { setTimeout: this.setTimeout, clearTimeout: this.clearTimeout } });
    this.connection = new ChatConnection({ createClient, api, view, page: this.page, now: this.now,
      timers: { setTimeout: this.setTimeout, clearTimeout: this.clearTimeout }, onGone: () => this.gone(),
      abandonAfter: config.abandonAfter, onWarn: () => this.panel.noteUnread(),
      onState: (state) => {
        this.updateHeader();
        this.tickets.connectionChanged(state);
        if (state === "open") this.ending.connected();
      } });
    this.typing = this.connection.typing;
    this.presence = this.connection.presence;
    this.intake = new Intake({ config, t, view, api, createClient, inChat: () => Boolean(this.session),
      errorText: (code) => this.errorText(code), onCreated: (created, patron) => this.chatCreated(created, patron),
      now: this.now, timers: { setTimeout: this.setTimeout, clearTimeout: this.clearTimeout },
      timeZone: config.timeZone });
    this.line = new WaitingLine(t, (text) => view.setLine(text)); // the place in line while the chat waits
    this.ending = new ChatEnding(this);
    this.tickets = new ChatTickets(this); // the ticket offer, the transcript e-mail, Print
    this.attachments = new Attachments({ api, view, t, errorText: (code) => this.errorText(code),
      live: () => (this.canSend() ? this.session.chat : null),
      source: () => (this.session || this.lastChat || {}).chat || null,
      send: (chatId, caption, attachment) => {
        this.typing.stop();
        this.client.send(chatId, caption, { attachment });
      } });
    view.setHandlers(this.intents());
  }

  /** What the patron's actions in the view mean. */
  intents() {
    return {
      onMinimize: () => this.bridge.post("close"),
      onEscape: () => {
        if (this.config.mode === "floating") this.bridge.post("close");
      },
      onRetryStatus: () => this.intake.checkStatus({ focus: true }),
      onSubmitQuestion: (values) => this.intake.submit(values),
      onSend: (text) => this.send(text),
      onDraft: (text) => this.draftChanged(text),
      onEndConfirmed: () => this.endChat(),
      onSurvey: (answers) => this.submitSurvey(answers),
      onSkipSurvey: () => this.finish("skipped"),
      onNewChat: () => this.newChat(),
      onDownload: () => this.downloadTranscript(),
      onOpenFile: (file) => this.attachments.openFile(file),
      onAttach: (files, options) => this.attachments.choose(files, options),
      onUpload: () => this.attachments.upload(),
      onCancelUpload: () => this.attachments.cancel(),
      onStayConnected: () => this.connection.stayConnected(), // "Are you still there?" (stay.js)
      onThumbnail: (file, options) => this.attachments.thumbnailUrl(file, options),
      ...this.tickets.intents(),
    };
  }

  // -------------------------------------------------------------- lifecycle

  start() {
    const saved = this.store.load();
    if (saved) this.resume(saved);
    else if (this.panel.open) this.intake.checkStatus({ focus: false });
    else this.view.showLoading();
    this.bridge.post("ready", { active: Boolean(this.session) });
  }

  /** A command from the host page (bridge.js): open or close the panel. */
  onHostCommand(command) {
    if (command.type === "open") this.setOpen(true, command.focus !== false);
    else if (command.type === "close") this.setOpen(false);
  }

  setOpen(open, focus = false) {
    const wasOpen = this.panel.open;
    this.panel.open = open;
    this.activityChanged();
    if (!open) {
      this.view.closeConfirm();
      this.intake.stopWatching(); // the status is checked again when the panel opens
      return;
    }
    if (!this.session && !this.finished) {
      this.intake.checkStatus({ focus });
    } else if (focus) {
      if (this.session && !isEnded(this.session.chat)) this.view.focusComposer();
      else this.view.focusAfter();
    }
    if (!wasOpen && this.session) this.view.scrollToBottom();
  }

  /** The browser went online or offline. */
  networkChanged(online) {
    if (!this.client) return;
    this.view.setConnection(this.client.state, !online);
    this.updateHeader();
    if (online) this.client.reconnectNow();
  }

  /** Seen = the panel is open and the tab visible: drives presence and the unread count. */
  get seen() {
    return this.panel.seen;
  }

  /** The panel opened or closed, or the tab was shown or hidden. */
  activityChanged() {
    this.panel.refresh();
    if (this.session && this.client) this.presence.update(this.panel.presence);
  }

  // ----------------------------------------------------------- before a chat

  chatCreated(created, patron) {
    this.intake.stopWatching(); // the chat's own connection takes over
    this.session = newSession(created, chatWsUrl(this.config, created.ws_url), patron);
    this.finished = null;
    this.persist();
    this.bridge.post("active", { active: true });
    this.enterConversation({ focus: true });
  }

  resume(saved) {
    this.intake.stopWatching();
    this.session = restoreSession(saved);
    this.enterConversation({ focus: false });
  }

  // ------------------------------------------------------------ the chat

  enterConversation({ focus }) {
    const { chat } = this.session;
    this.view.showConversation();
    this.view.renderTranscript(this.session.transcript.items);
    if (isEnded(chat)) {
      this.showAfter({ focus });
      return;
    }
    this.view.setEndable(true);
    this.view.setPreviewNote(chat.typing_preview);
    this.line.reset();
    this.chatState();
    this.connect();
    if (focus) this.view.focusComposer();
  }

  /** The protocol client of the chat on screen (null between chats). */
  get client() {
    return this.connection.client;
  }

  connect() {
    const { chat } = this.session;
    this.connection.open(this.session, chat.ws_url || this.config.wsUrl, {
      welcome: (frame) => this.onWelcome(frame),
      message: ({ message }) => this.onMessage(message),
      pending: ({ items }) => {
        this.view.setPending(items);
        this.persist();
      },
      rejected: ({ item, error }) => {
        this.view.showComposerError(item && item.attachment ? this.attachments.errorFor(error) : this.errorText(error.code));
        if (item && item.text) this.view.setDraft(item.text);
        this.persist();
      },
      frame: (frame) => this.onFrame(frame),
    });
  }

  onWelcome(frame) {
    if (!this.session) return;
    const chat = frame.chat || {};
    const mine = this.session.chat;
    if (chat.operator && chat.operator.name) mine.operator = { id: chat.operator.id, name: chat.operator.name };
    if (typeof chat.status === "string") mine.status = chat.status;
    // Librarians see the draft as it is typed unless the library turned that off: say so.
    mine.typing_preview = frame.typing_preview !== false;
    this.view.setPreviewNote(mine.typing_preview);
    if (mine.status === "active" && mine.operator) {
      // claimed before this connection: the notice goes after what was sent up to claimed_at
      this.notice(claimedId(mine), "joined", { name: mine.operator.name }, { afterTime: chat.claimed_at }, chat.claimed_at);
    }
    if (isEnded(mine)) {
      this.ended(mine.ended_by, { catchUp: true, reason: chat.reason });
      return;
    }
    this.line.note(mine, chat, { fresh: true });
    this.chatState();
    this.presence.update(this.panel.presence, { force: true, serverState: chat.patron_presence });
    this.tickets.welcome(chat);
    this.persist();
  }

  onMessage(message) {
    if (!this.session) return;
    const mine = this.session.chat;
    if (message.sender && message.sender.role === "operator" && mine.status === "queued") {
      // A librarian is writing, so the chat was claimed even if its chat.claimed went astray
      // (a reconnect at the same moment): catch up before showing the message.
      this.claimed(message.sender.name ? message.sender : null, { after: message.seq - 1 });
    }
    if (this.log.message(this.session.transcript, message)) this.persist();
  }

  /**
   * A librarian has the chat (claimed, or transferred to them): "Libby joined the chat", after
   * the messages sent before the claim (`anchor`: the chat's last_seq then), however late or
   * early its frame came.
   */
  claimed(operator, anchor = {}, at = undefined) {
    const mine = this.session.chat;
    mine.status = "active";
    if (operator) mine.operator = { id: operator.id, name: operator.name };
    this.notice(claimedId(mine), "joined", { name: mine.operator && mine.operator.name }, anchor, at);
    this.tickets.claimed();
    this.chatState();
  }

  /**
   * What follows the chat's status: the waiting card and the place in line while it is
   * queued, the header, and whether the patron's typing goes out (only once it is claimed:
   * before that no librarian's pane would show it).
   */
  chatState() {
    const chat = this.session && this.session.chat;
    if (!chat) return;
    this.view.setWaiting(chat.status === "queued");
    this.line.show(chat);
    this.typing.setActive(chat.status === "active");
    this.updateHeader();
  }

  onFrame(frame) {
    if (!this.session || (frame.chat_id && frame.chat_id !== this.session.chat.chat_id)) return;
    const mine = this.session.chat;
    switch (frame.type) {
      case "chat.claimed": {
        const chat = frame.chat || {};
        this.claimed(frame.operator || null, { after: chat.last_seq, afterTime: chat.claimed_at }, chat.claimed_at);
        this.persist();
        break;
      }
      case "chat.typing":
        if (frame.role === "operator") this.showLibrarianTyping(Boolean(frame.typing));
        break;
      case "chat.transferred": // back to the queue (a transfer to a colleague is a chat.claimed)
        if (frame.to) break;
        mine.status = "queued";
        mine.operator = null;
        mine.line = null; // until the service says where in the new line (chat.line)
        this.notice(`requeued:${frame.from ? frame.from.id : ""}:${mine.last_seq || 0}`, "requeued", {});
        this.chatState();
        this.persist();
        break;
      case "chat.line": // the line ahead moved (docs/desks.md)
        this.line.note(mine, frame);
        break;
      case "chat.ended": // `by`: a supervisor ended it (docs/supervision.md)
        this.ended(frame.ended_by || null, { catchUp: false, reason: frame.reason, by: frame.by });
        break;
      case "chat.observed": // the library's policy tells the patron a supervisor looks in
        this.notice(`observed:${frame.observed ? 1 : 0}:${this.now()}`, "observed", { on: Boolean(frame.observed) });
        break;
      case "chat.ticket_offer": // still waiting: "leave your question and we'll e-mail you"
        this.tickets.offerFrame();
        break;
      case "error":
        if (GONE_CODES.has(frame.code) && frame.request_id === undefined && this.client.state !== "open") {
          this.gone();
        } else {
          this.view.showComposerError(this.errorText(frame.code));
        }
        break;
      default:
        break;
    }
  }

  /** A notice in this chat's log (conversation.js places it by `anchor`). */
  notice(id, type, vars, anchor = {}, at = undefined) {
    this.log.notice(this.session.transcript, id, type, vars, anchor, at);
  }

  showLibrarianTyping(on) {
    const op = on && this.session ? this.session.chat.operator : null;
    this.log.librarianTyping(on && this.session ? (op && op.name) || "" : null);
  }

  updateHeader() {
    const chat = this.session && this.session.chat;
    if (!chat) return;
    const connection = this.client ? { state: this.client.state, offline: this.page.offline() } : null;
    const [key, vars, tone] = headerStatus(chat, connection);
    this.view.setStatus(this.t(key, vars), tone);
  }

  canSend() {
    return Boolean(this.session && this.client && !isEnded(this.session.chat));
  }

  /** Enter (or Send) in the composer; false keeps the draft. */
  send(text) {
    if (!this.canSend()) return false;
    if (text.length > MAX_TEXT) {
      this.view.showComposerError(this.errorText("too_large"));
      return false;
    }
    this.typing.stop();
    this.view.showComposerError("");
    this.client.send(this.session.chat.chat_id, text);
    return true;
  }

  draftChanged(text) {
    if (!this.canSend() || this.client.state !== "open") return;
    this.typing.input(text);
  }

  endChat() {
    this.ending.request();
  }

  /** The chat ended (live, or found ended on reconnect): keep the transcript, offer the survey. */
  ended(endedBy, options) {
    return this.ending.ended(endedBy, options);
  }

  showAfter({ focus }) {
    this.ending.showAfter({ focus });
  }

  submitSurvey(answers) {
    return this.ending.submitSurvey(answers);
  }

  /** The chat is over for good: forget the session (a reload starts fresh), say goodbye. */
  finish(kind) {
    if (this.session) {
      this.finished = { transcript: this.session.transcript };
      this.lastChat = { chat: this.session.chat };
    }
    this.forgetSession();
    this.view.showClosing(kind);
    if (this.seen) this.view.focusAfter();
  }

  newChat() {
    this.leave();
    this.finished = null;
    this.lastChat = null;
    this.intake.checkStatus({ focus: true });
  }

  /** The token is refused or the chat expired: nothing to resume. */
  gone() {
    this.leave();
    this.view.setStatus(this.t("status.ended"), "ended");
    this.view.showGone();
    if (this.seen) this.view.focusGone();
  }

  forgetSession() {
    this.session = null;
    this.store.clear();
    this.bridge.post("active", { active: false });
  }

  /** Away from this chat at once: no socket, no session, no End chat button. */
  leave() {
    this.connection.close();
    this.forgetSession();
    this.view.setEndable(false);
    this.view.setConnection("closed", false);
  }

  // ------------------------------------------------------------- utilities

  persist() {
    if (!this.session) return;
    this.store.save(sessionRecord(this.session, this.client && this.client.snapshot()));
  }

  errorText(code) {
    return this.t(errorKey(code));
  }

  downloadTranscript() {
    const source = this.session || this.finished;
    if (!source) return;
    const { name, text } = transcriptFile(source.transcript.items, this.t, this.now());
    this.view.saveFile(name, text);
  }
}
