// Form controls of the admins' tabs (Desks, and the Team tab's accounts), built the same way
// everywhere: a visible <label> tied to its control, hints by aria-describedby, problems in
// the form's role="alert" box and again by each faulty control (aria-invalid, described by
// its note), the first of them focused. Every text goes in with textContent.

import { el } from "../js/dom.js";

/** Joins ids for aria-describedby, skipping empty ones. */
function describedBy(...ids) {
  return ids.filter(Boolean).join(" ");
}

/**
 * A labelled control: `tag` input (default), select or textarea. Returns {wrap, input}.
 * `options` (select): [{value, label}]. Other `attrs` are set as attributes.
 */
export function field(doc, { id, label, tag = "input", type = "text", hint, value, options, attrs = {}, className }) {
  const wrap = el(doc, "div", className ? `lcd-field ${className}` : "lcd-field");
  const lab = el(doc, "label", null, label);
  lab.htmlFor = id;
  const input = el(doc, tag, tag === "select" ? "lcd-select" : tag === "textarea" ? "lcd-textarea" : null);
  input.id = id;
  if (tag === "input") input.type = type;
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) input.setAttribute(k, v === true ? "" : String(v));
  if (options) {
    for (const o of options) {
      const opt = el(doc, "option", null, o.label);
      opt.value = o.value;
      input.append(opt);
    }
  }
  if (value !== undefined && value !== null) input.value = String(value);
  wrap.append(lab, input);
  if (hint) {
    const h = el(doc, "p", "lcd-hint lcd-field-hint", hint);
    h.id = `${id}-hint`;
    input.setAttribute("aria-describedby", describedBy(input.getAttribute("aria-describedby"), h.id));
    wrap.append(h);
  }
  return { wrap, input };
}

/** A checkbox or radio with its label around it. Returns {wrap, input}. */
export function choice(doc, { id, label, type = "checkbox", name, value, checked, className = "lcd-check" }) {
  const wrap = el(doc, "label", className);
  const input = el(doc, "input");
  input.type = type;
  if (id) input.id = id;
  if (name) input.name = name;
  if (value !== undefined) input.value = value;
  input.checked = Boolean(checked);
  wrap.append(input, el(doc, "span", null, label));
  return { wrap, input };
}

/** A <fieldset> with its <legend> and an optional hint under it. */
export function fieldset(doc, { legend, hint, id, className }) {
  const set = el(doc, "fieldset", className ? `lcd-fieldset ${className}` : "lcd-fieldset");
  set.append(el(doc, "legend", null, legend));
  if (hint) {
    const h = el(doc, "p", "lcd-hint lcd-field-hint", hint);
    if (id) {
      h.id = `${id}-hint`;
      set.setAttribute("aria-describedby", h.id);
    }
    set.append(h);
  }
  return set;
}

export function button(doc, text, { className = "lcd-btn", type = "button", label } = {}) {
  const b = el(doc, "button", className, text);
  b.type = type;
  if (label) b.setAttribute("aria-label", label);
  return b;
}

/** The form's alert (role="alert") and status (role="status") boxes, empty until used. */
export function messageBoxes(doc) {
  const alert = el(doc, "div", "lcd-form-error");
  alert.setAttribute("role", "alert");
  const status = el(doc, "div", "lcd-form-status");
  status.setAttribute("role", "status");
  return { alert, status };
}

/**
 * Problems found: listed in `alert` (a lead line, then one item each, or one line), each
 * faulty control (`controls[field]`) marked aria-invalid, the first of them focused (else the
 * `fallback` control). `errors`: [{field?, text}].
 */
export function showErrors(doc, alert, errors, { controls = {}, lead, fallback } = {}) {
  clearInvalid(controls);
  const box = el(doc, "div", "lcd-form-error-text");
  if (errors.length === 1 && !lead) {
    box.append(el(doc, "p", "lcd-form-error-line", errors[0].text));
  } else {
    if (lead) box.append(el(doc, "p", "lcd-form-error-line", lead));
    const ul = el(doc, "ul", "lcd-form-error-list");
    for (const e of errors) ul.append(el(doc, "li", null, e.text));
    box.append(ul);
  }
  alert.replaceChildren(box);
  let first = null;
  for (const e of errors) {
    const c = e.field && controls[e.field];
    if (!c) continue;
    c.setAttribute("aria-invalid", "true");
    // the same words by the control too: the alert may be scrolled out of view
    const note = el(doc, "p", "lcd-field-error", e.text);
    note.id = `${c.id}-error`;
    const place = (c.closest && c.closest(".lcd-field")) || c.parentElement;
    if (place && !doc.getElementById(note.id)) {
      place.append(note);
      c.setAttribute("aria-describedby", describedBy(c.getAttribute("aria-describedby"), note.id));
    }
    if (!first) first = c;
  }
  const target = first || fallback;
  if (target && typeof target.focus === "function") target.focus();
}

export function clearInvalid(controls = {}) {
  for (const c of Object.values(controls)) {
    if (!c || !c.removeAttribute) continue;
    c.removeAttribute("aria-invalid");
    const noteId = `${c.id}-error`;
    const note = c.ownerDocument && c.ownerDocument.getElementById(noteId);
    if (note) note.remove();
    const rest = (c.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== noteId);
    if (rest.length) c.setAttribute("aria-describedby", rest.join(" "));
    else c.removeAttribute("aria-describedby");
  }
}

/** The status box says `text` (or nothing). */
export function setStatus(doc, box, text) {
  if (text) box.replaceChildren(el(doc, "p", "lcd-form-status-text", text));
  else box.replaceChildren();
}
