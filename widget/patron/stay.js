// The warning before a waiting chat is given up (WCAG 2.2.1 timing adjustable). The service
// ends a chat nobody has claimed yet once its patron has been offline ABANDON_AFTER_SECONDS
// (chalicelib/settings.py, default 120; docs/protocol.md "Waiting patrons"). While the widget
// is open its connection never idles out (the protocol client's keepalive, ../js/protocol.js),
// so this clock only runs while the connection is down. From `lead` seconds before the end
// (30: at least WCAG's 20, plus slack for the service's own clock) the view shows "Are you
// still there?" with a countdown and a Stay connected button (reconnect now, instead of at
// the next backoff step): a connection that is back stops the clock and the warning goes.
// Pure logic with injected timers and clock; connection.js wires it to the protocol client.

export const ABANDON_AFTER_SECONDS = 120;
export const WARN_LEAD_SECONDS = 30;

export class AbandonWarning {
  /**
   * @param {object} o
   * @param {object} o.view  {showStayWarning(seconds), updateStayWarning(seconds), hideStayWarning()}
   * @param {number} [o.abandonAfter]  seconds (the service's ABANDON_AFTER_SECONDS)
   * @param {number} [o.lead]  seconds of warning before the end
   * @param {Function} [o.onWarn]  () => void: the warning appeared (the launcher counts it as unread)
   */
  constructor({ view, now, setTimeout: st, clearTimeout: ct, abandonAfter = ABANDON_AFTER_SECONDS,
    lead = WARN_LEAD_SECONDS, onWarn }) {
    Object.assign(this, { view, abandonAfter, lead });
    this.now = now || (() => Date.now());
    this.setTimeout = st || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = ct || globalThis.clearTimeout.bind(globalThis);
    this.onWarn = onWarn || (() => {});
    this.downSince = null; // ms: when the connection of a waiting chat went
    this.timer = null;
    this.shown = false;
  }

  /** The connection's state (connecting | open | reconnecting | closed); `waiting`: the chat is queued. */
  connectionChanged(state, waiting) {
    if (state === "open" || state === "closed" || !waiting) {
      this.stop();
      return;
    }
    if (this.downSince !== null) return; // already counting
    this.downSince = this.now();
    const warnIn = Math.max(0, (this.abandonAfter - this.lead) * 1000);
    this.timer = this.setTimeout(() => this.tick(), warnIn);
  }

  /** Seconds until the service may end the chat (0 once that moment has passed). */
  secondsLeft() {
    if (this.downSince === null) return null;
    return Math.max(0, Math.ceil((this.downSince + this.abandonAfter * 1000 - this.now()) / 1000));
  }

  tick() {
    this.timer = null;
    const left = this.secondsLeft();
    if (!this.shown) {
      this.shown = true;
      this.view.showStayWarning(left);
      this.onWarn();
    } else {
      this.view.updateStayWarning(left);
    }
    if (left > 0) this.timer = this.setTimeout(() => this.tick(), 1000);
  }

  /** Connected again, ended, claimed or left: no clock, no warning. */
  stop() {
    if (this.timer) this.clearTimeout(this.timer);
    this.timer = null;
    this.downSince = null;
    if (this.shown) this.view.hideStayWarning();
    this.shown = false;
  }
}
