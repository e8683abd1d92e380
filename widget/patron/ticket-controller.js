// The patron's ticket page (ticket.html, docs/tickets.md), its decisions and no DOM: the link
// the e-mails carry (`/patron/ticket.html#t=<ticket_id>&k=<link token>`, the token in the
// fragment so that it never reaches a server log), the patron view of the ticket
// (GET /api/public/tickets/{id} with the link token), its thread as the page shows it (the
// question, the chat carried into it, librarians' replies, the patron's own replies; never an
// internal note or event) and the reply (POST /api/public/tickets/{id}/replies). A forged,
// altered or expired link (401) only ever says "This link has expired or is not valid", with
// the library's other ways to get help. The view is ticket-view.js; ticket-page.js builds both.

import { MAX_TEXT, strip } from "../js/limits.js";
import { errorKey } from "./session.js";
import { ticketErrorText } from "./tickets.js";

export const TICKET_PAGE = "/patron/ticket.html";

/** Statuses that mean "this link does not open this ticket": the neutral page, nothing more. */
export const DENIED_STATUSES = new Set([401, 403, 404]);

const ID_RE = /^[\w.:-]{1,128}$/;
const TOKEN_RE = /^[\x21-\x7e]{1,4096}$/; // printable ASCII, no spaces

function decode(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * `#t=<ticket_id>&k=<link token>` (each URI-encoded; a `+` stays a `+`) -> {ticketId, token},
 * or null when the fragment is not such a link.
 */
export function parseLink(hash) {
  const raw = String(hash || "").replace(/^#/, "");
  const params = {};
  for (const part of raw.split("&")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const key = part.slice(0, at);
    if (key !== "t" && key !== "k") continue;
    params[key] = decode(part.slice(at + 1));
  }
  const { t: ticketId, k: token } = params;
  if (!ticketId || !token || !ID_RE.test(ticketId) || !TOKEN_RE.test(token)) return null;
  return { ticketId, token };
}

/** The link as the e-mails write it (what parseLink reads), under `base` (the public URL). */
export function ticketLink(base, ticketId, token) {
  return `${String(base || "").replace(/\/+$/, "")}${TICKET_PAGE}#t=${encodeURIComponent(ticketId)}&k=${encodeURIComponent(token)}`;
}

const SHOWN = new Set(["question", "chat", "reply", "patron"]);
const STATUSES = new Set(["open", "claimed", "closed"]);

function byPatron(entry) {
  if (entry.kind === "question" || entry.kind === "patron") return true;
  if (entry.kind === "reply") return false;
  return Boolean(entry.sender) && entry.sender.role === "patron";
}

/** Who wrote an entry, as the patron reads it: "You", the librarian's name, or "Library". */
export function entryAuthor(entry, t) {
  const sender = entry.sender && typeof entry.sender === "object" ? entry.sender : {};
  const name = typeof sender.name === "string" && sender.name.trim() ? sender.name.trim() : "";
  if (byPatron(entry)) return t("who.you");
  if (entry.kind === "chat" && sender.role === "system") return name || t("who.library");
  return name || t("who.librarian");
}

/**
 * The page's model of a patron view: {status, statusKey, createdAt, entries: [{n, kind, own,
 * who, at, text, file}]}. Entries of any other kind (a note, an event) are dropped here too.
 */
export function ticketModel(ticket, t) {
  const entries = (Array.isArray(ticket && ticket.entries) ? ticket.entries : [])
    .filter((e) => e && typeof e === "object" && SHOWN.has(e.kind) && typeof e.text === "string")
    .map((e) => ({
      n: e.n,
      kind: e.kind,
      own: byPatron(e),
      who: entryAuthor(e, t),
      at: typeof e.at === "string" ? e.at : undefined,
      text: e.text,
      file: e.attachment && typeof e.attachment.name === "string" ? e.attachment.name : undefined,
    }));
  const status = STATUSES.has(ticket && ticket.status) ? ticket.status : "open";
  return { status, statusKey: `tk.status.${status}`,
    createdAt: typeof ticket.created_at === "string" ? ticket.created_at : undefined, entries };
}

export class TicketController {
  /**
   * @param {object} o
   * @param {object} o.api   PatronApi: publicTicket(id, token), publicReply(id, token, text)
   * @param {object} o.view  TicketView (ticket-view.js), or a fake with its methods
   * @param {Function} o.t   translator (i18n.js)
   * @param {object|null} o.link  parseLink's {ticketId, token}
   */
  constructor({ api, view, t, link }) {
    Object.assign(this, { api, view, t, link });
    this.run = 0;
    this.ticket = null;
    this.busy = false;
    view.setHandlers({ onReply: (text) => this.reply(text), onRetry: () => this.load({ focus: true }) });
  }

  start() {
    if (!this.link) {
      this.view.showInvalid();
      return Promise.resolve();
    }
    return this.load({ focus: false });
  }

  /** The link changed (another e-mail's link opened in this tab). */
  setLink(link) {
    this.link = link;
    this.ticket = null;
    return this.start();
  }

  async load({ focus }) {
    const run = ++this.run;
    const link = this.link;
    this.view.showLoading();
    let ticket;
    try {
      ticket = await this.api.publicTicket(link.ticketId, link.token);
    } catch (err) {
      if (run === this.run) this.failed(err, { focus });
      return;
    }
    if (run !== this.run) return;
    this.show(ticket, { focus });
  }

  failed(err, { focus }) {
    this.ticket = null;
    if (DENIED_STATUSES.has(err && err.status)) this.view.showInvalid();
    else this.view.showError(this.t(errorKey(err && err.code)), { focus });
  }

  show(ticket, { focus = false } = {}) {
    this.ticket = ticket;
    this.view.showTicket(ticketModel(ticket, this.t), { focus });
  }

  /** "Send reply": checked here, sent once; a refusal keeps the text. True once it is sent. */
  async reply(text) {
    if (this.busy || !this.ticket || !this.link) return false;
    const body = strip(text || "");
    if (!body) {
      this.view.setReplyError(this.t("tk.replyRequired"), { field: true });
      return false;
    }
    if (body.length > MAX_TEXT) {
      this.view.setReplyError(this.t("error.too_large"), { field: true });
      return false;
    }
    const link = this.link;
    const run = this.run;
    this.busy = true;
    this.view.setReplyBusy(true);
    this.view.setReplyError("");
    let ticket;
    try {
      ticket = await this.api.publicReply(link.ticketId, link.token, body);
    } catch (err) {
      this.busy = false;
      if (run !== this.run) return false;
      this.view.setReplyBusy(false);
      if (DENIED_STATUSES.has(err && err.status)) this.failed(err, { focus: true });
      else this.view.setReplyError(ticketErrorText(this.t, err));
      return false;
    }
    this.busy = false;
    if (run !== this.run) return false;
    this.view.setReplyBusy(false);
    this.view.clearReply();
    this.view.announce(this.t("tk.replySent"));
    if (ticket && Array.isArray(ticket.entries)) this.show(ticket);
    else this.load({ focus: false }); // an answer without the view: read it afresh
    return true;
  }
}
