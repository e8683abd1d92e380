// Blocking an abusive patron from the dashboard (docs/privacy.md "Blocks"): the rules and the
// behaviour, no DOM. A chat pane's "Block patron…" (PatronBlocks: the chat's librarian or an
// admin, POST /api/chats/{id}/block) and the admins' Blocks section of the Team tab
// (BlocksList: GET /api/blocks, DELETE /api/blocks/{id}). The views (view-blocks.js) render
// what they are told and report intents; main-blocks.js wires them. Unit-tested in
// widget/tests/dashboard-blocks.test.mjs.

import { BLOCKS as B } from "./strings-blocks.js";

/** The durations offered (hours), as the service takes them (1..720). */
export const DURATIONS = [1, 24, 168, 720];
export const DEFAULT_HOURS = 24;
export const MAX_REASON = 200; // the service's limit (chalicelib/domain/guards.py)

/** The block routes, on the dashboard's Api (its bearer token and error handling). */
export class BlocksApi {
  constructor(api) {
    this.api = api;
  }

  /** `{hours, reason}` -> `{block: {id, until, reason, by: {id, name}, queue, at}}` (201). */
  block(chatId, body) {
    return this.api.request("POST", `/chats/${encodeURIComponent(chatId)}/block`, body);
  }

  /** Admins: `{blocks: [...]}`, the blocks still in force. */
  list() {
    return this.api.request("GET", "/blocks");
  }

  lift(id) {
    return this.api.request("DELETE", `/blocks/${encodeURIComponent(id)}`);
  }
}

/** The duration radios: [{hours, label, checked}], `DEFAULT_HOURS` checked. */
export function durationChoices(checked = DEFAULT_HOURS) {
  return DURATIONS.map((hours) => ({ hours, label: B.durations[hours], checked: hours === checked }));
}

/** What is wrong with a block before it is sent: [{field, text}] (empty: nothing). */
export function blockProblems({ hours, reason } = {}) {
  const errors = [];
  if (!DURATIONS.includes(hours)) errors.push({ field: "hours", text: B.needDuration });
  const text = String(reason ?? "").trim();
  if (!text) errors.push({ field: "reason", text: B.needReason });
  else if (text.length > MAX_REASON) errors.push({ field: "reason", text: B.reasonTooLong(MAX_REASON) });
  return errors;
}

/**
 * A refused block as the dialog shows it: the service's own words (a closed chat: "this chat no
 * longer says who its patron was…"), tied to the reason field when they are about it.
 */
export function blockError(err) {
  const status = err && err.status;
  const message = err && err.message;
  if (status === 400 && /reason/i.test(String(message || ""))) return { field: "reason", text: B.notBlocked(message) };
  return { text: B.notBlocked(message) };
}

/** "Tue, 3 Dec, 14:05" in the librarian's locale: when a block ends (at most 30 days away). */
export function formatUntil(iso, locale) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso || "");
  return new Date(t).toLocaleString(locale, { weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit" });
}

/**
 * The Blocks table: [{id, until, untilIso, reason, by, desk}], soonest to end first; blocks
 * already over (`now`) or without an id left out.
 */
export function blockRows(blocks, { deskName = (id) => id, now = Date.now(), locale } = {}) {
  return (Array.isArray(blocks) ? blocks : [])
    .filter((b) => b && b.id && !(Date.parse(b.until) <= now))
    .sort((a, b) => Date.parse(a.until) - Date.parse(b.until))
    .map((b) => ({
      id: b.id,
      until: formatUntil(b.until, locale),
      untilIso: b.until,
      reason: String(b.reason ?? ""),
      by: (b.by && (b.by.name || b.by.id)) || "",
      desk: b.queue ? deskName(b.queue) || b.queue : B.unknownDesk,
    }));
}

function authLost(err, onAuthLost) {
  if (err && err.status === 401) {
    onAuthLost();
    return true;
  }
  return false;
}

/** A chat pane's "Block patron…": the dialog, the request, the pane's note and the announcement. */
export class PatronBlocks {
  /**
   * @param {object} o
   * @param {BlocksApi} o.api
   * @param {Function} o.form       (opts) => Promise: the dialog (view-blocks.js BlockDialog.open)
   * @param {Function} o.chat       (chatId) => {name} for a chat I hold, or null
   * @param {Function} o.setNote    (chatId, text) => void: the pane says the patron is blocked
   * @param {Function} o.announce   (text) => void: polite, for screen readers
   * @param {Function} [o.onAuthLost]
   * @param {string} [o.locale]
   */
  constructor({ api, form, chat, setNote, announce, onAuthLost, locale }) {
    Object.assign(this, { api, form, chat, setNote, announce, locale });
    this.onAuthLost = onAuthLost || (() => {});
    this.blocked = new Map(); // chat_id -> the block made from it (this session)
  }

  /** Open the dialog for a chat's patron; resolves with the block made, or null (cancelled). */
  async open(chatId) {
    const c = this.chat(chatId);
    if (!c) return null;
    return this.form({
      chatId, name: c.name, choices: durationChoices(), maxReason: MAX_REASON,
      save: (values) => this.save(chatId, values),
    });
  }

  /** The dialog's Block: {errors} (it stays open and says why) or {value: block} (it closes). */
  async save(chatId, values) {
    const hours = Number(values && values.hours);
    const reason = String((values && values.reason) ?? "").trim();
    const problems = blockProblems({ hours, reason });
    if (problems.length) return { errors: problems };
    let res;
    try {
      res = await this.api.block(chatId, { hours, reason });
    } catch (err) {
      authLost(err, this.onAuthLost);
      return { errors: [blockError(err)] };
    }
    const block = res && res.block;
    if (!block) return { errors: [{ text: B.notBlocked() }] };
    this.blocked.set(chatId, block);
    const until = formatUntil(block.until, this.locale);
    const c = this.chat(chatId);
    this.setNote(chatId, B.paneNote(until, block.reason || reason));
    this.announce(B.announced(c ? c.name : "", until));
    return { value: block };
  }
}

/** The admins' Blocks section: the list, Refresh, and Lift (asked again first). */
export class BlocksList {
  /**
   * @param {object} o
   * @param {BlocksApi} o.api
   * @param {object} o.view        {build(), loading(), render(rows, {focus}), failed(text), status(text), liftBusy(id, busy)}
   * @param {Function} o.confirm   ({title, body, confirm, cancel}) => Promise<boolean>
   * @param {Function} o.isAdmin   () => boolean
   * @param {Function} [o.deskName]  (queue id) => its label
   * @param {Function} [o.onAuthLost]
   * @param {Function} [o.now]
   * @param {string} [o.locale]
   */
  constructor({ api, view, confirm, isAdmin, deskName, onAuthLost, now, locale }) {
    Object.assign(this, { api, view, confirm, isAdmin, locale });
    this.deskName = deskName || ((id) => id);
    this.onAuthLost = onAuthLost || (() => {});
    this.now = now || Date.now;
    this.blocks = [];
    this.seq = 0; // a later load wins over an earlier one still in flight
  }

  rows() {
    return blockRows(this.blocks, { deskName: this.deskName, now: this.now(), locale: this.locale });
  }

  /** The Team tab came into view (or Refresh): the blocks in force, fresh. */
  async show({ focus } = {}) {
    if (!this.isAdmin()) return;
    this.view.build();
    await this.load({ focus });
  }

  async load({ focus, said } = {}) {
    const seq = ++this.seq;
    this.view.loading();
    let res;
    try {
      res = await this.api.list();
    } catch (err) {
      if (seq !== this.seq) return;
      if (!authLost(err, this.onAuthLost)) this.view.failed(B.loadFailed(err && err.message));
      return;
    }
    if (seq !== this.seq) return;
    this.blocks = Array.isArray(res && res.blocks) ? res.blocks : [];
    const rows = this.rows();
    this.view.render(rows, { focus });
    const count = rows.length ? B.listed(rows.length) : ""; // none: the empty state says so
    this.view.status(said && count ? `${said} ${count}` : said || count);
  }

  /** Lift: asked again; then the block is deleted and the list read again. */
  async lift(id) {
    const block = this.blocks.find((b) => b.id === id);
    if (!block) return false;
    const ok = await this.confirm({
      title: B.liftTitle, body: B.liftBody(block.reason), confirm: B.liftConfirm, cancel: B.liftCancel,
    });
    if (!ok) return false;
    this.view.liftBusy(id, true);
    try {
      await this.api.lift(id);
    } catch (err) {
      this.view.liftBusy(id, false);
      if (authLost(err, this.onAuthLost)) return false;
      if (err && err.status === 404) {
        await this.load({ focus: "list", said: B.alreadyGone });
        return false;
      }
      this.view.failed(B.notLifted(err && err.message));
      return false;
    }
    this.blocks = this.blocks.filter((b) => b.id !== id);
    this.view.render(this.rows(), { focus: "list" }); // gone at once, whatever the read again says
    await this.load({ focus: "list", said: B.lifted(block.reason) });
    return true;
  }
}
