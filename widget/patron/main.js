// Composition root of the patron widget: it reads the settings, builds the view, the REST API,
// the session store and (once there is a chat) the shared protocol client, and wires them.
// Decisions live here; the DOM lives in view.js; the wire lives in ../js/protocol.js.
//
// Life of a chat: status check -> offline screen or question form -> POST /api/chats ->
// WebSocket (hello/welcome, backlog) -> queued ("a librarian will be with you shortly") ->
// claimed -> messages both ways -> ended -> survey -> thanks. The session (token, last seq,
// unsent messages, transcript) is saved to sessionStorage on every change and on pagehide, so a
// reload resumes the same chat and a message written while offline goes out once, later.

import { ProtocolClient } from "../js/protocol.js";
import { chatWsUrl, resolveConfig } from "./config.js";
import { makeT } from "./i18n.js";
import { ChatStore, safeStorage, storageKey } from "./store.js";
import { Transcript, transcriptText } from "./transcript.js";
import { PresenceReporter, TypingNotifier, presenceFor } from "./activity.js";
import { PatronApi, queueOnline, surveyBody } from "./api.js";
import { HostBridge } from "./bridge.js";
import { View } from "./view.js";
import { DEFAULT_MAX_BYTES, LinkCache, checkFile, fileName, fileType, megabytes, uploadForm } from "./files.js";

const PROBE_AFTER = 5000; // ms of failed (re)connecting before asking REST whether the chat still exists
const PROBE_EVERY = 20000;
const TYPING_NOTICE_TTL = 8000; // a librarian's typing notice fades if no update arrives
const ENDED_STATES = new Set(["ended", "closed"]);
const GONE_CODES = new Set(["unauthorized", "forbidden", "not_found"]);

export class PatronWidget {
  constructor({ config, t, api, store, win = window }) {
    this.config = config;
    this.t = t;
    this.api = api;
    this.store = store;
    this.win = win;
    this.doc = win.document;
    this.open = config.mode !== "floating"; // a floating panel opens when its host says so
    this.session = null;
    this.finished = null; // the last chat's transcript, for "Download transcript" after it is cleared
    this.client = null;
    this.unread = 0;
    this.statusRun = 0;
    this.queueId = config.queue;
    this.timers = { probe: null, typing: null };
    this.maxBytes = DEFAULT_MAX_BYTES; // the service's limit once an upload slot has told it
    this.uploading = false;
    this.links = null; // {chatId, cache}: thumbnails' short-lived links
    const timeFormat = new Intl.DateTimeFormat(t.lang, { hour: "numeric", minute: "2-digit" });
    this.formatTime = (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? "" : timeFormat.format(date);
    };
    this.view = new View(this.doc.getElementById("lc-root"), t, {
      mode: config.mode, formatTime: this.formatTime, handlers: this.handlers(),
    });
    this.typing = new TypingNotifier({
      send: (typing, preview) => this.client && this.session
        && this.client.typing(this.session.chat.chat_id, typing, typing ? preview : undefined),
    });
    this.presence = new PresenceReporter((state) => (this.client && this.client.state === "open" && this.session
      ? this.client.presence(this.session.chat.chat_id, state) : false));
    this.bridge = new HostBridge(win, config.parentOrigin, (command) => this.onHostCommand(command));
  }

  handlers() {
    return {
      onMinimize: () => this.bridge.post("close"),
      onEscape: () => {
        if (this.config.mode === "floating") this.bridge.post("close");
      },
      onRetryStatus: () => this.checkStatus({ focus: true }),
      onSubmitQuestion: (values) => this.startChat(values),
      onSend: (text) => this.send(text),
      onDraft: (text) => this.draftChanged(text),
      onEndConfirmed: () => this.endChat(),
      onSurvey: (answers) => this.submitSurvey(answers),
      onSkipSurvey: () => this.finish("skipped"),
      onNewChat: () => this.newChat(),
      onDownload: () => this.downloadTranscript(),
      onOpenFile: (file) => this.openFile(file),
      onAttach: (files) => this.attach(files),
      onThumbnail: (file, options) => this.thumbnailUrl(file, options),
    };
  }

  // -------------------------------------------------------------- lifecycle

  start() {
    const { doc, win } = this;
    doc.documentElement.lang = this.t.lang;
    doc.documentElement.classList.add(`lc-mode-${this.config.mode}`);
    doc.title = this.t("app.title");
    const saved = this.store.load();
    if (saved) this.resume(saved);
    else if (this.open) this.checkStatus({ focus: false });
    else this.view.showLoading();
    doc.addEventListener("visibilitychange", () => this.activityChanged());
    win.addEventListener("online", () => {
      if (this.client) {
        this.view.setConnection(this.client.state, false);
        this.client.reconnectNow();
      }
    });
    win.addEventListener("offline", () => this.client && this.view.setConnection(this.client.state, true));
    win.addEventListener("pagehide", () => this.persist());
    if (this.config.mode === "inline" && "ResizeObserver" in win) {
      const report = () => this.bridge.post("resize", { height: Math.ceil(this.view.app.getBoundingClientRect().height) });
      new win.ResizeObserver(report).observe(this.view.app);
    }
    this.bridge.post("ready", { active: Boolean(this.session) });
  }

  onHostCommand(command) {
    if (command.type === "open") this.setOpen(true, command.focus !== false);
    else if (command.type === "close") this.setOpen(false);
  }

  setOpen(open, focus = false) {
    const wasOpen = this.open;
    this.open = open;
    this.activityChanged();
    if (!open) {
      this.view.closeConfirm();
      return;
    }
    if (!this.session && !this.finished) {
      this.checkStatus({ focus });
    } else if (focus) {
      if (this.session && !ENDED_STATES.has(this.session.chat.status)) this.view.focusComposer();
      else this.view.focusAfter();
    }
    if (!wasOpen && this.session) this.view.scrollToBottom();
  }

  /** Seen = the panel is open and the tab visible: drives presence and the unread count. */
  get seen() {
    return this.open && this.doc.visibilityState !== "hidden";
  }

  activityChanged() {
    if (this.seen && this.unread) {
      this.unread = 0;
      this.bridge.post("unread", { count: 0 });
    }
    if (this.session && this.client) {
      this.presence.update(presenceFor({ hidden: this.doc.visibilityState === "hidden", open: this.open }));
    }
  }

  noteUnread() {
    if (this.seen) return;
    this.unread += 1;
    this.bridge.post("unread", { count: this.unread });
  }

  // ----------------------------------------------------------- before a chat

  async checkStatus({ focus }) {
    if (this.session) return;
    const run = ++this.statusRun;
    const onForm = this.view.app.dataset.screen === "form";
    if (onForm) this.formDraft = this.view.formValues(); // kept if the form has to go away
    else this.view.showLoading();
    this.view.setStatus(this.t("status.checking"), "neutral");
    let status;
    try {
      status = await this.api.status();
    } catch {
      if (run !== this.statusRun || this.session) return;
      this.view.setStatus(this.t("status.unavailable"), "offline");
      this.showOffline({ unavailable: true, focus });
      return;
    }
    if (run !== this.statusRun || this.session) return;
    const queues = Array.isArray(status.queues) ? status.queues : [];
    this.queueId = queues.some((q) => q && q.id === this.config.queue) ? this.config.queue : undefined;
    if (queueOnline(status, this.config.queue)) {
      this.view.setStatus(this.t("status.online"), "online");
      if (this.view.app.dataset.screen !== "form") this.view.showForm(this.formDraft || {});
      if (focus) this.view.focusForm();
    } else {
      this.view.setStatus(this.t("status.offline"), "offline");
      this.showOffline({ unavailable: false, focus });
    }
  }

  showOffline({ unavailable, focus }) {
    const c = this.config;
    this.view.showOffline({ email: c.offlineEmail, phone: c.offlinePhone, url: c.offlineUrl,
      message: c.offlineMessage, unavailable });
    if (focus) this.view.focusOffline();
  }

  async startChat(values) {
    this.view.setFormBusy(true);
    this.view.setFormError("");
    let created;
    try {
      created = await this.api.createChat({ ...values, queue: this.queueId });
    } catch (err) {
      this.view.setFormBusy(false);
      this.view.setFormError(this.errorText(err.code));
      return;
    }
    this.session = {
      chat: { chat_id: created.chat_id, token: created.token, ws_url: chatWsUrl(this.config, created.ws_url),
        status: "queued", operator: null, ended_by: null },
      lastSeq: { [created.chat_id]: 0 },
      outbox: [],
      transcript: new Transcript(),
      survey: null,
    };
    this.finished = null;
    this.formDraft = null;
    this.persist();
    this.bridge.post("active", { active: true });
    this.enterConversation({ focus: true });
  }

  resume(saved) {
    this.session = { ...saved, transcript: new Transcript(saved.transcript) };
    this.enterConversation({ focus: false });
  }

  // ------------------------------------------------------------ the chat

  enterConversation({ focus }) {
    const { chat } = this.session;
    this.view.showConversation();
    this.view.renderTranscript(this.session.transcript.items);
    if (ENDED_STATES.has(chat.status)) {
      this.showAfter({ focus });
      return;
    }
    this.view.setEndable(true);
    this.view.setWaiting(chat.status === "queued");
    this.updateHeader();
    this.connect();
    if (focus) this.view.focusComposer();
  }

  connect() {
    const { chat } = this.session;
    const client = new ProtocolClient({
      url: chat.ws_url || this.config.wsUrl,
      token: chat.token,
      lastSeq: this.session.lastSeq,
      outbox: this.session.outbox,
      fetchHistory: (chatId, after) => this.api.history(chatId, chat.token, after),
    });
    this.client = client;
    client.on("state", ({ state }) => {
      this.view.setConnection(state, this.win.navigator.onLine === false);
      this.watchConnection(state);
    });
    client.on("welcome", (frame) => this.onWelcome(frame));
    client.on("message", ({ message }) => this.onMessage(message));
    client.on("pending", ({ items }) => {
      this.view.setPending(items);
      this.persist();
    });
    client.on("rejected", ({ item, error }) => {
      this.view.showComposerError(item && item.attachment ? this.fileErrorText(error) : this.errorText(error.code));
      if (item && item.text) this.view.setDraft(item.text);
      this.persist();
    });
    client.on("frame", (frame) => this.onFrame(frame));
    this.view.setPending(client.pending(chat.chat_id));
    client.connect();
  }

  onWelcome(frame) {
    if (!this.session) return;
    const chat = frame.chat || {};
    const mine = this.session.chat;
    if (chat.operator && chat.operator.name) mine.operator = { id: chat.operator.id, name: chat.operator.name };
    if (typeof chat.status === "string") mine.status = chat.status;
    if (mine.status === "active" && mine.operator) this.notice(claimedId(mine), "joined", { name: mine.operator.name });
    if (ENDED_STATES.has(mine.status)) {
      this.ended(mine.ended_by, { catchUp: true });
      return;
    }
    this.view.setWaiting(mine.status === "queued");
    this.updateHeader();
    this.presence.update(presenceFor({ hidden: this.doc.visibilityState === "hidden", open: this.open }),
      { force: true, serverState: chat.patron_presence });
    this.persist();
  }

  onMessage(message) {
    if (!this.session) return;
    const mine = this.session.chat;
    if (message.sender && message.sender.role === "operator" && mine.status === "queued") {
      // A librarian is writing, so the chat was claimed even if its chat.claimed went astray
      // (a reconnect at the same moment): catch up before showing the message.
      mine.status = "active";
      if (message.sender.name) mine.operator = { id: message.sender.id, name: message.sender.name };
      this.notice(claimedId(mine), "joined", { name: mine.operator && mine.operator.name });
      this.view.setWaiting(false);
      this.updateHeader();
    }
    const item = this.session.transcript.addMessage(message);
    if (!item) return;
    this.view.appendItem(item);
    if (item.role === "operator") {
      this.showLibrarianTyping(false);
      this.noteUnread();
    }
    this.persist();
  }

  onFrame(frame) {
    if (!this.session || (frame.chat_id && frame.chat_id !== this.session.chat.chat_id)) return;
    const mine = this.session.chat;
    switch (frame.type) {
      case "chat.claimed":
        mine.status = "active";
        if (frame.operator) mine.operator = { id: frame.operator.id, name: frame.operator.name };
        this.notice(claimedId(mine), "joined", { name: mine.operator && mine.operator.name });
        this.view.setWaiting(false);
        this.updateHeader();
        this.persist();
        break;
      case "chat.typing":
        if (frame.role === "operator") this.showLibrarianTyping(Boolean(frame.typing));
        break;
      case "chat.transferred": // back to the queue (a transfer to a colleague is a chat.claimed)
        if (frame.to) break;
        mine.status = "queued";
        mine.operator = null;
        this.notice(`requeued:${frame.from ? frame.from.id : ""}:${mine.last_seq || 0}`, "requeued", {});
        this.view.setWaiting(true);
        this.updateHeader();
        this.persist();
        break;
      case "chat.ended":
        this.ended(frame.ended_by || null, { catchUp: false });
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

  notice(id, type, vars) {
    const item = this.session.transcript.addNotice(id, type, vars, new Date().toISOString());
    if (item) {
      this.view.appendItem(item);
      this.noteUnread();
    }
  }

  showLibrarianTyping(on) {
    this.win.clearTimeout(this.timers.typing);
    if (!on || !this.session) {
      this.view.setTyping(null);
      return;
    }
    const op = this.session.chat.operator;
    this.view.setTyping(op && op.name ? op.name : this.t("who.librarian"));
    this.timers.typing = this.win.setTimeout(() => this.view.setTyping(null), TYPING_NOTICE_TTL);
  }

  updateHeader() {
    const chat = this.session && this.session.chat;
    if (!chat) return;
    if (ENDED_STATES.has(chat.status)) this.view.setStatus(this.t("status.ended"), "ended");
    else if (chat.status === "active" && chat.operator) {
      this.view.setStatus(this.t("status.active", { name: chat.operator.name }), "active");
    } else this.view.setStatus(this.t("status.waiting"), "waiting");
  }

  send(text) {
    if (!this.session || !this.client || ENDED_STATES.has(this.session.chat.status)) return false;
    if (text.length > 4000) {
      this.view.showComposerError(this.errorText("too_large"));
      return false;
    }
    this.typing.stop();
    this.view.showComposerError("");
    this.client.send(this.session.chat.chat_id, text);
    return true;
  }

  draftChanged(text) {
    if (!this.session || !this.client || this.client.state !== "open") return;
    if (ENDED_STATES.has(this.session.chat.status)) return;
    this.typing.input(text);
  }

  endChat() {
    if (!this.session || !this.client) return;
    if (this.client.state !== "open" || !this.client.end(this.session.chat.chat_id, "end")) {
      this.view.showComposerError(this.t("error.notConnected"));
    }
  }

  /** The chat ended (live, or found ended on reconnect): keep the transcript, offer the survey. */
  async ended(endedBy, { catchUp }) {
    const session = this.session;
    if (!session || session.endedHandled) return;
    session.endedHandled = true;
    const mine = session.chat;
    mine.status = "ended";
    mine.ended_by = endedBy || mine.ended_by || null;
    this.typing.stop();
    this.showLibrarianTyping(false);
    this.view.setWaiting(false);
    this.view.setEndable(false);
    const client = this.client;
    if (catchUp) {
      // Found ended on reconnect: messages sent meanwhile may still be on their way in the
      // backlog; read them from the history endpoint before letting the socket go.
      try {
        for (const m of await this.api.history(mine.chat_id, mine.token, session.transcript.lastSeq)) this.onMessage(m);
      } catch {
        /* the transcript we have is still worth showing */
      }
    }
    if (this.session !== session) return;
    this.notice("ended", "ended", { by: mine.ended_by, name: mine.operator && mine.operator.name });
    if (client) client.disconnect();
    this.client = null;
    this.clearProbe();
    this.view.setConnection("closed", false);
    this.view.setPending([]);
    session.survey = mine.operator ? "pending" : null;
    this.persist();
    this.showAfter({ focus: this.seen });
  }

  showAfter({ focus }) {
    this.updateHeader();
    this.view.setEndable(false);
    this.view.setWaiting(false);
    if (this.session.survey === "pending") {
      this.view.showSurvey();
      if (focus) this.view.focusAfter();
    } else {
      this.finish("left");
    }
  }

  async submitSurvey(answers) {
    const session = this.session;
    if (!session) return;
    this.view.setSurveyBusy(true);
    this.view.setSurveyError("");
    try {
      await this.api.submitSurvey(session.chat.chat_id, session.chat.token, surveyBody(answers));
    } catch (err) {
      if (err.code !== "conflict") { // conflict: already submitted (another tab): thanks all the same
        this.view.setSurveyBusy(false);
        this.view.setSurveyError(this.errorText(err.code));
        return;
      }
    }
    this.finish("thanks");
  }

  /** The chat is over for good: forget the session (a reload starts fresh), say goodbye. */
  finish(kind) {
    if (this.session) {
      this.finished = { transcript: this.session.transcript };
      this.lastChat = { chat: this.session.chat }; // in memory only: files stay openable until a new chat
    }
    this.session = null;
    this.store.clear();
    this.bridge.post("active", { active: false });
    this.view.showClosing(kind);
    if (this.seen) this.view.focusAfter();
  }

  newChat() {
    if (this.client) this.client.disconnect();
    this.client = null;
    this.clearProbe();
    this.session = null;
    this.finished = null;
    this.lastChat = null;
    this.store.clear();
    this.bridge.post("active", { active: false });
    this.view.setEndable(false);
    this.view.setConnection("closed", false);
    this.checkStatus({ focus: true });
  }

  /** The token is refused or the chat expired: nothing to resume. */
  gone() {
    if (this.client) this.client.disconnect();
    this.client = null;
    this.clearProbe();
    this.session = null;
    this.store.clear();
    this.bridge.post("active", { active: false });
    this.view.setEndable(false);
    this.view.setConnection("closed", false);
    this.view.setStatus(this.t("status.ended"), "ended");
    this.view.showGone();
    if (this.seen) this.view.focusGone();
  }

  // ------------------------------------------------------ connection health

  /**
   * A refused handshake (expired token, deleted chat) looks like any dropped connection to a
   * browser. If (re)connecting drags on, ask REST: 401/403/404 means the chat is gone.
   */
  watchConnection(state) {
    if (state === "open" || state === "closed") {
      this.clearProbe();
      return;
    }
    if (!this.timers.probe) this.timers.probe = this.win.setTimeout(() => this.probe(), PROBE_AFTER);
  }

  async probe() {
    this.timers.probe = null;
    const session = this.session;
    if (!session || !this.client || this.client.state === "open") return;
    try {
      await this.api.history(session.chat.chat_id, session.chat.token, session.transcript.lastSeq);
    } catch (err) {
      if (this.session === session && [401, 403, 404].includes(err.status)) {
        this.gone();
        return;
      }
    }
    if (this.session === session && this.client && this.client.state !== "open") {
      this.timers.probe = this.win.setTimeout(() => this.probe(), PROBE_EVERY);
    }
  }

  clearProbe() {
    this.win.clearTimeout(this.timers.probe);
    this.timers.probe = null;
  }

  // ------------------------------------------------------------- utilities

  persist() {
    const session = this.session;
    if (!session) return;
    if (this.client) {
      const snap = this.client.snapshot();
      session.lastSeq = { [session.chat.chat_id]: snap.lastSeq[session.chat.chat_id] || 0 };
      session.outbox = snap.outbox;
    }
    this.store.save({ chat: session.chat, lastSeq: session.lastSeq, outbox: session.outbox,
      transcript: session.transcript.toJSON(), survey: session.survey });
  }

  errorText(code) {
    const known = ["too_large", "rate_limited", "invalid_state", "bad_request", "network"];
    return this.t(known.includes(code) ? `error.${code}` : "error.generic");
  }

  // ------------------------------------------------------------------ files

  /** Files chosen, pasted or dropped: each is checked, uploaded to S3, then sent as a message. */
  async attach(files) {
    if (!this.session || !this.client || ENDED_STATES.has(this.session.chat.status)) return;
    if (this.uploading) return; // the paperclip is held meanwhile; a paste or drop waits its turn
    this.uploading = true;
    try {
      for (const file of files) {
        if (!(await this.uploadOne(file))) break;
      }
    } finally {
      this.uploading = false;
      this.view.setUploading(null);
    }
  }

  async uploadOne(file) {
    const session = this.session;
    const type = fileType(file);
    const problem = checkFile(file, this.maxBytes);
    if (problem) {
      this.view.showComposerError(this.fileErrorText(problem));
      return false;
    }
    const name = fileName(file, type);
    const { chat_id: chatId, token } = session.chat;
    this.view.showComposerError("");
    this.view.setUploading(this.t("upload.busy", { name }));
    let slot;
    try {
      slot = await this.api.uploadSlot(chatId, token, { filename: name, content_type: type, size: file.size });
      if (Number.isInteger(slot.max_bytes) && slot.max_bytes > 0) {
        this.maxBytes = slot.max_bytes;
        if (file.size > slot.max_bytes) {
          this.view.showComposerError(this.fileErrorText({ code: "too_large" }));
          return false;
        }
      }
      await this.api.upload(slot.url, uploadForm(slot.fields, file, name));
    } catch (err) {
      if (this.session === session) this.view.showComposerError(this.fileErrorText(err));
      return false;
    }
    if (this.session !== session || !this.client || ENDED_STATES.has(session.chat.status)) return false;
    this.typing.stop();
    this.client.send(chatId, this.view.takeDraft(), {
      attachment: { key: slot.key, name, size: file.size, content_type: type },
    });
    return true;
  }

  fileErrorText(err) {
    const code = err && err.code;
    if (code === "too_large") return this.t("error.fileTooLarge", { mb: megabytes(this.maxBytes, this.t.lang) });
    if (code === "type") return this.t("error.fileType");
    if (code === "empty") return this.t("error.fileEmpty");
    if (code === "network" || code === "invalid_state" || code === "rate_limited") return this.errorText(code);
    return this.t("error.upload");
  }

  /** A thumbnail's link: reused while fresh (5 minutes), asked for again once it expires. */
  thumbnailUrl(file, { fresh = false } = {}) {
    const source = this.session || this.lastChat;
    if (!source) return Promise.resolve(null);
    const { chat_id: chatId, token } = source.chat;
    if (!this.links || this.links.chatId !== chatId) {
      this.links = { chatId, cache: new LinkCache((key) => this.api.fileLink(chatId, token, key)) };
    }
    return this.links.cache.get(file.key, { fresh });
  }

  /** Files open in a new tab through a 5-minute presigned link the service hands out per click. */
  async openFile(file) {
    const source = this.session || this.lastChat;
    if (!source) return;
    // Opened at once (still inside the click), pointed at the file when the link arrives:
    // a window opened after an await may be blocked as a pop-up.
    const tab = this.win.open("", "_blank");
    if (tab) tab.opener = null;
    try {
      const url = await this.api.fileUrl(source.chat.chat_id, source.chat.token, file.key);
      if (tab) tab.location.href = url;
      else this.win.open(url, "_blank", "noopener");
    } catch (err) {
      if (tab) tab.close();
      const text = this.t("error.file");
      if (this.session && !ENDED_STATES.has(this.session.chat.status)) this.view.showComposerError(text);
      else this.view.setSurveyError(text);
    }
  }

  downloadTranscript() {
    const source = this.session || this.finished;
    if (!source) return;
    const stampFormat = new Intl.DateTimeFormat(this.t.lang, { dateStyle: "medium", timeStyle: "short" });
    const text = transcriptText(source.transcript.items, this.t, (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? "" : stampFormat.format(date);
    });
    const blob = new Blob([text], { type: "text/plain;charset=utf-8" });
    const link = this.doc.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = this.t("transcript.file", { date: new Date().toISOString().slice(0, 10) });
    this.doc.body.appendChild(link);
    link.click();
    link.remove();
    this.win.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }
}

async function loadFileConfig(win) {
  try {
    const response = await win.fetch(new URL("../config.json", win.location.href), { cache: "no-cache", credentials: "omit" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

export async function boot(win = window) {
  const config = resolveConfig({ location: win.location, fileJson: await loadFileConfig(win),
    navigatorLang: win.navigator.languages || win.navigator.language });
  const t = makeT(config.lang);
  const store = new ChatStore(safeStorage(win), storageKey(config.queue));
  const widget = new PatronWidget({ config, t, api: new PatronApi(config.restUrl), store, win });
  widget.start();
  return widget;
}

if (typeof window !== "undefined" && window.document && window.document.getElementById("lc-root")) {
  boot(window);
}

/** One "joined" notice per librarian: a transfer brings a new one ("Libby joined the chat"). */
function claimedId(chat) {
  return chat.operator && chat.operator.id ? `claimed:${chat.operator.id}` : "claimed";
}
