// The conversation's log (role=log, aria-live=polite): messages and notices as the transcript
// holds them, runs of one speaker grouped, links and files as links and buttons, images as
// thumbnails, and the patron's own messages not yet stored shown after it as "Sending…".
// Every message text goes in as text nodes; links are <a> elements with textContent.

import { h } from "../js/dom.js";
import { icon } from "../js/icons.js";
import { isImage } from "./files.js";
import { continuesRun, formatSize, linkify, noticeText, speaker } from "./transcript.js";

function initials(name) {
  const parts = String(name || "").trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || "?").slice(0, 2);
  return letters.toUpperCase();
}

export class ChatLog {
  /**
   * @param {object} o
   * @param {Function} o.t  translator
   * @param {Function} o.formatTime  (iso) => "10:42"
   * @param {object} o.handlers  the view's handlers: onOpenFile(file), onThumbnail(file, {fresh})
   * @param {object} o.scroll  {nearBottom(), toBottom()} of the scrolling body
   */
  constructor({ t, formatTime, handlers, scroll }) {
    this.t = t;
    this.formatTime = formatTime;
    this.handlers = handlers;
    this.scroll = scroll;
    this.lastItem = null;
    this.list = h("ol", { class: "lc-log-list" });
    this.element = h("div", { class: "lc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": t("transcript.title") }, this.list);
    this.pendingList = h("ol", { class: "lc-pending-list", "aria-label": t("msg.sending") });
  }

  /** Replace the whole log (after a reload, from the saved transcript). */
  render(items) {
    this.list.replaceChildren();
    this.lastItem = null;
    for (const item of items) this.list.appendChild(this.itemElement(item));
    this.scroll.toBottom();
  }

  append(item) {
    const stick = this.scroll.nearBottom();
    this.list.appendChild(this.itemElement(item));
    if (stick || item.role === "patron") this.scroll.toBottom();
  }

  /** Own messages not yet stored by the service: shown after the log as "Sending…". */
  setPending(items) {
    const stick = this.scroll.nearBottom();
    this.pendingList.replaceChildren(...items.map((m) =>
      this.messageElement({ kind: "msg", role: "patron", text: m.text, client_msg_id: m.client_msg_id,
        attachment: m.attachment }, { pending: true })));
    if (stick || items.length) this.scroll.toBottom();
  }

  itemElement(item) {
    const prev = this.lastItem;
    this.lastItem = item;
    if (item.kind === "notice") {
      return h("li", { class: `lc-notice lc-notice--${item.type}` },
        h("span", { class: "lc-notice-text", text: noticeText(item, this.t) }),
        this.timeElement(item.at));
    }
    return this.messageElement(item, { continued: continuesRun(prev, item) });
  }

  timeElement(iso) {
    const text = iso ? this.formatTime(iso) : "";
    return text ? h("time", { class: "lc-time", datetime: iso, text }) : null;
  }

  messageElement(item, { continued = false, pending = false } = {}) {
    const who = speaker(item, this.t);
    const own = item.role === "patron";
    const classes = ["lc-msg", `lc-msg--${own ? "own" : item.role === "operator" ? "librarian" : "system"}`];
    if (continued) classes.push("lc-msg--cont");
    if (pending) classes.push("lc-msg--pending");
    const meta = h("p", { class: continued ? "lc-msg-meta lc-vh" : "lc-msg-meta" },
      h("span", { class: "lc-msg-name", text: who }),
      pending ? h("span", { class: "lc-msg-state", text: this.t("msg.sending") }) : this.timeElement(item.sent_at));
    const bubble = h("div", { class: "lc-bubble" });
    for (const part of linkify(item.text)) {
      if (part.type === "link") {
        bubble.appendChild(h("a", { href: part.href, target: "_blank", rel: "noopener noreferrer", text: part.text }));
      } else {
        bubble.appendChild(document.createTextNode(part.text));
      }
    }
    if (item.attachment) bubble.appendChild(this.fileElement(item.attachment, { pending }));
    const avatar = item.role === "operator" && !continued
      ? h("span", { class: "lc-avatar", "aria-hidden": "true", text: initials(item.name) }) : null;
    const li = h("li", { class: classes.join(" ") }, avatar, h("div", { class: "lc-msg-body" }, meta, bubble));
    if (item.client_msg_id) li.dataset.clientMsgId = item.client_msg_id;
    if (item.seq) li.dataset.seq = String(item.seq);
    return li;
  }

  /**
   * A file in a message: a button that asks the service for a short-lived link, then opens it.
   * An image (once stored) also shows as a thumbnail, loaded from such a link.
   */
  fileElement(file, { pending = false } = {}) {
    const size = formatSize(file.size, this.t.lang);
    const thumb = !pending && isImage(file.content_type) ? this.thumbnail(file) : null;
    return h("button", { type: "button", class: thumb ? "lc-file lc-file--image" : "lc-file",
      "aria-label": this.t("msg.openFile", { name: file.name }) + (size ? ` (${size})` : ""),
      onclick: () => this.handlers.onOpenFile(file) },
    thumb,
    h("span", { class: "lc-file-line" },
      icon("paperclip"),
      h("span", { class: "lc-file-name", text: file.name }),
      size ? h("span", { class: "lc-file-size", text: size }) : null));
  }

  /** The <img> of an image file: shown once loaded; a failed load asks once for a fresh link. */
  thumbnail(file) {
    const img = h("img", { class: "lc-thumb", alt: file.name, decoding: "async", hidden: true });
    let retried = false;
    const load = (fresh) => Promise.resolve(this.handlers.onThumbnail(file, { fresh }))
      .then((url) => {
        if (url) img.src = url;
      })
      .catch(() => {});
    img.addEventListener("load", () => {
      const stick = this.scroll.nearBottom();
      img.hidden = false;
      if (stick) this.scroll.toBottom();
    });
    img.addEventListener("error", () => {
      if (retried) return;
      retried = true;
      load(true);
    });
    load(false);
    return img;
  }
}
