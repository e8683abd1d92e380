// The widget's panel as the host page shows it: open or closed (a floating panel opens when
// its launcher is clicked), seen or not (open, in a visible tab), and the unread count on the
// launcher while it is not seen. Seen-ness is also the patron's presence for the librarian.

import { presenceFor } from "./activity.js";

export class Panel {
  /**
   * @param {object} o
   * @param {object} o.bridge  HostBridge: post("unread", {count})
   * @param {object} o.page    {hidden(): the tab is hidden}
   * @param {boolean} o.open   open from the start (inline and page modes)
   */
  constructor({ bridge, page, open }) {
    Object.assign(this, { bridge, page, open });
    this.unread = 0;
  }

  get seen() {
    return this.open && !this.page.hidden();
  }

  /** "online" or "away" (presenceFor). */
  get presence() {
    return presenceFor({ hidden: this.page.hidden(), open: this.open });
  }

  /** Opened, closed, shown or hidden: once seen, nothing is unread. */
  refresh() {
    if (this.seen && this.unread) {
      this.unread = 0;
      this.bridge.post("unread", { count: 0 });
    }
  }

  /** Something new in the conversation (a librarian's message, a notice). */
  noteUnread() {
    if (this.seen) return;
    this.unread += 1;
    this.bridge.post("unread", { count: this.unread });
  }
}
