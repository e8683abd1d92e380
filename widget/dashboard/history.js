// The History tab's rules and behaviour (docs/tickets.md "History"): the filters (from / to,
// the last 7 days by default; desk, librarian, tag, words) as GET /api/history's query, the
// result rows, "Load more" while a cursor comes back, and opening a result: a chat's messages
// and record (editable, through ChatRecords), a ticket in the Tickets tab. No DOM: the view
// (view-history.js) renders and reports intents. Unit-tested in
// widget/tests/dashboard-history.test.mjs.

import { formatClock } from "./logic.js";
import { S } from "./strings.js";

const H = S.history;
export const MAX_DAYS = 92;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A Date's local calendar day as YYYY-MM-DD. */
export function localDay(date) {
  const p = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
}

/** The default range: the last 7 days, today included. */
export function defaultRange(now = Date.now()) {
  const today = new Date(now);
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
  return { from: localDay(from), to: localDay(today) };
}

function dayNumber(text) {
  const m = DATE_RE.exec(String(text ?? ""));
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) ? null : Math.round(t / DAY_MS);
}

/**
 * The filters as GET /api/history's query string: {query, errors}. Empty filters are left out;
 * the range must be both dates, in order, and at most 92 days (the service's limit).
 */
export function historyQuery(f, cursor = null) {
  const errors = [];
  const from = dayNumber(f.from);
  const to = dayNumber(f.to);
  if (from === null || to === null) errors.push({ field: from === null ? "from" : "to", text: H.badDate });
  else if (from > to) errors.push({ field: "from", text: H.order });
  else if (to - from + 1 > MAX_DAYS) errors.push({ field: "from", text: H.tooLong(MAX_DAYS) });
  if (errors.length) return { query: "", errors };
  const params = new URLSearchParams({ from: f.from, to: f.to });
  const put = (key, value) => {
    const v = String(value ?? "").trim();
    if (v) params.set(key, v);
  };
  put("queue", f.queue);
  put("operator", f.operator);
  put("tag", f.tag);
  put("q", f.q);
  put("cursor", cursor);
  return { query: params.toString(), errors };
}

/** "2 Dec 2026, 10:15": a closing time in the librarian's words. */
export function formatWhen(iso, locale) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const day = new Date(t).toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric" });
  return `${day}, ${formatClock(iso, locale)}`;
}

/** One result as the table shows it. */
export function historyRow(item, deskName = (id) => id) {
  const kind = item.kind === "ticket" ? "ticket" : "chat";
  return {
    id: item.id, kind, kindLabel: H.kind[kind],
    closed: formatWhen(item.closed_at), desk: deskName(item.queue) || "",
    question: item.question || "",
    librarian: (item.operator && (item.operator.name || item.operator.id)) || "",
    tags: Array.isArray(item.tags) ? item.tags.join(", ") : "",
    read: Number.isInteger(item.read) ? String(item.read) : "",
  };
}

/** What History knows of a chat's record (the item's fields; `note` only if it sent one). */
export function itemRecord(item) {
  const r = { question_type: item.question_type || "", read: item.read ?? null, tags: Array.isArray(item.tags) ? item.tags : [] };
  if (typeof item.note === "string") r.note = item.note;
  return r;
}

export class HistorySearch {
  /**
   * @param {object} o
   * @param {object} o.api    Api: searchHistory(query), history(chatId, after), getChatRecord(chatId)
   * @param {object} o.view   HistoryView (or a fake): formErrors, setResults, status, notice, showChat, busy
   * @param {Function} [o.deskName]   (id) => label
   * @param {Function} [o.openTicket] (id) => void   to the Tickets tab
   * @param {Function} [o.editRecord] (chatId, record, {lead}) => Promise<record | null>
   * @param {Function} [o.onAuthLost]
   */
  constructor(o) {
    this.api = o.api;
    this.view = o.view;
    this.deskName = o.deskName || ((id) => id);
    this.openTicket = o.openTicket || (() => {});
    this.editRecord = o.editRecord || (async () => null);
    this.onAuthLost = o.onAuthLost || (() => {});
    this.items = [];
    this.cursor = null;
    this.filters = null;
    this.searchNo = 0;
    this.chat = null; // the chat result shown: its item
  }

  failed(err, text) {
    if (err && err.status === 401) this.onAuthLost();
    else this.view.notice(text);
  }

  rows() {
    return this.items.map((i) => historyRow(i, this.deskName));
  }

  /** Search: a new list (the filters checked first). */
  async search(filters) {
    const { query, errors } = historyQuery(filters);
    this.view.formErrors(errors);
    if (errors.length) return false;
    this.filters = { ...filters };
    const no = ++this.searchNo;
    this.view.busy("search", true);
    this.view.status(H.searching);
    let res;
    try {
      res = await this.api.searchHistory(query);
    } catch (err) {
      if (no !== this.searchNo) return false;
      this.view.busy("search", false);
      this.view.status("");
      this.failed(err, H.failed(err && err.message));
      return false;
    }
    if (no !== this.searchNo) return false;
    this.view.busy("search", false);
    this.view.notice("");
    this.items = Array.isArray(res.items) ? res.items : [];
    this.cursor = res.cursor || null;
    this.render();
    return true;
  }

  /** Load more: the next page of the same search, added below. */
  async more() {
    if (!this.cursor || !this.filters) return false;
    const { query } = historyQuery(this.filters, this.cursor);
    const no = this.searchNo;
    this.view.busy("more", true);
    let res;
    try {
      res = await this.api.searchHistory(query);
    } catch (err) {
      this.view.busy("more", false);
      this.failed(err, H.failed(err && err.message));
      return false;
    }
    if (no !== this.searchNo) return false;
    this.view.busy("more", false);
    const first = this.items.length;
    this.items = [...this.items, ...(Array.isArray(res.items) ? res.items : [])];
    this.cursor = res.cursor || null;
    this.render({ focusRow: first });
    return true;
  }

  render(opts = {}) {
    const n = this.items.length;
    this.view.setResults(this.rows(), { more: Boolean(this.cursor), ...opts });
    this.view.status(n ? H.results(n, Boolean(this.cursor)) : H.none);
  }

  /** Open a result: a ticket in the Tickets tab; a chat here, its messages and record. */
  async open(id) {
    const item = this.items.find((i) => i.id === id);
    if (!item) return;
    if (item.kind === "ticket") {
      this.openTicket(id);
      return;
    }
    this.chat = item;
    let messages;
    try {
      messages = await this.api.history(id, 0);
    } catch (err) {
      this.failed(err, H.messagesFailed(err && err.message));
      messages = null;
    }
    if (this.chat !== item) return;
    this.showChat(item, messages);
  }

  showChat(item, messages) {
    this.view.showChat({ ...this.chatModel(item), messages });
  }

  /** Edit record: the close form with what History knows; the row follows what was saved. */
  async edit() {
    const item = this.chat;
    if (!item) return null;
    // History's rows leave the internal note out: the stored record has it (GET .../record).
    // Not readable now: the form starts from the row, and a save without a note keeps it.
    let record = itemRecord(item);
    try {
      const got = await this.api.getChatRecord(item.id);
      record = got && got.record ? itemRecord(got.record) : { ...record, note: "" };
    } catch (err) {
      if (err && err.status === 401) {
        this.onAuthLost();
        return null;
      }
    }
    if (this.chat !== item) return null;
    const saved = await this.editRecord(item.id, record, { lead: item.question || "" });
    if (!saved) return null;
    Object.assign(item, {
      question_type: saved.question_type || "", read: Number.isInteger(saved.read) ? saved.read : null,
      tags: Array.isArray(saved.tags) ? saved.tags : [],
    });
    if (typeof saved.note === "string") item.note = saved.note;
    this.view.setResults(this.rows(), { more: Boolean(this.cursor) });
    this.view.showChat({ ...this.chatModel(item), focus: false });
    return saved;
  }

  /** The chat shown; `messages` undefined: the view keeps the ones it shows. */
  chatModel(item) {
    return { id: item.id, title: H.chatTitle(formatWhen(item.closed_at)), question: item.question || "",
      desk: this.deskName(item.queue), record: itemRecord(item), messages: undefined };
  }
}
