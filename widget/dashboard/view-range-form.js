// What the History and Reports panels share: a date-range form's errors (each on its field and
// in the panel's alert), the panel's notice and its polite status line. A mixin: each view
// keeps `this.doc` and `this.e` ({notice, alert, status, from, to}) and assigns these methods.

import { el } from "../js/dom.js";
import { clearInvalid, showErrors } from "./view-desks-fields.js";

export const RangeFormView = {
  notice(text) {
    if (text) this.e.notice.replaceChildren(el(this.doc, "p", "lcd-pane-notice", text));
    else this.e.notice.replaceChildren();
  },

  formErrors(errors) {
    const e = this.e;
    const controls = { from: e.from, to: e.to };
    clearInvalid(controls);
    if (errors.length) showErrors(this.doc, e.alert, errors, { controls });
    else e.alert.replaceChildren();
  },

  status(text) {
    this.e.status.replaceChildren(...(text ? [el(this.doc, "p", null, text)] : []));
  },
};
