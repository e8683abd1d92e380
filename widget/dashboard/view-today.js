// The Chats tab's "today" line (today.js says what): one quiet line per desk under the waiting
// list's heading. Deliberately not a live region: it refreshes every minute and after every
// queued or claimed chat, and announcing each refresh would talk over the patrons' chimes.
// Text goes in with textContent.

import { el } from "../js/dom.js";
import { TODAY } from "./strings-reports.js";

export class TodayView {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.root = doc.getElementById("lcd-today");
  }

  /** lines: today.js todayLines's [{id, name, line}]. */
  show(lines) {
    if (!this.root) return;
    const d = this.doc;
    const list = el(d, "ul", "lcd-today-list");
    list.setAttribute("aria-label", TODAY.label);
    for (const l of lines) {
      const li = el(d, "li", "lcd-today-item");
      li.dataset.queue = l.id;
      li.append(el(d, "span", "lcd-today-desk", `${l.name}:`), " ", el(d, "span", "lcd-today-line", l.line));
      list.append(li);
    }
    this.root.replaceChildren(list);
    this.root.hidden = false;
  }

  hide() {
    if (!this.root) return;
    this.root.hidden = true;
    this.root.replaceChildren();
  }
}
