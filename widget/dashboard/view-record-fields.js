// The close form's fields (docs/tickets.md "The close form"), built the same way for the chat
// pane's inline "Record this chat (optional)" (view-record-inline.js) and the "Edit the chat's
// record" / "Close the ticket" dialogs (view-record.js): Question type, the READ scale, Tags,
// the internal note and, for a chat, "Also make a ticket to follow up by e-mail" with the
// patron's e-mail. Element ids start with `prefix`, so each pane's form has its own. Every
// text goes in with textContent.

import { el } from "../js/dom.js";
import { NOTE_MAX, readOptions } from "./record-form.js";
import { S } from "./strings.js";
import { choice, field, fieldset } from "./view-desks-fields.js";

const R = S.record;

/**
 * The fields, not yet filled: {parts: [elements, in order], type, read, readOpts, tagOpts,
 * noTags, note, noteHint, ticketSet, make, email, emailWrap, prefix}. `ticket`: the follow-up
 * ticket's choice too.
 */
export function recordFields(doc, prefix, { ticket = false } = {}) {
  const d = doc;
  const type = field(d, { id: `${prefix}-type`, label: R.questionType, tag: "select" });
  const read = fieldset(d, { legend: R.read, className: "lcd-record-read" });
  read.id = `${prefix}-read`;
  const readOpts = el(d, "div", "lcd-record-options");
  read.append(readOpts);
  const tags = fieldset(d, { legend: R.tags, className: "lcd-record-tags" });
  const tagOpts = el(d, "div", "lcd-record-options");
  const noTags = el(d, "p", "lcd-hint", R.noTags);
  tags.append(tagOpts, noTags);
  const note = field(d, { id: `${prefix}-note`, label: R.note, tag: "textarea", className: "lcd-record-note", attrs: { rows: 3, maxlength: NOTE_MAX } });
  const noteHint = el(d, "p", "lcd-hint lcd-field-hint", R.unknownNote);
  noteHint.id = `${prefix}-note-unknown`;
  noteHint.hidden = true;
  note.wrap.append(noteHint);
  const parts = [type.wrap, read, tags, note.wrap];
  const f = { prefix, parts, type: type.input, read, readOpts, tagOpts, noTags, note: note.input, noteHint };
  if (ticket) {
    const ticketSet = el(d, "div", "lcd-record-ticket");
    const make = choice(d, { id: `${prefix}-make-ticket`, label: R.makeTicket });
    const email = field(d, { id: `${prefix}-email`, label: R.email, type: "email", attrs: { autocomplete: "off", maxlength: 254 } });
    email.wrap.hidden = true;
    ticketSet.append(make.wrap, email.wrap);
    make.input.addEventListener("change", () => {
      email.wrap.hidden = !make.input.checked;
    });
    parts.push(ticketSet);
    Object.assign(f, { ticketSet, make: make.input, email: email.input, emailWrap: email.wrap });
  }
  return f;
}

/**
 * Fill the fields: {values: {questionType, read, tags, note}, lists: {tags, question_types},
 * email, noteUnknown}. A stored type or tag no longer on the admins' lists is kept as a choice.
 */
export function fillRecord(doc, f, { values, lists, email = "", noteUnknown = false }) {
  const d = doc;
  const v = values || {};
  const l = lists || { tags: [], question_types: [] };
  const types = [...l.question_types];
  if (v.questionType && !types.includes(v.questionType)) types.push(v.questionType);
  f.type.replaceChildren(...[{ value: "", label: R.noType }, ...types.map((t) => ({ value: t, label: t }))].map((o) => {
    const opt = el(d, "option", null, o.label);
    opt.value = o.value;
    return opt;
  }));
  f.type.value = v.questionType || "";
  f.readOpts.replaceChildren(...readOptions().map((o, i) => choice(d, {
    id: `${f.prefix}-read-${i}`, type: "radio", name: `${f.prefix}-read`, value: o.value, label: o.label,
    checked: o.value === (v.read || ""), className: "lcd-radio",
  }).wrap));
  const tags = [...l.tags, ...(v.tags || []).filter((t) => !l.tags.includes(t))];
  f.tagOpts.replaceChildren(...tags.map((t, i) => choice(d, {
    id: `${f.prefix}-tag-${i}`, name: `${f.prefix}-tag`, value: t, label: t, checked: (v.tags || []).includes(t),
  }).wrap));
  f.noTags.hidden = tags.length > 0;
  f.note.value = v.note || "";
  f.noteHint.hidden = !noteUnknown;
  if (f.make) {
    f.ticketSet.hidden = false;
    f.make.checked = false;
    f.email.value = email || "";
    f.emailWrap.hidden = true;
  }
}

/** What the fields hold: {questionType, read, tags, note, makeTicket, email}. */
export function readRecord(f) {
  return {
    questionType: f.type.value,
    read: (f.readOpts.querySelector("input:checked") || { value: "" }).value,
    tags: [...f.tagOpts.querySelectorAll("input:checked")].map((i) => i.value),
    note: f.note.value,
    makeTicket: Boolean(f.make && !f.ticketSet.hidden && f.make.checked),
    email: f.make ? f.email.value : "",
  };
}

/** The controls showErrors marks, by the field names of recordBody's errors. */
export function recordControls(f) {
  return { read: f.readOpts.querySelector("input"), note: f.note, email: f.email, type: f.type };
}
