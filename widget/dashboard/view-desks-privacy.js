// The desk form's "Privacy" fieldset (docs/privacy.md "Settings per desk"): how many days a
// chat is kept, whether the conversation is kept or deleted after close (and how many hours
// after), whether the patron's name and e-mail are removed at close, and whether librarians
// see the patron's draft. It shows and reads values only: what they mean as a request is
// desks-admin.js's (privacyToForm / formToPrivacy), the saving view-desks-form.js's. Each
// control has a visible label and its help text tied by aria-describedby.

import { el } from "../js/dom.js";
import { DELETE_AFTER_MAX, privacyToForm, RETENTION_MAX, RETENTION_MIN } from "./desks-admin.js";
import { S } from "./strings.js";
import { choice, field, fieldset } from "./view-desks-fields.js";

/** Ties a help paragraph to its control (the choice() controls have no hint of their own). */
function helped(doc, input, id, text) {
  const hint = el(doc, "p", "lcd-hint lcd-field-hint", text);
  hint.id = id;
  input.setAttribute("aria-describedby", id);
  return hint;
}

export class PrivacyFields {
  /** @param {Document} doc */
  constructor(doc) {
    const d = doc;
    const p = S.desks.privacy;
    this.el = fieldset(d, { legend: p.legend, hint: p.hint, id: "lcd-desk-privacy", className: "lcd-desk-privacy" });
    const retention = field(d, {
      id: "lcd-desk-retention", label: p.retention, hint: p.retentionHint, type: "number", className: "lcd-field--short",
      attrs: { min: RETENTION_MIN, max: RETENTION_MAX, step: 1, inputmode: "numeric" },
    });

    // the conversation after close: keep, or delete N hours after
    const transcripts = el(d, "fieldset", "lcd-fieldset lcd-desk-transcripts");
    transcripts.append(el(d, "legend", null, p.transcripts));
    const keep = choice(d, { id: "lcd-desk-transcripts-keep", type: "radio", name: "lcd-desk-transcripts", value: "keep", label: p.keep, className: "lcd-radio" });
    const del = choice(d, { id: "lcd-desk-transcripts-delete", type: "radio", name: "lcd-desk-transcripts", value: "delete", label: p.delete, className: "lcd-radio" });
    const tHint = el(d, "p", "lcd-hint lcd-field-hint", p.transcriptsHint);
    tHint.id = "lcd-desk-transcripts-hint";
    transcripts.setAttribute("aria-describedby", tHint.id);
    const hours = field(d, {
      id: "lcd-desk-delete-hours", label: p.hours, hint: p.hoursHint, type: "number", className: "lcd-field--short",
      attrs: { min: 0, max: DELETE_AFTER_MAX, step: 1, inputmode: "numeric" },
    });
    transcripts.append(tHint, keep.wrap, del.wrap, hours.wrap);
    keep.input.addEventListener("change", () => this.sync());
    del.input.addEventListener("change", () => this.sync());

    const strip = choice(d, { id: "lcd-desk-strip", label: p.strip });
    const stripHint = helped(d, strip.input, "lcd-desk-strip-hint", p.stripHint);
    const stripWrap = el(d, "div", "lcd-field lcd-desk-strip");
    stripWrap.append(strip.wrap, stripHint);

    const typing = field(d, {
      id: "lcd-desk-typing", label: p.typing, hint: p.typingHint, tag: "select",
      options: [{ value: "", label: p.typingDefault }, { value: "on", label: p.typingOn }, { value: "off", label: p.typingOff }],
    });

    const observed = choice(d, { id: "lcd-desk-observed", label: p.observed }); // docs/supervision.md
    const observedHint = helped(d, observed.input, "lcd-desk-observed-hint", p.observedHint);
    const observedWrap = el(d, "div", "lcd-field lcd-desk-observed");
    observedWrap.append(observed.wrap, observedHint);

    this.el.append(retention.wrap, transcripts, stripWrap, typing.wrap, observedWrap);
    this.c = { retention: retention.input, keep: keep.input, del: del.input, hours: hours.input, strip: strip.input,
      typing: typing.input, observed: observed.input };
  }

  /** Controls per field name of desks-admin.js's errors (and fieldOfMessage's). */
  controls() {
    const c = this.c;
    return { "privacy-retention": c.retention, "privacy-transcripts": c.keep, "privacy-hours": c.hours, "privacy-strip": c.strip, "privacy-typing": c.typing };
  }

  /** Show a desk's stored settings (null or {}: every default). */
  show(privacy) {
    const v = privacyToForm(privacy);
    const c = this.c;
    c.retention.value = v.retentionDays;
    c.keep.checked = v.transcripts !== "delete";
    c.del.checked = v.transcripts === "delete";
    c.hours.value = v.deleteAfterHours;
    c.strip.checked = v.stripIdentity;
    c.typing.value = v.typingPreview;
    c.observed.checked = v.observerNotice;
    this.sync();
  }

  /** The hours only count with "delete": disabled (and so skipped) otherwise. */
  sync() {
    this.c.hours.disabled = !this.c.del.checked;
  }

  /** What desks-admin.js's formToPrivacy reads. */
  values() {
    const c = this.c;
    return {
      retentionDays: c.retention.value, transcripts: c.del.checked ? "delete" : "keep",
      deleteAfterHours: c.hours.value, stripIdentity: c.strip.checked, typingPreview: c.typing.value,
      observerNotice: c.observed.checked,
    };
  }
}
