// The close form (docs/tickets.md "The close form"): its rules (the READ scale, the record's
// PUT body, the follow-up ticket's e-mail) and `ChatRecords`, which fills a chat pane's inline
// form once the chat ended (never modal, never focused), saves it (PUT /api/chats/{id}/record,
// then POST /api/chats/{id}/ticket when ticked) on "Save record" or before Close Chat, opens a
// closed chat's record from History, serves the Tickets tab's close, and e-mails a chat's
// transcript. No DOM: the inline form (view-record-inline.js) and the dialogs (view-record.js)
// are passed in. Unit-tested in
// widget/tests/dashboard-record.test.mjs.

import { patronName } from "./logic.js";
import { S } from "./strings.js";
import { EMAIL } from "./team-rules.js";

const R = S.record;
export const READ_LEVELS = [1, 2, 3, 4, 5, 6];
export const NOTE_MAX = 2000;

/** The READ scale's radio buttons: [{value, label}], "Not rated" first. */
export function readOptions() {
  return [{ value: "", label: R.noRead }, ...READ_LEVELS.map((n) => ({ value: String(n), label: R.readOption(n, R.readLabels[n - 1]) }))];
}

/** `GET /api/tags` as two clean lists (anything else the service sends is ignored). */
export function tagLists(res) {
  const clean = (xs) => [...new Set((Array.isArray(xs) ? xs : []).filter((x) => typeof x === "string" && x.trim()).map((x) => x.trim()))];
  return { tags: clean(res && res.tags), question_types: clean(res && res.question_types) };
}

/** A list typed one per line (the admins' Tags section): trimmed, no empty lines, once each. */
export function parseLines(text) {
  return [...new Set(String(text ?? "").split(/\r?\n/).map((x) => x.trim()).filter(Boolean))];
}

/** A stored record as the form's values. */
export function recordValues(record) {
  const r = record || {};
  return {
    questionType: typeof r.question_type === "string" ? r.question_type : "",
    read: Number.isInteger(r.read) ? String(r.read) : "",
    tags: Array.isArray(r.tags) ? [...r.tags] : [],
    note: typeof r.note === "string" ? r.note : "",
  };
}

/**
 * The form's values as the record's body: {body, errors}. `question_type` and `read` only when
 * chosen, `tags` always (the ones on the admins' list, once each), `note` when written, or
 * also when empty if the stored note was shown (`noteKnown`, so clearing it clears it).
 */
export function recordBody(values, { tags, noteKnown = false } = {}) {
  const errors = [];
  const body = {};
  const type = String(values.questionType ?? "").trim();
  if (type) body.question_type = type;
  const readText = String(values.read ?? "").trim();
  if (readText) {
    const n = Number(readText);
    if (Number.isInteger(n) && n >= 1 && n <= 6) body.read = n;
    else errors.push({ field: "read", text: R.badRead });
  }
  const allowed = Array.isArray(tags) ? new Set(tags) : null;
  body.tags = [...new Set((values.tags || []).filter((t) => typeof t === "string" && (!allowed || allowed.has(t))))];
  const note = String(values.note ?? "").trim();
  if (note.length > NOTE_MAX) errors.push({ field: "note", text: R.noteTooLong });
  if (note || noteKnown) body.note = note;
  return { body, errors };
}

/** Nothing recorded: no type, no READ, no tags, no note. */
export function isEmptyRecord(body) {
  return !body.question_type && !body.read && !(body.tags && body.tags.length) && !body.note;
}

/** What is wrong with an e-mail address as typed ("" when nothing is). */
export function emailProblem(email, { required = false } = {}) {
  const e = String(email ?? "").trim();
  if (!e) return required ? R.needEmail : "";
  return EMAIL.test(e) ? "" : R.badEmail;
}

/** The patron's e-mail the chat carries, if the service sent one. */
export function chatEmail(chat) {
  const e = chat && (chat.patron_email || chat.email);
  return typeof e === "string" ? e : "";
}

const NOTHING = JSON.stringify({ tags: [] }); // the body of an empty record: what a chat starts with

export class ChatRecords {
  /**
   * @param {object} o
   * @param {object} o.api   Api: tags(), chatRecord(id, body), chatTicket(id, body), chatTranscript(id, email)
   * @param {Function} o.inline     (chatId) => the chat pane's inline form (view-record-inline.js
   *   RecordPanel: show, values, dirty, busy, saved, failed; onSave / onChange set here), or null
   * @param {Function} o.form       (opts) => Promise<value | null>: the record dialog (History's
   *   Edit record, the Tickets tab's Close). opts: {mode: "edit" | "ticket", lead, values, lists,
   *   noteKnown, save(values)}; save resolves {errors} (kept open) or {value} (closed, the
   *   promise resolves with it), or throws (its message shown, kept open). Cancel / Escape: null.
   * @param {Function} o.emailForm  (opts) => Promise: {title, value, required, check(email), send(email)}
   * @param {Function} [o.announce] (text) => void  the polite live region
   * @param {Function} [o.onAuthLost]
   */
  constructor(o) {
    this.api = o.api;
    this.inline = o.inline || (() => null);
    this.form = o.form;
    this.emailForm = o.emailForm;
    this.announce = o.announce || (() => {});
    this.onAuthLost = o.onAuthLost || (() => {});
    this.forms = new Map(); // chat_id -> {panel, chat, lists, email, saving, closeAnyway, discard}
    this.savedBodies = new Map(); // chat_id -> the record body last PUT, as JSON
    this.cached = null;
  }

  /** The admins' lists (cached; `fresh` asks again). A failure leaves them empty. */
  async lists({ fresh = false } = {}) {
    if (this.cached && !fresh) return this.cached;
    try {
      this.cached = tagLists(await this.api.tags());
    } catch (err) {
      if (err && err.status === 401) this.onAuthLost();
      return { ...tagLists(null), failed: true };
    }
    return this.cached;
  }

  /** The lists changed (the admins' Tags section saved them). */
  setLists(res) {
    this.cached = tagLists(res);
  }

  /**
   * A chat ended in my pane (whoever ended it, or found ended after a reload): its form,
   * inline and empty, once a pane. Never modal, never focused. Resolves when it is shown.
   */
  async chatEnded(chatId, chat) {
    if (!chatId || this.forms.has(chatId)) return null;
    const panel = this.inline(chatId);
    if (!panel) return null;
    const c = { ...(chat || {}) };
    const entry = { panel, chat: c, lists: null, email: chatEmail(c), saving: null, closeAnyway: false, discard: false };
    this.forms.set(chatId, entry);
    entry.lists = await this.lists();
    if (this.forms.get(chatId) !== entry) return null; // closed meanwhile
    panel.onSave = () => this.saveForm(chatId);
    panel.onChange = () => { entry.closeAnyway = false; };
    panel.show({ values: recordValues(null), lists: entry.lists, email: entry.email });
    return entry;
  }

  /** "Save record" (or Close Chat with changes): resolves true once saved, false when not. */
  saveForm(chatId, { focus = true, lead } = {}) {
    const entry = this.forms.get(chatId);
    if (!entry || !entry.lists) return Promise.resolve(true);
    if (entry.saving) return entry.saving;
    const run = async () => {
      const { panel } = entry;
      const values = panel.values();
      panel.busy(true);
      let res;
      try {
        res = await this.saveChat(chatId, values, entry.lists, entry.email);
      } catch (err) {
        res = { errors: [{ text: err && err.whole ? err.message : R.notSaved(err && err.message) }] };
      }
      panel.busy(false);
      if (res.errors && res.errors.length) {
        panel.failed(res.errors, { focus, lead });
        return false;
      }
      const v = res.value;
      const text = v.ticket_id ? (v.recorded ? R.inlineTicketMade : R.ticketOnly) : v.recorded || v.record ? R.inlineSaved : R.nothingToSave;
      panel.saved(text, { values, ticketMade: Boolean(v.ticket_id) });
      return true;
    };
    entry.saving = run().finally(() => { entry.saving = null; });
    return entry.saving;
  }

  /**
   * Close Chat clicked: what the form holds and was not saved is saved first (the same calls
   * as Save record); an untouched form sends nothing. Resolves true to go on and close. When
   * the save fails the form says so and the chat stays; a second Close Chat, with the form
   * left as it is, closes without saving.
   */
  async beforeClose(chatId) {
    const entry = this.forms.get(chatId);
    if (!entry) return true;
    if (entry.saving) await entry.saving;
    if (!entry.panel.dirty()) return true;
    if (entry.closeAnyway) {
      entry.discard = true;
      return true;
    }
    const ok = await this.saveForm(chatId, { focus: false, lead: R.notClosed });
    if (!ok) entry.closeAnyway = true;
    return ok;
  }

  /**
   * Server frames: chat.closed ends the pane's form. Closed from elsewhere (another window,
   * the service) with changes here not saved: they are saved anyway, and that is said.
   */
  onFrame(frame) {
    if (!frame || frame.type !== "chat.closed") return null;
    const chatId = frame.chat_id;
    const entry = this.forms.get(chatId);
    if (!entry) return null;
    this.forms.delete(chatId);
    const forget = () => this.savedBodies.delete(chatId);
    if (entry.discard || entry.saving || !entry.lists || !entry.panel.dirty()) {
      (entry.saving || Promise.resolve()).then(forget);
      return null;
    }
    const name = patronName(entry.chat);
    const values = { ...entry.panel.values(), makeTicket: false };
    return this.saveChat(chatId, values, entry.lists, entry.email).then(
      (res) => this.announce(res.errors ? R.lostAfterClose(name, res.errors[0].text) : R.savedAfterClose(name)),
      (err) => this.announce(R.lostAfterClose(name, err && err.message)),
    ).finally(forget);
  }

  /**
   * Save of a chat's form: the record (when it differs from what was saved: none at first),
   * then the ticket if ticked. {errors} for what the librarian must correct; throws when the
   * service refused. {value: {record, recorded, ticket_id?}}: `record` what was PUT now (or
   * null), `recorded` whether the chat has a record.
   */
  async saveChat(chatId, values, lists, knownEmail = "") {
    const { body, errors } = recordBody(values, { tags: lists.failed ? null : lists.tags });
    const email = String(values.email ?? "").trim();
    if (values.makeTicket) {
      const problem = emailProblem(email, { required: !knownEmail });
      if (problem) errors.push({ field: "email", text: problem });
    }
    if (errors.length) return { errors };
    let record = null;
    const key = JSON.stringify(body);
    if (key !== (this.savedBodies.get(chatId) || NOTHING)) {
      record = (await this.call(() => this.api.chatRecord(chatId, body))).record || body;
      this.savedBodies.set(chatId, key); // a retry after the ticket failed does not save it twice
    }
    const recorded = (this.savedBodies.get(chatId) || NOTHING) !== NOTHING;
    if (!values.makeTicket) return { value: { record, recorded } };
    let ticket;
    try {
      ticket = await this.call(() => this.api.chatTicket(chatId, email ? { email } : {}));
    } catch (err) {
      if (!recorded) throw err;
      const said = new Error(R.ticketFailed(err && err.message));
      said.whole = true; // said in full: not "Not saved: …"
      throw said;
    }
    return { value: { record, recorded, ticket_id: ticket.ticket_id } };
  }

  /** History: a closed chat's record, changed. `record`: what History knows of it. */
  async edit(chatId, record, { lead = "" } = {}) {
    const lists = await this.lists();
    const noteKnown = Boolean(record && typeof record.note === "string");
    return this.form({
      mode: "edit", lead, values: recordValues(record), lists, noteKnown,
      save: async (values) => {
        const { body, errors } = recordBody(values, { tags: lists.failed ? null : lists.tags, noteKnown });
        if (errors.length) return { errors };
        const res = await this.call(() => this.api.chatRecord(chatId, body));
        this.announce(R.saved);
        return { value: res.record || body };
      },
    });
  }

  /** The Tickets tab's Close: the same form; `close(record | null)` posts it (and may throw). */
  async ticketForm(ticket, close) {
    const lists = await this.lists();
    const record = ticket.record || null;
    const noteKnown = Boolean(record && typeof record.note === "string");
    return this.form({
      mode: "ticket", lead: R.lead(ticket.name || S.tickets.someone, ticket.question || ""),
      values: recordValues(record), lists, noteKnown,
      save: async (values) => {
        const { body, errors } = recordBody(values, { tags: lists.failed ? null : lists.tags, noteKnown });
        if (errors.length) return { errors };
        await close(isEmptyRecord(body) && !record ? null : body);
        return { value: { record: body } };
      },
    });
  }

  /** A chat pane's "E-mail transcript": asks the address, then POST /api/chats/{id}/transcript. */
  emailChat(chatId, chat) {
    return this.emailForm({
      title: S.transcript.title(patronName(chat || {})), value: chatEmail(chat), required: true,
      check: (email) => (email ? emailProblem(email) : S.transcript.needEmail),
      send: async (email) => {
        await this.call(() => this.api.chatTranscript(chatId, email));
        this.announce(S.transcript.sent(email));
      },
    });
  }

  /** A REST call; a refused token signs out, any refusal is thrown with the service's words. */
  async call(fn) {
    try {
      return (await fn()) || {};
    } catch (err) {
      if (err && err.status === 401) this.onAuthLost();
      throw err;
    }
  }
}
