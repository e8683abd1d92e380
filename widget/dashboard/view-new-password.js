// The first sign-in's second step (docs/desks.md "POST /api/auth/password"): the service wants a
// new password in place of the temporary one. The step's form comes from its <template> in
// index.html, put in place of the sign-in form (kept, hidden, for "Back to sign in"), so its
// password fields are not on the page until they are wanted. Reports `newPassword(first,
// second)` and `newPasswordBack()` through `call`; all text goes in with textContent.

import { el } from "../js/dom.js";
import { S } from "./strings.js";

export class NewPasswordStep {
  /**
   * @param {Document} doc
   * @param {HTMLFormElement} signinForm  the sign-in form it stands in for
   * @param {Function} call               (handlerName, ...args) => void
   */
  constructor(doc, signinForm, call) {
    this.doc = doc;
    this.signinForm = signinForm;
    this.call = call;
    this.np = null;
  }

  get shown() {
    return Boolean(this.np);
  }

  show(username) {
    this.hide();
    const doc = this.doc;
    this.signinForm.hidden = true;
    this.signinForm.after(doc.getElementById("lcd-newpw-template").content.cloneNode(true));
    const $ = (id) => doc.getElementById(id);
    const np = {
      form: $("lcd-newpw-form"), user: $("lcd-newpw-user"), error: $("lcd-newpw-error"),
      first: $("lcd-newpw-1"), second: $("lcd-newpw-2"), submit: $("lcd-newpw-submit"), back: $("lcd-newpw-back"),
    };
    this.np = np;
    np.user.textContent = username;
    np.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.call("newPassword", np.first.value, np.second.value);
    });
    np.back.addEventListener("click", () => this.call("newPasswordBack"));
    np.first.focus();
  }

  /** Back to the plain sign-in form: the step is gone, with what was typed in it. */
  hide() {
    if (this.np) this.np.form.remove();
    this.np = null;
    this.signinForm.hidden = false;
  }

  busy(busy) {
    if (!this.np) return;
    this.np.submit.disabled = busy;
    this.np.submit.textContent = busy ? S.signIn.newPasswordBusy : S.signIn.newPasswordSubmit;
  }

  /** A problem with the new password in the step's alert (`clear`: both boxes emptied to try again). */
  error(text, { clear = false } = {}) {
    const np = this.np;
    if (!np) return;
    if (text) np.error.replaceChildren(el(this.doc, "p", "lcd-form-error-text", text));
    else np.error.replaceChildren();
    if (clear) {
      np.first.value = "";
      np.second.value = "";
    }
    np.first.setAttribute("aria-invalid", text ? "true" : "false");
    if (text) np.first.focus();
  }
}
