// The ticket page's DOM (ticket.html), and nothing else: ticket-controller.js decides, this
// draws and reports the patron's reply through `handlers` (onReply(text), onRetry()). Every
// ticket text (the question, the chat, the librarians' replies) goes in as text nodes; links
// are <a> elements with textContent; there is no innerHTML.
//
// The page: a banner with the library's service name, then one <main> holding the heading (h1)
// and the state on show: loading, the ticket (its status, the thread as an ordered list under
// an h2, the reply form under an h2) or "This link has expired or is not valid" with the
// library's other ways to get help. A polite live region (visible, role=status) under the
// reply button says "Reply sent".

import { h } from "../js/dom.js";
import { MAX_TEXT } from "../js/limits.js";
import { linkify } from "./transcript.js";
import { alternativeLinks } from "./view-offline.js";

export class TicketView {
  /**
   * @param {HTMLElement} root
   * @param {Function} t  translator (i18n.js)
   * @param {object} o  {contact: {email, phone, url}}: the library's other ways to get help
   */
  constructor(root, t, { contact = {} } = {}) {
    this.root = root;
    this.doc = root.ownerDocument;
    this.t = t;
    this.contact = contact;
    this.handlers = {};
    const stamp = new Intl.DateTimeFormat(t.lang, { dateStyle: "medium", timeStyle: "short" });
    this.formatDate = (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? "" : stamp.format(date);
    };
    this.doc.documentElement.lang = t.lang;
    this.doc.title = t("tk.title");
    this.main = h("main", { class: "lc-tk-main", id: "lc-tk-main" });
    root.replaceChildren(
      h("header", { class: "lc-tk-header" }, h("p", { class: "lc-tk-brand", text: t("app.title") })),
      this.main);
    this.page = null;
  }

  setHandlers(handlers) {
    Object.assign(this.handlers, handlers);
  }

  heading(text) {
    this.headingEl = h("h1", { class: "lc-tk-title", tabindex: "-1", text });
    return this.headingEl;
  }

  focusHeading() {
    if (this.headingEl) this.headingEl.focus();
  }

  showLoading() {
    this.page = null;
    this.main.dataset.state = "loading";
    this.main.replaceChildren(this.heading(this.t("tk.title")),
      h("p", { class: "lc-tk-loading", role: "status" },
        h("span", { class: "lc-spinner", "aria-hidden": "true" }), h("span", { text: this.t("tk.loading") })));
  }

  /** A forged, altered or expired link: a neutral word and the library's contact. */
  showInvalid() {
    const t = this.t;
    this.page = null;
    this.main.dataset.state = "invalid";
    const alternatives = alternativeLinks(t, this.contact);
    this.main.replaceChildren(this.heading(t("tk.invalid")),
      h("p", { text: t(alternatives.length ? "tk.invalidBody" : "tk.invalidNone") }),
      alternatives.length ? h("ul", { class: "lc-alts" }, alternatives) : null);
    this.focusHeading();
  }

  /** The service could not be reached (or failed): say so, with "Try again". */
  showError(text, { focus = false } = {}) {
    const t = this.t;
    this.page = null;
    this.main.dataset.state = "error";
    this.main.replaceChildren(this.heading(t("tk.error")),
      h("p", { role: "alert", text }),
      h("button", { type: "button", class: "lc-btn lc-btn--secondary", onclick: () => this.handlers.onRetry() },
        t("tk.retry")));
    if (focus) this.focusHeading();
  }

  /**
   * The ticket: its status, when it was asked, the thread and the reply form. Drawn once; a
   * later model (after a reply) updates the status and the thread in place, so the reply box
   * and the focus stay where they are.
   */
  showTicket(model, { focus = false } = {}) {
    if (!this.page) this.build();
    this.main.dataset.state = "ticket";
    const t = this.t;
    this.page.status.dataset.status = model.status;
    this.page.statusText.textContent = t(model.statusKey);
    const asked = model.createdAt ? this.formatDate(model.createdAt) : "";
    this.page.asked.textContent = asked ? t("tk.asked", { date: asked }) : "";
    this.page.thread.replaceChildren(...model.entries.map((entry) => this.entryElement(entry)));
    if (focus) this.focusHeading();
  }

  build() {
    const t = this.t;
    const threadId = "lc-tk-thread-heading";
    const replyId = "lc-tk-reply-heading";
    const statusText = h("span", { class: "lc-tk-status-text" });
    const status = h("p", { class: "lc-tk-status" }, h("strong", { text: t("tk.status") }), " ", statusText);
    const asked = h("p", { class: "lc-tk-asked" });
    const thread = h("ol", { class: "lc-tk-thread" });
    const box = h("textarea", { id: "lc-tk-reply", class: "lc-input lc-textarea", rows: "5", maxlength: String(MAX_TEXT),
      "aria-describedby": "lc-tk-reply-hint lc-tk-reply-error", autocomplete: "off" });
    const error = h("p", { class: "lc-error", id: "lc-tk-reply-error", role: "alert" });
    const send = h("button", { type: "submit", class: "lc-btn lc-btn--primary" }, t("tk.send"));
    const sent = h("p", { class: "lc-tk-sent", role: "status", "aria-live": "polite" });
    const form = h("form", { class: "lc-form lc-tk-reply", novalidate: true, "aria-labelledby": replyId,
      onsubmit: (event) => {
        event.preventDefault();
        if (send.disabled) return;
        sent.textContent = "";
        this.handlers.onReply(box.value);
      } },
    h("div", { class: "lc-field" },
      h("label", { for: "lc-tk-reply", class: "lc-label", text: t("tk.replyLabel") }),
      h("p", { class: "lc-hint", id: "lc-tk-reply-hint", text: t("tk.replyHint") }),
      box, error),
    h("div", { class: "lc-actions" }, send),
    sent);
    this.page = { status, statusText, asked, thread, box, error, send, sent };
    this.main.replaceChildren(this.heading(t("tk.title")), status, asked,
      h("section", { class: "lc-tk-section", "aria-labelledby": threadId },
        h("h2", { class: "lc-heading", id: threadId, text: t("tk.thread") }), thread),
      h("section", { class: "lc-tk-section", "aria-labelledby": replyId },
        h("h2", { class: "lc-heading", id: replyId, text: t("tk.replyHeading") }), form));
  }

  /** One entry of the thread: who and when (a <time>), then its text with links as links. */
  entryElement(entry) {
    const t = this.t;
    const when = entry.at ? this.formatDate(entry.at) : "";
    const text = h("div", { class: "lc-tk-text" });
    for (const part of linkify(entry.text)) {
      if (part.type === "link") {
        text.appendChild(h("a", { href: part.href, target: "_blank", rel: "noopener noreferrer", text: part.text }));
      } else {
        text.appendChild(this.doc.createTextNode(part.text));
      }
    }
    if (entry.file) text.appendChild(h("span", { class: "lc-tk-file", text: `[${t("msg.file")}: ${entry.file}]` }));
    const li = h("li", { class: `lc-tk-entry lc-tk-entry--${entry.own ? "own" : "library"}` },
      h("p", { class: "lc-tk-meta" },
        h("span", { class: "lc-tk-who", text: entry.who }),
        entry.kind === "chat" ? h("span", { class: "lc-tk-kind", text: t("tk.kind.chat") }) : null,
        when ? h("time", { class: "lc-tk-when", datetime: entry.at, text: when }) : null),
      text);
    li.dataset.kind = entry.kind;
    return li;
  }

  setReplyBusy(busy) {
    if (!this.page) return;
    this.page.send.disabled = busy;
    this.page.send.textContent = this.t(busy ? "tk.sending" : "tk.send");
  }

  /** What went wrong with the reply (`field`: the box itself is at fault, and takes the focus). */
  setReplyError(text, { field = false } = {}) {
    if (!this.page) return;
    this.page.error.textContent = text || "";
    if (field && text) {
      this.page.box.setAttribute("aria-invalid", "true");
      this.page.box.focus();
    } else {
      this.page.box.removeAttribute("aria-invalid");
    }
  }

  clearReply() {
    if (!this.page) return;
    this.page.box.value = "";
    this.page.box.removeAttribute("aria-invalid");
    this.page.error.textContent = "";
  }

  /** "Reply sent", in the polite live region under the button. */
  announce(text) {
    if (this.page) this.page.sent.textContent = text;
  }
}
