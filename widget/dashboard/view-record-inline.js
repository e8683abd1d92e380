// A chat pane's close form (docs/tickets.md "The close form"), inline and never modal: once
// the chat has ended, a group headed "Record this chat (optional)" under the log, by Close
// Chat, with the fields of view-record-fields.js and "Save record". It never takes focus by
// itself (Close Chat keeps it after End). The rules and the saving are ChatRecords'
// (record-form.js), which calls show() / busy() / saved() / failed() and reads values() and
// dirty(); the pane owns the element (`root`). Every text goes in with textContent.

import { el } from "../js/dom.js";
import { S } from "./strings.js";
import { button, clearInvalid, messageBoxes, setStatus, showErrors } from "./view-desks-fields.js";
import { fillRecord, readRecord, recordControls, recordFields } from "./view-record-fields.js";

const R = S.record;

/** What the form holds, as one string, to tell whether it changed since it was shown or saved. */
function snapshot(v) {
  return JSON.stringify([v.questionType, v.read, [...v.tags].sort(), v.note.trim(), v.makeTicket, v.makeTicket ? v.email.trim() : ""]);
}

export class RecordPanel {
  /** @param {Document} doc  @param {string} prefix  element ids (one pane's) */
  constructor(doc, prefix) {
    const d = doc;
    this.doc = d;
    const root = el(d, "section", "lcd-pane-record lcd-noprint");
    root.setAttribute("role", "group");
    root.id = prefix;
    root.setAttribute("aria-labelledby", `${prefix}-title`);
    root.hidden = true;
    const title = el(d, "h2", "lcd-pane-record-title", R.inlineTitle);
    title.id = `${prefix}-title`;
    const lead = el(d, "p", "lcd-hint lcd-pane-record-lead", R.inlineLead);
    const form = el(d, "form", "lcd-pane-record-form");
    form.noValidate = true;
    const boxes = messageBoxes(d);
    const f = recordFields(d, prefix, { ticket: true });
    const actions = el(d, "div", "lcd-pane-record-actions");
    const save = button(d, R.inlineSave, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    save.id = `${prefix}-save`;
    actions.append(save, boxes.status);
    form.append(boxes.alert, ...f.parts, actions);
    root.append(title, lead, form);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (this.onSave && this.save.getAttribute("aria-disabled") !== "true") this.onSave();
    });
    const changed = () => {
      setStatus(d, boxes.status, "");
      if (this.onChange) this.onChange();
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    Object.assign(this, { root, title, form, f, save, alert: boxes.alert, status: boxes.status, baseline: null });
    this.onSave = null;
    this.onChange = null;
  }

  /** Filled and shown: {values, lists: {tags, question_types, failed}, email}. Focus stays put. */
  show({ values, lists, email = "" }) {
    const d = this.doc;
    fillRecord(d, this.f, { values, lists, email });
    this.alert.replaceChildren();
    if (lists && lists.failed) this.alert.append(el(d, "p", "lcd-form-error-line", R.tagsFailed));
    setStatus(d, this.status, "");
    clearInvalid(recordControls(this.f));
    this.baseline = snapshot(this.values());
    this.root.hidden = false;
  }

  get shown() {
    return !this.root.hidden;
  }

  values() {
    return readRecord(this.f);
  }

  /** Changed since it was shown or last saved. */
  dirty() {
    return this.baseline !== null && snapshot(this.values()) !== this.baseline;
  }

  /** Saving: Save record says so and waits; the fields stay as they are. */
  busy(on) {
    if (on) this.save.setAttribute("aria-disabled", "true"); // not `disabled`: focus stays on it
    else this.save.removeAttribute("aria-disabled");
    this.save.textContent = on ? R.saving : R.inlineSave;
    if (on) {
      clearInvalid(recordControls(this.f));
      this.alert.replaceChildren();
      setStatus(this.doc, this.status, "");
    }
  }

  /** Saved as `values`: the polite status says `text`; a ticket made is not offered again. */
  saved(text, { values, ticketMade = false } = {}) {
    if (ticketMade) {
      this.f.make.checked = false;
      this.f.ticketSet.hidden = true;
    }
    this.baseline = snapshot({ ...(values || this.values()), makeTicket: false, email: "" });
    setStatus(this.doc, this.status, text);
  }

  /** Not saved: the problems in the form's alert, the fields kept. `focus`: the first faulty field. */
  failed(errors, { lead, focus = true } = {}) {
    const controls = recordControls(this.f);
    if (focus) {
      showErrors(this.doc, this.alert, errors, { controls, lead, fallback: this.save });
      return;
    }
    // from Close Chat: said (role=alert) and the fields marked, but focus stays on Close Chat
    clearInvalid(controls);
    showErrors(this.doc, this.alert, errors, { lead });
    for (const e of errors) if (e.field && controls[e.field]) controls[e.field].setAttribute("aria-invalid", "true");
  }
}
