// The question form: the question (required), name and email (optional, the email checked by
// the service's own rule, ../js/limits.js), each with its label, hint and error line wired up for screen readers.
// The controller hears only a valid submission: handlers.onSubmitQuestion({question, name, email}).

import { h } from "../js/dom.js";
import { MAX_EMAIL, MAX_TEXT, isEmail } from "../js/limits.js";

export class QuestionForm {
  /**
   * @param {Function} t  translator
   * @param {object} handlers  the view's handlers (onSubmitQuestion)
   * @param {string} headingId
   * @param {object} values  {question, name, email} to start from
   * @param {string} [privacyHref]  the public privacy page of this desk's library (view-tickets.js)
   */
  constructor(t, handlers, headingId, values = {}, privacyHref = "privacy.html") {
    this.t = t;
    this.handlers = handlers;
    this.busy = false;
    this.fields = {};
    const question = h("textarea", { class: "lc-input lc-textarea", rows: "4", maxlength: String(MAX_TEXT),
      "aria-required": "true", autocomplete: "off" });
    question.value = values.question || "";
    const name = h("input", { class: "lc-input", type: "text", maxlength: "100", autocomplete: "name" });
    name.value = values.name || "";
    const email = h("input", { class: "lc-input", type: "email", maxlength: String(MAX_EMAIL), autocomplete: "email",
      inputmode: "email", spellcheck: "false" });
    email.value = values.email || "";
    this.submitButton = h("button", { type: "submit", class: "lc-btn lc-btn--primary lc-btn--block" }, t("form.submit"));
    this.error = h("p", { class: "lc-error", role: "alert" });
    const form = h("form", { class: "lc-form", novalidate: true, "aria-labelledby": headingId, onsubmit: (event) => {
      event.preventDefault();
      this.submit();
    } },
    this.field("question", "form.question", question, { required: true }),
    this.field("name", "form.name", name),
    this.field("email", "form.email", email, { hint: t("form.emailHint") }),
    this.error,
    this.submitButton,
    h("p", { class: "lc-fineprint" }, t("form.privacy"), " ",
      h("a", { class: "lc-link lc-privacy-link", href: privacyHref, target: "_blank", rel: "noopener", text: t("privacy.link") })));
    this.section = h("section", { class: "lc-screen lc-start" },
      h("h2", { class: "lc-heading", id: headingId, text: t("form.heading") }),
      h("p", { class: "lc-lead", text: t("form.intro") }),
      form);
  }

  field(key, labelKey, control, { required = false, hint } = {}) {
    const t = this.t;
    const fieldId = `lc-${key}`;
    const errorId = `${fieldId}-error`;
    const hintId = hint ? `${fieldId}-hint` : null;
    control.id = fieldId;
    control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
    const error = h("p", { class: "lc-field-error", id: errorId });
    this.fields[key] = { control, error };
    return h("div", { class: "lc-field" },
      h("label", { for: fieldId, class: "lc-label" }, t(labelKey), " ",
        h("span", { class: "lc-label-note", text: t(required ? "form.required" : "form.optional") })),
      hint ? h("p", { class: "lc-hint", id: hintId, text: hint }) : null,
      control, error);
  }

  values() {
    const f = this.fields;
    return { question: f.question.control.value, name: f.name.control.value.trim(), email: f.email.control.value.trim() };
  }

  submit() {
    if (this.busy) return;
    const values = this.values();
    const errors = {};
    if (!values.question.trim()) errors.question = this.t("form.questionRequired");
    if (values.email && !isEmail(values.email)) errors.email = this.t("form.emailInvalid");
    this.setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    this.handlers.onSubmitQuestion({ ...values, question: values.question.trim() });
  }

  /** Each field's error line and aria-invalid; the first field in error gets the focus. */
  setFieldErrors(errors) {
    let first = null;
    for (const key of ["question", "name", "email"]) {
      const { control, error } = this.fields[key];
      const message = errors[key] || "";
      error.textContent = message;
      if (message) {
        control.setAttribute("aria-invalid", "true");
        first = first || control;
      } else {
        control.removeAttribute("aria-invalid");
      }
    }
    if (first) first.focus();
  }

  setBusy(busy) {
    this.busy = busy;
    this.submitButton.disabled = busy;
    this.submitButton.textContent = this.t(busy ? "form.submitting" : "form.submit");
  }

  setError(text) {
    this.error.textContent = text || "";
  }

  focus() {
    this.fields.question.control.focus();
  }
}
