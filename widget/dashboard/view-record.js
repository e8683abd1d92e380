// The close form's dialogs ("Edit the chat's record" from History, "Close the ticket" on the
// Tickets tab: explicit actions; a chat's own "Record this chat" is inline in its pane,
// view-record-inline.js) and the transcript's address dialog, on <dialog> elements built here
// on first use (modal, named by their headings, focus moved in and given back). The rules and the saving are
// ChatRecords' (record-form.js): `save(values)` answers {errors} (the dialog stays open and
// says which fields), {value} (it closes with it), or throws (its words shown). Every text goes
// in with textContent.

import { el } from "../js/dom.js";
import { S } from "./strings.js";
import { button, clearInvalid, field, messageBoxes, showErrors } from "./view-desks-fields.js";
import { fillRecord, readRecord, recordControls, recordFields } from "./view-record-fields.js";

const R = S.record;

/** A modal <dialog> with a heading (its accessible name) and a form; appended to `host`. */
export function makeDialog(doc, host, id, className) {
  const dialog = el(doc, "dialog", `lcd-dialog ${className}`);
  dialog.id = id;
  dialog.setAttribute("aria-labelledby", `${id}-title`);
  const form = el(doc, "form", "lcd-dialog-form");
  form.noValidate = true;
  const title = el(doc, "h2", "lcd-dialog-title");
  title.id = `${id}-title`;
  const lead = el(doc, "p", "lcd-dialog-body");
  lead.id = `${id}-lead`;
  dialog.setAttribute("aria-describedby", lead.id);
  const boxes = messageBoxes(doc);
  form.append(title, lead, boxes.alert);
  dialog.append(form);
  host.append(dialog);
  return { dialog, form, title, lead, alert: boxes.alert };
}

/**
 * Show `dialog` modally; `run(finish)` wires it. Resolves with what `finish(value)` gave, or
 * null when it closed otherwise (Cancel, Escape). Focus goes back to what had it, or to
 * `fallback()` when that is gone (a chat pane closed meanwhile).
 */
export function modal(doc, dialog, first, fallback) {
  const opener = doc.activeElement;
  let result = null;
  return {
    finish: (value) => {
      result = value;
      dialog.close();
    },
    shown: new Promise((resolve) => {
      const done = () => {
        dialog.removeEventListener("close", done);
        resolve(result);
        const back = opener && opener.isConnected && !opener.closest("[hidden]") && typeof opener.focus === "function" ? opener : fallback && fallback();
        if (back) back.focus();
      };
      dialog.addEventListener("close", done);
      dialog.showModal();
      if (first) first.focus();
    }),
  };
}

/** One showing at a time: a second chat ending while the form is open waits its turn. */
function queued(owner, show) {
  const run = (owner.last || Promise.resolve()).then(show);
  owner.last = run.catch(() => null);
  return run;
}

export class RecordDialog {
  /** @param {Document} doc  @param {object} o {host, fallbackFocus: () => element} */
  constructor(doc, { host, fallbackFocus } = {}) {
    this.doc = doc;
    this.host = host || doc.body;
    this.fallbackFocus = fallbackFocus || (() => null);
  }

  build() {
    if (this.e) return;
    const d = this.doc;
    const base = makeDialog(d, this.host, "lcd-record", "lcd-record");
    const f = recordFields(d, "lcd-record");
    const actions = el(d, "div", "lcd-dialog-actions");
    const cancel = button(d, R.cancel, { className: "lcd-btn", type: "button" });
    const save = button(d, R.save, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    save.id = "lcd-record-save";
    cancel.id = "lcd-record-cancel";
    cancel.addEventListener("click", () => base.dialog.close());
    actions.append(cancel, save);
    base.form.append(...f.parts, actions);
    base.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (this.onSave) this.onSave();
    });
    this.e = { ...base, f, cancel, save };
  }

  /** opts: {mode: "edit" | "ticket", lead, values, lists: {tags, question_types, failed}, noteKnown, save}. */
  open(opts) {
    return queued(this, () => this.show(opts));
  }

  show(opts) {
    this.build();
    const d = this.doc;
    const e = this.e;
    const lists = opts.lists || { tags: [], question_types: [] };
    const saveText = opts.mode === "ticket" ? R.saveClose : R.save;
    e.title.textContent = opts.mode === "ticket" ? R.ticketTitle : R.editTitle;
    e.lead.textContent = opts.lead || "";
    e.alert.replaceChildren();
    if (lists.failed) e.alert.append(el(d, "p", "lcd-form-error-line", R.tagsFailed));
    fillRecord(d, e.f, { values: opts.values, lists, noteUnknown: opts.mode === "edit" && !opts.noteKnown });
    e.save.textContent = saveText;
    e.save.disabled = false;
    const controls = recordControls(e.f);
    clearInvalid(controls);
    const m = modal(d, e.dialog, e.f.type, this.fallbackFocus);
    this.onSave = async () => {
      if (e.save.disabled) return;
      const values = readRecord(e.f);
      clearInvalid(controls);
      e.alert.replaceChildren();
      e.save.disabled = true;
      e.save.textContent = R.saving;
      let res;
      try {
        res = await opts.save(values);
      } catch (err) {
        res = { errors: [{ text: R.notSaved(err && err.message) }] };
      }
      e.save.disabled = false;
      e.save.textContent = saveText;
      if (res && res.errors && res.errors.length) {
        showErrors(d, e.alert, res.errors, { controls, fallback: e.save });
        return;
      }
      m.finish(res ? res.value ?? true : true);
    };
    return m.shown;
  }
}

export class EmailDialog {
  /** @param {Document} doc  @param {object} o {host, fallbackFocus} */
  constructor(doc, { host, fallbackFocus } = {}) {
    this.doc = doc;
    this.host = host || doc.body;
    this.fallbackFocus = fallbackFocus || (() => null);
  }

  build() {
    if (this.e) return;
    const d = this.doc;
    const base = makeDialog(d, this.host, "lcd-mail", "lcd-mail-dialog");
    const email = field(d, { id: "lcd-mail-address", label: S.transcript.address, type: "email", hint: S.transcript.hint,
      attrs: { autocomplete: "off", maxlength: 254 } });
    const actions = el(d, "div", "lcd-dialog-actions");
    const cancel = button(d, S.transcript.cancel);
    cancel.addEventListener("click", () => base.dialog.close());
    const send = button(d, S.transcript.send, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    send.id = "lcd-mail-send";
    actions.append(cancel, send);
    base.form.append(email.wrap, actions);
    base.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (this.onSend) this.onSend();
    });
    this.e = { ...base, email: email.input, label: email.wrap.querySelector("label"), send };
  }

  /** opts: {title, label?, lead?, value, required, check(email) => "" | problem, send(email)}. */
  open(opts) {
    return queued(this, () => this.show(opts));
  }

  show(opts) {
    this.build();
    const d = this.doc;
    const e = this.e;
    e.title.textContent = opts.title;
    e.lead.textContent = opts.lead || "";
    e.label.textContent = opts.label || S.transcript.address;
    e.email.value = opts.value || "";
    e.alert.replaceChildren();
    clearInvalid({ email: e.email });
    const m = modal(d, e.dialog, e.email, this.fallbackFocus);
    this.onSend = async () => {
      if (e.send.disabled) return;
      const email = e.email.value.trim();
      const problem = opts.check ? opts.check(email) : (opts.required && !email ? S.transcript.needEmail : "");
      if (problem) {
        showErrors(d, e.alert, [{ field: "email", text: problem }], { controls: { email: e.email } });
        return;
      }
      e.send.disabled = true;
      e.send.textContent = S.transcript.sending;
      try {
        await opts.send(email);
      } catch (err) {
        e.send.disabled = false;
        e.send.textContent = S.transcript.send;
        showErrors(d, e.alert, [{ text: S.transcript.failed(err && err.message) }], { fallback: e.email });
        return;
      }
      e.send.disabled = false;
      e.send.textContent = S.transcript.send;
      m.finish({ email });
    };
    return m.shown;
  }
}
