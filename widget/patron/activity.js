// What the librarian learns about the patron's activity: typing (with a preview of the draft,
// throttled) and presence (away while the tab is hidden or the chat panel is minimized).
// Pure logic with injectable timers; main.js wires it to the composer and the protocol client.

/**
 * Sends `typing true` with the current draft at most once per `interval` ms (the last draft is
 * always delivered, trailing), and `typing false` after `idle` ms without input, when the draft
 * is emptied, or when the message is sent (`stop()`).
 */
export class TypingNotifier {
  constructor({ send, setTimeout: st, clearTimeout: ct, now, interval = 500, idle = 3000, maxPreview = 500 }) {
    this.sendFn = send;
    this.setTimeout = st || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = ct || globalThis.clearTimeout.bind(globalThis);
    this.now = now || (() => Date.now());
    this.interval = interval;
    this.idle = idle;
    this.maxPreview = maxPreview;
    this.active = false;
    this.lastSent = -Infinity;
    this.latest = "";
    this.sentPreview = null;
    this.trailing = null;
    this.idleTimer = null;
  }

  input(text) {
    const draft = typeof text === "string" ? text : "";
    if (!draft.trim()) {
      this.stop();
      return;
    }
    this.latest = draft.slice(0, this.maxPreview);
    const wait = this.lastSent + this.interval - this.now();
    if (!this.active || wait <= 0) {
      this.flush();
    } else if (!this.trailing) {
      this.trailing = this.setTimeout(() => {
        this.trailing = null;
        if (this.active && this.latest !== this.sentPreview) this.flush();
      }, wait);
    }
    if (this.idleTimer) this.clearTimeout(this.idleTimer);
    this.idleTimer = this.setTimeout(() => {
      this.idleTimer = null;
      this.stop();
    }, this.idle);
  }

  flush() {
    this.lastSent = this.now();
    this.sentPreview = this.latest;
    this.active = true;
    this.sendFn(true, this.latest);
  }

  /** The draft was sent, emptied or abandoned: tell the librarian once, and forget timers. */
  stop() {
    if (this.trailing) this.clearTimeout(this.trailing);
    if (this.idleTimer) this.clearTimeout(this.idleTimer);
    this.trailing = this.idleTimer = null;
    if (this.active) {
      this.active = false;
      this.sentPreview = null;
      this.sendFn(false);
    }
  }
}

/** The patron is "online" only while the page is visible and the chat panel is open. */
export function presenceFor({ hidden, open }) {
  return hidden || !open ? "away" : "online";
}

/**
 * Tracks the presence last reported, so each change is sent once; `force` re-sends after a
 * reconnect (the service learns the state afresh from each connection's reports).
 */
export class PresenceReporter {
  constructor(send) {
    this.send = send;
    this.reported = null;
  }

  update(state, { force = false, serverState } = {}) {
    const known = serverState ?? this.reported;
    if (!force && state === known) return false;
    if (force && state === serverState) {
      this.reported = state;
      return false;
    }
    if (this.send(state) !== false) {
      this.reported = state;
      return true;
    }
    return false;
  }
}
