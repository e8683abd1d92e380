// The view's part of the warning before a waiting chat is given up (stay.js decides when):
// "Are you still there?", what happens and when, a countdown and the Stay connected button,
// above the composer. The message is an assertive alert, announced once when it appears; the
// countdown beside it is a role=timer (not live), so it is not read out every second. The
// button is in the tab order right before the composer's; the focus is not moved, so a
// patron writing a message is not interrupted.

import { h } from "../js/dom.js";

function clock(seconds) {
  const s = Math.max(0, seconds | 0);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export const stayViewMethods = {
  /** Shown `seconds` before the service may end the waiting chat. */
  showStayWarning(seconds) {
    const t = this.t;
    this.hideStayWarning();
    this.stayTimer = h("p", { class: "lc-stay-timer", role: "timer", "aria-label": t("stay.timer") });
    this.stayText = h("p", { class: "lc-stay-text", text: t("stay.body", { seconds }) });
    this.stay = h("section", { class: "lc-stay", "aria-labelledby": "lc-stay-title" },
      h("div", { role: "alert", class: "lc-stay-alert" },
        h("h2", { class: "lc-stay-title", id: "lc-stay-title", text: t("stay.title") }),
        this.stayText),
      h("div", { class: "lc-stay-row" },
        this.stayTimer,
        h("button", { type: "button", class: "lc-btn lc-btn--primary lc-stay-button",
          onclick: () => this.handlers.onStayConnected() }, t("stay.button"))));
    this.updateStayWarning(seconds);
    this.footer.prepend(this.stay);
  },

  updateStayWarning(seconds) {
    if (!this.stay) return;
    this.stayTimer.dataset.seconds = String(seconds);
    this.stayTimer.textContent = clock(seconds);
    // Past the moment: say so once (the alert is read again with the new words).
    if (seconds === 0) this.stayText.textContent = this.t("stay.late");
  },

  hideStayWarning() {
    if (this.stay) this.stay.remove();
    this.stay = null;
  },
};
