// The one protocol client shared by the patron widget and the operator dashboard
// (docs/protocol.md). It owns the WebSocket: connect, `hello` with the last seq seen per chat,
// reconnect with exponential backoff and jitter, keep-alives, an outbox whose messages go
// out once per connection until the server has stored them, and per-chat ordering by seq with
// duplicates dropped. It knows nothing about the DOM; views listen to its events.
//
// Events (subscribe with `on(type, fn)`):
//   "state"    {state}                  connecting | open | reconnecting | closed
//   "retry"    {attempt, delay}         a connection failed; the next try is in `delay` ms
//   "welcome"  the server's welcome frame
//   "message"  {chat_id, message}       each message once, in seq order per chat
//   "pending"  {chat_id, items}         the outbox of a chat changed (not yet stored)
//   "rejected" {chat_id, item, error}   the server refused a queued message for good
//   "frame"    any other server frame (chat.queued, chat.claimed, chat.typing, chat.presence,
//              chat.ended, chat.closed, error, pong)
// Everything is injectable (WebSocket, timers, random, history fetch) for tests and for Node.

const DEFAULTS = {
  initialDelay: 500, // ms before the first reconnect attempt
  maxDelay: 15000, // backoff ceiling
  factor: 2,
  jitter: 0.3, // +-30% so a library's worth of patrons does not reconnect in lockstep
  pingInterval: 240000, // API Gateway closes idle sockets after 10 minutes
  gapWait: 1500, // how long to wait for a missing seq before asking the history endpoint
  connectTimeout: 15000, // a handshake (or a welcome) that hangs longer is abandoned and retried
};

const TRANSIENT = new Set(["conflict", "rate_limited", "internal"]);

let counter = 0;
export function newClientMsgId(random = Math.random) {
  counter += 1;
  return `c${Date.now().toString(36)}${counter.toString(36)}${Math.floor(random() * 1e9).toString(36)}`;
}

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, jittered. */
export function backoffDelay(attempt, opts = DEFAULTS, random = Math.random) {
  const base = Math.min(opts.maxDelay, opts.initialDelay * Math.pow(opts.factor, attempt));
  const spread = base * opts.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

/**
 * Per-chat ordering: accepts messages in any order and with duplicates, releases them once,
 * in seq order, with no gaps. `lastSeq` is the highest seq released.
 */
export class SeqTracker {
  constructor(lastSeq = 0) {
    this.lastSeq = lastSeq;
    this.held = new Map(); // seq -> message, waiting for a gap to fill
  }

  /** Returns the messages that can be released now (possibly none). */
  accept(message) {
    const seq = message.seq;
    if (!Number.isInteger(seq) || seq <= this.lastSeq || this.held.has(seq)) return [];
    this.held.set(seq, message);
    const out = [];
    while (this.held.has(this.lastSeq + 1)) {
      this.lastSeq += 1;
      out.push(this.held.get(this.lastSeq));
      this.held.delete(this.lastSeq);
    }
    return out;
  }

  get hasGap() {
    return this.held.size > 0;
  }
}

export class ProtocolClient {
  /**
   * @param {object} o
   * @param {string} o.url        WebSocket URL without the token
   * @param {string} [o.token]    patron or operator token; none for a status watcher
   *                              (docs/protocol.md: `?watch=status`, no token)
   * @param {boolean} [o.resume]  false: `hello` carries no `after` (a watcher has no chats)
   * @param {object} [o.lastSeq]  {chat_id: seq} already seen (e.g. restored after a reload)
   * @param {Array}  [o.outbox]   unsent {chat_id, client_msg_id, text} (restored after a reload)
   * @param {Function} [o.fetchHistory] async (chat_id, after) => [Message...] to fill gaps
   */
  constructor(o) {
    this.url = o.url;
    this.token = o.token || null;
    this.resume = o.resume !== false;
    this.WebSocket = o.WebSocket || globalThis.WebSocket;
    this.setTimeout = o.setTimeout || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = o.clearTimeout || globalThis.clearTimeout.bind(globalThis);
    this.random = o.random || Math.random;
    this.fetchHistory = o.fetchHistory || null;
    this.opts = { ...DEFAULTS, ...(o.options || {}) };
    this.handlers = new Map();
    this.trackers = new Map();
    for (const [chatId, seq] of Object.entries(o.lastSeq || {})) this.tracker(chatId, seq);
    this.outbox = (o.outbox || []).map((item) => ({ ...item, sentOn: null }));
    this.state = "closed";
    this.ws = null;
    this.attempt = 0;
    this.connectionNo = 0;
    this.timers = { reconnect: null, ping: null, connect: null, gap: new Map() };
    this.wanted = false;
  }

  // ------------------------------------------------------------------ events

  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(fn);
    return () => this.handlers.get(type).delete(fn);
  }

  emit(type, detail) {
    for (const fn of this.handlers.get(type) || []) {
      try {
        fn(detail);
      } catch (err) {
        // a failing view must not break the connection
        if (globalThis.console) console.error(err);
      }
    }
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit("state", { state });
  }

  // -------------------------------------------------------------- lifecycle

  connect() {
    this.wanted = true;
    this.open();
  }

  /** Stop for good (no reconnect): page unload, sign-out, chat closed. */
  disconnect() {
    this.wanted = false;
    this.clearTimer("reconnect");
    this.clearTimer("ping");
    this.clearTimer("connect");
    if (this.ws) this.ws.close(1000, "bye");
    this.ws = null;
    this.setState("closed");
  }

  open() {
    this.clearTimer("reconnect");
    const sep = this.url.includes("?") ? "&" : "?";
    const ws = new this.WebSocket(this.token ? `${this.url}${sep}token=${encodeURIComponent(this.token)}` : this.url);
    this.ws = ws;
    this.connectionNo += 1;
    this.setState(this.attempt === 0 && this.state !== "reconnecting" ? "connecting" : "reconnecting");
    // Some networks (proxies, captive portals) leave a handshake hanging with no close event;
    // without this the client would wait on that socket forever.
    this.clearTimer("connect");
    this.timers.connect = this.setTimeout(() => {
      this.timers.connect = null;
      if (this.ws !== ws) return;
      try {
        ws.close();
      } catch {
        /* already failing */
      }
      this.dropped(ws);
    }, this.opts.connectTimeout);
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.sendFrame(this.resume ? { action: "hello", after: this.afterMap() } : { action: "hello" });
      this.schedulePing();
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(typeof ev.data === "string" ? ev.data : String(ev.data));
      } catch {
        return;
      }
      this.receive(frame);
    };
    ws.onclose = () => this.dropped(ws);
    ws.onerror = () => {}; // onclose follows and decides
  }

  /** The socket is gone (closed, refused, or abandoned): reconnect with backoff if still wanted. */
  dropped(ws) {
    if (this.ws !== ws) return;
    this.ws = null;
    this.clearTimer("ping");
    this.clearTimer("connect");
    if (!this.wanted) {
      this.setState("closed");
      return;
    }
    const delay = backoffDelay(this.attempt, this.opts, this.random);
    this.attempt += 1;
    this.setState("reconnecting");
    this.emit("retry", { attempt: this.attempt, delay }); // e.g. check the token after a few
    this.timers.reconnect = this.setTimeout(() => this.open(), delay);
  }

  /** Reconnect now (e.g. the browser says it is online again) instead of waiting. */
  reconnectNow() {
    if (!this.wanted || this.state === "open") return;
    if (this.ws) return;
    this.open();
  }

  clearTimer(name) {
    if (this.timers[name]) this.clearTimeout(this.timers[name]);
    this.timers[name] = null;
  }

  /** A `keepalive` only after a quiet interval: any frame sent restarts API Gateway's 10-minute
   *  idle clock, so a socket that sent something since the last tick skips one (each is an
   *  invocation and a message; unlike `ping`, it is not answered). Frames then go out at most
   *  two intervals (8 min) apart. */
  schedulePing() {
    this.clearTimer("ping");
    this.sentSincePing = false;
    this.timers.ping = this.setTimeout(() => {
      if (!this.sentSincePing) this.sendFrame({ action: "keepalive" }); // answered by nothing
      this.schedulePing();
    }, this.opts.pingInterval);
  }

  sendFrame(frame) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(frame));
    this.sentSincePing = true;
    return true;
  }

  // --------------------------------------------------------------- receiving

  receive(frame) {
    switch (frame.type) {
      case "welcome":
        this.attempt = 0;
        this.clearTimer("connect");
        // the operator's staff room resumes like any chat (welcome.staff, docs/protocol.md)
        for (const chat of [frame.chat, ...(frame.mine || []), frame.staff].filter(Boolean)) {
          this.tracker(chat.chat_id);
        }
        this.setState("open");
        this.emit("welcome", frame);
        this.flushOutbox();
        break;
      case "chat.message":
        this.acceptMessage(frame.chat_id, frame.message);
        break;
      case "error":
        if (this.outboxError(frame)) break;
        this.emit("frame", frame);
        break;
      default:
        this.emit("frame", frame);
    }
  }

  tracker(chatId, lastSeq = 0) {
    if (!this.trackers.has(chatId)) this.trackers.set(chatId, new SeqTracker(lastSeq));
    return this.trackers.get(chatId);
  }

  lastSeq(chatId) {
    return this.trackers.has(chatId) ? this.trackers.get(chatId).lastSeq : 0;
  }

  afterMap() {
    const after = {};
    for (const [chatId, t] of this.trackers) after[chatId] = t.lastSeq;
    return after;
  }

  /** Forget a chat (closed on the dashboard): no more resume for it. */
  forget(chatId) {
    this.trackers.delete(chatId);
    this.outbox = this.outbox.filter((m) => m.chat_id !== chatId);
  }

  /**
   * Feed messages fetched over REST (history) through the same ordering and de-duplication as
   * pushed ones; they come out as "message" events. Public: views use it for a pane opened
   * without a resume point.
   */
  ingest(chatId, messages) {
    for (const m of messages || []) this.acceptMessage(chatId, m);
  }

  acceptMessage(chatId, message) {
    if (!message) return;
    if (message.client_msg_id) this.settle(chatId, message.client_msg_id);
    const tracker = this.tracker(chatId);
    for (const m of tracker.accept(message)) this.emit("message", { chat_id: chatId, message: m });
    if (tracker.hasGap) this.watchGap(chatId);
    else this.clearGap(chatId);
  }

  watchGap(chatId) {
    if (this.timers.gap.has(chatId) || !this.fetchHistory) return;
    const timer = this.setTimeout(async () => {
      this.timers.gap.delete(chatId);
      const tracker = this.tracker(chatId);
      if (!tracker.hasGap) return;
      try {
        const missing = await this.fetchHistory(chatId, tracker.lastSeq);
        for (const m of missing || []) this.acceptMessage(chatId, m);
      } catch {
        this.watchGap(chatId); // try again later
      }
    }, this.opts.gapWait);
    this.timers.gap.set(chatId, timer);
  }

  clearGap(chatId) {
    const timer = this.timers.gap.get(chatId);
    if (timer) this.clearTimeout(timer);
    this.timers.gap.delete(chatId);
  }

  // ------------------------------------------------------------------ sending

  /**
   * Queue a message; it goes out now if connected, else once after the next welcome.
   * Returns its client_msg_id. It leaves the outbox when the server echoes it back stored.
   */
  send(chatId, text, extra = {}) {
    const item = { chat_id: chatId, client_msg_id: newClientMsgId(this.random), text, ...extra, sentOn: null };
    this.outbox.push(item);
    this.emitPending(chatId);
    if (this.state === "open") this.transmit(item);
    return item.client_msg_id;
  }

  transmit(item) {
    if (item.sentOn === this.connectionNo) return; // once per connection
    const { sentOn, ...fields } = item;
    // request_id = client_msg_id, so an `error` names the message it refuses
    if (this.sendFrame({ action: "send", request_id: item.client_msg_id, ...fields })) {
      item.sentOn = this.connectionNo;
    }
  }

  /** An error about a queued message: transient ones retry, the rest leave the outbox. */
  outboxError(frame) {
    const item = this.outbox.find((m) => m.client_msg_id === frame.request_id);
    if (!item) return false;
    if (TRANSIENT.has(frame.code)) {
      item.sentOn = null;
      this.setTimeout(() => this.state === "open" && this.transmit(item), this.opts.initialDelay);
      return true;
    }
    this.outbox = this.outbox.filter((m) => m !== item);
    this.emitPending(item.chat_id);
    const { sentOn, ...rest } = item;
    this.emit("rejected", { chat_id: item.chat_id, item: rest, error: frame });
    return true;
  }

  flushOutbox() {
    for (const item of this.outbox) this.transmit(item);
  }

  settle(chatId, clientMsgId) {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((m) => !(m.chat_id === chatId && m.client_msg_id === clientMsgId));
    if (this.outbox.length !== before) this.emitPending(chatId);
  }

  /** Drop a queued message the server refused (e.g. too_large), so it is not resent forever. */
  discard(clientMsgId) {
    const item = this.outbox.find((m) => m.client_msg_id === clientMsgId);
    if (!item) return;
    this.outbox = this.outbox.filter((m) => m !== item);
    this.emitPending(item.chat_id);
  }

  pending(chatId) {
    return this.outbox.filter((m) => m.chat_id === chatId).map(({ sentOn, ...m }) => m);
  }

  emitPending(chatId) {
    this.emit("pending", { chat_id: chatId, items: this.pending(chatId) });
  }

  /** What to keep across a reload: last seqs and unsent messages. */
  snapshot() {
    return { lastSeq: this.afterMap(), outbox: this.outbox.map(({ sentOn, ...m }) => m) };
  }

  // Thin wrappers for the other actions. `request_id` lets a view match an `error` to its click.
  typing(chatId, typing, preview) {
    const frame = { action: "typing", chat_id: chatId, typing };
    if (preview !== undefined) frame.preview = preview;
    return this.sendFrame(frame);
  }

  presence(chatId, state) {
    return this.sendFrame({ action: "presence", chat_id: chatId, state });
  }

  claim(chatId, requestId) {
    return this.sendFrame({ action: "claim", chat_id: chatId, request_id: requestId });
  }

  end(chatId, requestId) {
    return this.sendFrame({ action: "end", chat_id: chatId, request_id: requestId });
  }

  closeChat(chatId, requestId) {
    return this.sendFrame({ action: "close", chat_id: chatId, request_id: requestId });
  }
}
