// What the librarian learns about the patron's activity: typing (a notice, then the draft on
// pauses) and presence (away while the tab is hidden or the chat panel is minimized).
// Pure logic with injectable timers and clock; connection.js wires it to the protocol client,
// controller.js to the composer and the chat's state. bench/cost.py drives this very class
// on a fake clock to count what a chat costs, so the cadence lives in the exported constants.

/** A draft goes out once the patron has paused this long (ms without a keystroke). */
export const TYPING_PAUSE_MS = 1500;
/** While typing goes on without a pause, the draft goes out this often (ms). */
export const TYPING_MAX_INTERVAL_MS = 10000;
/** Drafts at pauses are at least this far apart (ms): a patron who stops after every word
 *  costs a frame per few seconds, not one per word. */
export const TYPING_MIN_GAP_MS = 4000;
/** Without previews there is no draft to show: the notice is only kept alive this often (ms),
 *  under the dashboard's 15 s fade (TYPING_SHOW_MS in widget/dashboard/controller-chats.js). */
export const TYPING_KEEPALIVE_MS = 10000;
/** A draft left alone this long (ms) is abandoned: `typing false`, once. */
export const TYPING_IDLE_MS = 10000;
/** The longest preview sent (characters). */
export const TYPING_MAX_PREVIEW = 500;

/**
 * The patron's typing, at a few frames a message (each frame is a Lambda invocation and a post):
 *   - `typing true` with the draft at the first keystroke (the librarian sees "typing…" at once);
 *   - then the latest draft when the patron pauses (`pause` ms without a keystroke; at least
 *     `minGap` ms after the last one), or every `maxInterval` ms while typing goes on without
 *     a pause (nothing when the draft has not changed);
 *   - `typing false` only when the draft is emptied, or left alone for `idle` ms;
 *   - nothing after a send (`stop()`): the librarian's dashboard clears the notice when the
 *     message arrives;
 *   - nothing at all while the chat is not active (`setActive(false)`: still queued, nobody's
 *     pane would show it and the service drops it).
 * `send(typing, preview)` returns false when the frame could not go out (not connected): the
 * next keystroke tries again. `previews()` says whether the library shows drafts
 * (welcome.typing_preview); without them only the notice goes out, kept alive every
 * `keepAlive` ms while typing goes on.
 */
export class TypingNotifier {
  constructor({ send, setTimeout: st, clearTimeout: ct, now, previews, active = false,
    pause = TYPING_PAUSE_MS, maxInterval = TYPING_MAX_INTERVAL_MS, minGap = TYPING_MIN_GAP_MS,
    keepAlive = TYPING_KEEPALIVE_MS, idle = TYPING_IDLE_MS, maxPreview = TYPING_MAX_PREVIEW }) {
    this.sendFn = send;
    this.setTimeout = st || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = ct || globalThis.clearTimeout.bind(globalThis);
    this.now = now || (() => Date.now());
    this.previews = typeof previews === "function" ? previews : () => previews !== false;
    this.active = Boolean(active);
    this.pause = pause;
    this.maxInterval = maxInterval;
    this.minGap = minGap;
    this.keepAlive = keepAlive;
    this.idle = idle;
    this.maxPreview = maxPreview;
    this.announced = false; // the librarian has been told the patron is typing
    this.lastSent = -Infinity;
    this.latest = "";
    this.sentPreview = null;
    this.pauseTimer = null;
    this.idleTimer = null;
  }

  /** The chat is claimed (true) or not (queued, ended): typing goes out only while it is. */
  setActive(active) {
    this.active = Boolean(active);
    if (!this.active) this.stop();
  }

  /** The draft changed (every keystroke, paste or cut). */
  input(text) {
    if (!this.active) return;
    const draft = typeof text === "string" ? text : "";
    if (!draft.trim()) {
      this.abandon();
      return;
    }
    this.latest = draft.slice(0, this.maxPreview);
    const previews = this.previews();
    const every = previews ? this.maxInterval : this.keepAlive;
    if (!this.announced || (this.now() - this.lastSent >= every && (!previews || this.latest !== this.sentPreview))) {
      this.flush();
    }
    this.clearTimers();
    if (previews) this.pauseTimer = this.setTimeout(() => this.paused(), this.pause);
    this.idleTimer = this.setTimeout(() => {
      this.idleTimer = null;
      this.abandon();
    }, this.idle);
  }

  paused() {
    this.pauseTimer = null;
    if (!(this.active && this.announced && this.previews() && this.latest !== this.sentPreview)) return;
    const wait = this.lastSent + this.minGap - this.now();
    if (wait > 0) {
      this.pauseTimer = this.setTimeout(() => this.paused(), wait);
      return;
    }
    this.flush();
  }

  flush() {
    if (this.sendFn(true, this.latest) === false) return;
    this.lastSent = this.now();
    this.sentPreview = this.latest;
    this.announced = true;
  }

  /** The draft was emptied or left alone: `typing false`, once. */
  abandon() {
    const told = this.announced;
    this.forget();
    if (told) this.sendFn(false);
  }

  /** The message was sent, or the chat is over: forget the timers and say nothing. */
  stop() {
    this.forget();
  }

  forget() {
    this.clearTimers();
    this.announced = false;
    this.sentPreview = null;
    this.latest = "";
    this.lastSent = -Infinity;
  }

  clearTimers() {
    if (this.pauseTimer) this.clearTimeout(this.pauseTimer);
    if (this.idleTimer) this.clearTimeout(this.idleTimer);
    this.pauseTimer = this.idleTimer = null;
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
