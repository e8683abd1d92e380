// One conversation's message list in the dashboard: a chat pane's or the Internal Staff Chat's.
// Stored messages in seq order (grouped by sender), the outbox of messages still being sent,
// refusals with "put back" and "dismiss", file chips with lazily fetched short-lived links,
// and keeping the view at the bottom while the librarian has not scrolled up.
// All text goes in with textContent.

import { el } from "../js/dom.js";
import { formatBytes, isImage, LinkCache } from "../js/files.js";
import { formatClock } from "./logic.js";
import { S } from "./strings.js";

const NEAR_BOTTOM_PX = 80;
const GROUP_MS = 120000; // a message this soon after the same sender's sits under it

export class MessageLog {
  /**
   * @param {Document} doc
   * @param {object} parts  {scroll, log, outbox}: the scrolling region, the stored list, the outbox
   * @param {object} hooks
   * @param {Function} hooks.fileUrl     (key) => Promise<{url, expires_in}>
   * @param {Function} hooks.putBack     (text) => void: a refused message back into the text box
   * @param {Function} hooks.focusComposer () => void
   * @param {Function} hooks.notice      (text) => void, and hooks.clearNotice () => void
   */
  constructor(doc, { scroll, log, outbox }, hooks) {
    this.doc = doc;
    this.scroll = scroll;
    this.log = log;
    this.outbox = outbox;
    this.hooks = hooks;
    this.stick = true;
    this.pendingEls = new Map(); // client_msg_id -> li
    this.links = new LinkCache((key) => hooks.fileUrl(key));
    scroll.addEventListener("scroll", () => {
      this.stick = this.nearBottom();
    });
  }

  nearBottom() {
    return this.scroll.scrollHeight - this.scroll.scrollTop - this.scroll.clientHeight < NEAR_BOTTOM_PX;
  }

  /** To the bottom when forced or when the librarian was already there. */
  stickAfter(force) {
    if (force || this.stick) {
      this.scroll.scrollTop = this.scroll.scrollHeight;
      this.stick = true;
    }
  }

  /** Shown again (its tab selected): back at the bottom unless the librarian had scrolled up. */
  revealed() {
    if (this.stick) this.scroll.scrollTop = this.scroll.scrollHeight;
  }

  add(m, opts) {
    if (this.log.querySelector(`[data-seq="${m.seq}"]`)) return;
    const stick = this.nearBottom() || this.stick;
    const li = this.item(m, opts);
    // in seq order, whatever order history and pushes arrive in
    let before = null;
    for (let node = this.log.lastElementChild; node; node = node.previousElementSibling) {
      if (Number(node.dataset.seq) > m.seq) before = node;
      else break;
    }
    this.log.insertBefore(li, before);
    group(li);
    if (li.nextElementSibling) group(li.nextElementSibling);
    if (opts.own && m.client_msg_id) this.dropPending(m.client_msg_id);
    this.stickAfter(stick || opts.own);
  }

  item(m, { own, patronName }) {
    const d = this.doc;
    const role = m.sender && m.sender.role;
    const kind = role === "system" ? "system" : own ? "own" : role === "patron" ? "patron" : "operator";
    const li = el(d, "li", `lcd-msg lcd-msg--${kind}`);
    if (Number.isInteger(m.seq)) li.dataset.seq = String(m.seq);
    li.dataset.who = `${kind}:${(m.sender && m.sender.id) || ""}`;
    li.dataset.at = String(Date.parse(m.sent_at) || 0);
    const meta = el(d, "p", "lcd-msg-meta");
    const whoText = kind === "own" ? S.you : kind === "patron" ? patronName
      : kind === "system" ? S.messages.system : (m.sender && m.sender.name) || S.librarian;
    meta.append(el(d, "span", "lcd-msg-who", whoText));
    if (m.sent_at) {
      const t = el(d, "time", "lcd-msg-time", formatClock(m.sent_at));
      t.dateTime = m.sent_at;
      meta.append(t);
    }
    li.append(meta);
    if (m.text) li.append(el(d, "p", "lcd-msg-text", m.text));
    if (m.attachment && m.attachment.key) li.append(this.fileChip(m.attachment));
    else if (!m.text) li.append(el(d, "p", "lcd-msg-text", ""));
    return li;
  }

  /** A file in a message: a download link (and a thumbnail for images), links fetched lazily. */
  fileChip(a) {
    const d = this.doc;
    const name = a.name || S.files.defaultName;
    const chip = el(d, "div", "lcd-file");
    const link = el(d, "a", "lcd-file-link");
    link.append(el(d, "span", "lcd-file-name", name), el(d, "span", "lcd-file-size", S.files.size(formatBytes(a.size))));
    link.setAttribute("aria-label", S.files.download(name));
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    let img = null;
    if (isImage(a.content_type)) {
      img = el(d, "img", "lcd-file-thumb");
      img.alt = name;
      img.hidden = true;
      chip.append(img);
    }
    chip.append(link);
    // presigned GETs are short-lived: the cache asks again when one is about to expire
    const refresh = async () => {
      try {
        const url = await this.links.get(a.key);
        if (link.getAttribute("href") !== url) link.href = url;
        if (img && !img.src) {
          img.src = url;
          img.hidden = false;
        }
      } catch {
        link.title = S.files.cannotOpen;
      }
    };
    refresh();
    link.addEventListener("pointerenter", refresh);
    link.addEventListener("focus", refresh);
    return chip;
  }

  dropPending(id) {
    const item = this.pendingEls.get(id);
    if (item) item.remove();
    this.pendingEls.delete(id);
  }

  /** The outbox: exactly the messages the protocol client still has to deliver. */
  setPending(items) {
    const keep = new Set(items.map((i) => i.client_msg_id));
    for (const id of [...this.pendingEls.keys()]) if (!keep.has(id)) this.dropPending(id);
    for (const item of items) {
      if (this.pendingEls.has(item.client_msg_id)) continue;
      const li = el(this.doc, "li", "lcd-msg lcd-msg--own lcd-msg--pending");
      li.append(ownMeta(this.doc, S.messages.sending),
        el(this.doc, "p", "lcd-msg-text", item.text || (item.attachment ? S.messages.pendingFile(item.attachment.name) : "")));
      this.outbox.append(li);
      this.pendingEls.set(item.client_msg_id, li);
    }
    this.stickAfter(items.length > 0);
  }

  /** A message the service refused: the reason, and the text back into the box or dismissed. */
  addRejected(item, reason) {
    const d = this.doc;
    const li = el(d, "li", "lcd-msg lcd-msg--own lcd-msg--rejected");
    const tools = el(d, "p", "lcd-msg-tools");
    const button = (text, onClick) => {
      const b = el(d, "button", "lcd-btn lcd-btn--quiet lcd-btn--small", text);
      b.type = "button";
      b.addEventListener("click", () => {
        li.remove();
        this.hooks.clearNotice();
        onClick();
      });
      return b;
    };
    tools.append(button(S.messages.putBack, () => this.hooks.putBack(item.text || "")),
      button(S.dismiss, () => this.hooks.focusComposer()));
    li.append(ownMeta(d, S.messages.notSent), el(d, "p", "lcd-msg-text", item.text || ""),
      el(d, "p", "lcd-msg-reason", reason), tools);
    this.outbox.append(li);
    this.hooks.notice(S.messages.rejectedNotice(reason));
    this.stickAfter(true);
  }
}

/** "You" and a state ("Sending…", "Not sent") above one of the librarian's own messages. */
function ownMeta(doc, state) {
  const meta = el(doc, "p", "lcd-msg-meta");
  meta.append(el(doc, "span", "lcd-msg-who", S.you), el(doc, "span", "lcd-msg-state", state));
  return meta;
}

/** A message right after another from the same sender (within 2 minutes) sits under it. */
function group(li) {
  const prev = li.previousElementSibling;
  const same = Boolean(prev) && prev.dataset.who === li.dataset.who && !li.dataset.who.startsWith("system")
    && Math.abs(Number(li.dataset.at) - Number(prev.dataset.at)) < GROUP_MS;
  li.classList.toggle("lcd-msg--cont", same);
}
