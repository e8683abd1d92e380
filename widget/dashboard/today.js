// The Chats tab's "today" line (docs/reports.md GET /api/reports/today): per desk the librarian
// may see, "Today: 2 waiting, wait to claim p50 35 s, p90 80 s (target 60 s)". Asked when the
// tab is shown, every minute while it is in view, and soon after a chat is queued, claimed or
// ended (debounced: a busy desk makes one request, not one per frame). No DOM: the view
// (view-today.js) renders it quietly, outside any live region: it is there to glance at, not
// announced at every refresh. Unit-tested in widget/tests/dashboard-reports-today.test.mjs.

import { seconds, TODAY } from "./strings-reports.js";

export const REFRESH_MS = 60 * 1000;
export const FRAME_DEBOUNCE_MS = 2000;
export const FRESH_MS = 10 * 1000; // back on the Chats tab within this: the line shown is fresh enough
const FRAMES = new Set(["chat.queued", "chat.claimed", "chat.ended"]);

/** The lines for GET /api/reports/today's answer: [{id, name, text}], one per desk. */
export function todayLines(res, deskLabel = (id, name) => name || id) {
  const desks = res && Array.isArray(res.desks) ? res.desks : [];
  const target = res && Number.isFinite(res.target_seconds) ? seconds(res.target_seconds) : "";
  return desks.filter((d) => d && d.id).map((d) => {
    const waiting = Number.isInteger(d.waiting) ? d.waiting : 0;
    const line = TODAY.line(waiting, seconds(d.p50), seconds(d.p90), target);
    const name = deskLabel(d.id, d.name) || d.name || d.id;
    return { id: d.id, name, line, text: TODAY.desk(name, line) };
  });
}

export class TodayLine {
  /**
   * @param {object} o
   * @param {object} o.api       Api: reportToday()
   * @param {object} o.view      TodayView (or a fake): show(lines), hide()
   * @param {Function} o.visible () => boolean: the Chats tab is shown and the page is in view
   * @param {Function} [o.deskLabel] (id, name) => label
   * @param {Function} [o.onAuthLost]
   * @param {Function} [o.setTimeout] @param {Function} [o.clearTimeout] @param {Function} [o.now]  (a fake clock in tests)
   */
  constructor(o) {
    this.api = o.api;
    this.view = o.view;
    this.visible = o.visible;
    this.deskLabel = o.deskLabel || ((id, name) => name || id);
    this.onAuthLost = o.onAuthLost || (() => {});
    this.setTimeout = o.setTimeout || ((fn, ms) => setTimeout(fn, ms));
    this.clearTimeout = o.clearTimeout || ((t) => clearTimeout(t));
    this.now = o.now || (() => Date.now());
    this.askedAt = null; // when the last answer came
    this.timer = null; // the next minute's refresh
    this.soon = null; // a refresh after frames
    this.inFlight = null;
    this.again = false; // asked again while a request was out
    this.off = false; // the service has no such route (or refuses it): stop asking
    this.last = null;
  }

  /**
   * A tab came into view (or the page came back): fresh now if the Chats tab shows (unless the
   * line was asked for a few seconds ago: switching tabs back and forth asks once), else stop.
   */
  shown() {
    if (!this.visible()) {
      this.stop();
      return null;
    }
    const age = this.askedAt === null ? Infinity : this.now() - this.askedAt;
    if (age < FRESH_MS && !this.off) {
      if (!this.timer && !this.inFlight) this.timer = this.setTimeout(() => this.shown(), REFRESH_MS - age);
      return Promise.resolve(this.last);
    }
    return this.refresh();
  }

  stop() {
    this.clearTimeout(this.timer);
    this.clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
  }

  /** A frame: a queued, claimed or ended chat changes the line, so ask again in a moment. */
  onFrame(frame) {
    if (!frame || !FRAMES.has(frame.type) || this.off || this.soon || !this.visible()) return;
    this.soon = this.setTimeout(() => {
      this.soon = null;
      this.refresh();
    }, FRAME_DEBOUNCE_MS);
  }

  /** The desks' line now, then again in a minute while the tab is in view. */
  async refresh() {
    if (this.off) return null;
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = this.fetch();
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        this.refresh();
      } else if (!this.off && this.visible()) {
        this.timer = this.setTimeout(() => this.shown(), REFRESH_MS);
      }
    }
  }

  async fetch() {
    let res;
    try {
      res = await this.api.reportToday();
    } catch (err) {
      const status = err && err.status;
      if (status === 401) this.onAuthLost();
      if (status === 401 || status === 403 || status === 404) {
        this.off = true; // nothing to show this librarian (or an older service)
        this.view.hide();
      }
      return this.last; // a network blip: the last line stays
    }
    const lines = todayLines(res, this.deskLabel);
    this.last = lines;
    this.askedAt = this.now();
    if (lines.length) this.view.show(lines);
    else this.view.hide();
    return lines;
  }
}
