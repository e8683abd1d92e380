// The widget's ticket parts (docs/tickets.md), DOM only: the "leave a question and we'll e-mail
// you" form on the offline and closed screens, the offer made to a patron still waiting (or
// whose chat could not reconnect) with "E-mail me the answer" and "Keep waiting", the card that
// ends the chat view once the question became a ticket, and the transcript tools after a chat
// (Download, Print, "E-mail me the transcript"). `ticketViewMethods` is mixed into the View
// (view.js), so these are View methods working on its body, after slot and handlers. Every
// string is set as text. What a submission means is the controller's (controller-side
// tickets.js and intake.js), heard through handlers: onSubmitTicket({question, name, email}),
// onAcceptOffer({email}), onKeepWaiting(), onEmailTranscript(email), onPrint(), onDownload().

import { h } from "../js/dom.js";
import { icon } from "../js/icons.js";
import { MAX_EMAIL, MAX_TEXT, isEmail } from "../js/limits.js";

let uid = 0;
function id(prefix) {
  uid += 1;
  return `lc-tk-${prefix}-${uid}`;
}

function emailInput(value) {
  const input = h("input", { class: "lc-input", type: "email", maxlength: String(MAX_EMAIL), autocomplete: "email",
    inputmode: "email", spellcheck: "false", "aria-required": "true" });
  input.value = value || "";
  return input;
}

/**
 * A labelled field: label (with "(required)" / "(optional)"), hint and error line, wired to the
 * control with aria-describedby. Returns {element, control, error}.
 */
function field(t, labelText, control, { required = false, hint } = {}) {
  const fieldId = id("field");
  const errorId = `${fieldId}-error`;
  const hintId = hint ? `${fieldId}-hint` : null;
  control.id = fieldId;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  const error = h("p", { class: "lc-field-error", id: errorId });
  const element = h("div", { class: "lc-field" },
    h("label", { for: fieldId, class: "lc-label" }, labelText, " ",
      h("span", { class: "lc-label-note", text: t(required ? "form.required" : "form.optional") })),
    hint ? h("p", { class: "lc-hint", id: hintId, text: hint }) : null,
    control, error);
  return { element, control, error };
}

/** Each field's error line and aria-invalid; the first field in error gets the focus. True if none. */
function showErrors(fields, errors) {
  let first = null;
  for (const [key, { control, error }] of Object.entries(fields)) {
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
  return !first;
}

/** The e-mail rule of every ticket form: required, then the service's own check. */
function emailError(t, value) {
  if (!value) return t("ticket.emailRequired");
  return isEmail(value) ? "" : t("ticket.emailInvalid");
}

/** The offline screen's ticket form: question (required), name (optional), email (required). */
class TicketForm {
  constructor(t, handlers, values = {}) {
    this.t = t;
    this.busy = false;
    const question = h("textarea", { class: "lc-input lc-textarea", rows: "4", maxlength: String(MAX_TEXT),
      "aria-required": "true", autocomplete: "off" });
    question.value = values.question || "";
    const name = h("input", { class: "lc-input", type: "text", maxlength: "100", autocomplete: "name" });
    name.value = values.name || "";
    this.fields = {
      question: field(t, t("ticket.question"), question, { required: true }),
      name: field(t, t("ticket.name"), name),
      email: field(t, t("ticket.email"), emailInput(values.email), { required: true, hint: t("ticket.emailHint") }),
    };
    this.submitButton = h("button", { type: "submit", class: "lc-btn lc-btn--primary" }, t("ticket.submit"));
    this.error = h("p", { class: "lc-error", role: "alert" });
    const headingId = id("ticket");
    this.form = h("form", { class: "lc-form lc-ticket-form", novalidate: true, "aria-labelledby": headingId,
      onsubmit: (event) => {
        event.preventDefault();
        if (this.busy) return;
        const v = this.values();
        const ok = showErrors(this.fields, {
          question: v.question.trim() ? "" : t("ticket.questionRequired"), email: emailError(t, v.email) });
        if (ok) handlers.onSubmitTicket({ ...v, question: v.question.trim() });
      } },
    Object.values(this.fields).map((f) => f.element), this.error, this.submitButton);
    this.section = h("section", { class: "lc-ticket", "aria-labelledby": headingId },
      h("h3", { class: "lc-subheading", id: headingId, text: t("ticket.heading") }),
      h("p", { class: "lc-lead", text: t("ticket.intro") }),
      this.form);
  }

  values() {
    const f = this.fields;
    return { question: f.question.control.value, name: f.name.control.value.trim(), email: f.email.control.value.trim() };
  }

  setBusy(busy) {
    this.busy = busy;
    this.submitButton.disabled = busy;
    this.submitButton.textContent = this.t(busy ? "ticket.submitting" : "ticket.submit");
  }
}

/** "Thanks, we'll e-mail you at …": what replaces a ticket form once the question is sent. */
function sentNote(t, email, { level = "h3", body = "ticket.sentBody" } = {}) {
  const headingId = id("sent");
  const heading = h(level, { class: level === "h3" ? "lc-subheading" : "lc-heading", id: headingId, tabindex: "-1",
    text: t("ticket.sent", { email }) });
  const section = h("section", { class: "lc-ticket lc-ticket-sent", "aria-labelledby": headingId },
    h("div", { class: "lc-done-icon", "aria-hidden": "true" }, icon("check")), heading, h("p", { text: t(body) }));
  return { section, heading };
}

export const ticketViewMethods = {
  /** The privacy page of the desk's library (`?library=`), linked from the form and the end. */
  setPrivacyLibrary(library) {
    this.privacyHref = library ? `privacy.html?library=${encodeURIComponent(library)}` : "privacy.html";
  },

  // ------------------------------------------------ offline and closed screens

  /**
   * The ticket form on the offline (or closed) screen on show, before its "Check again", filled
   * with `values`; or, once sent, "Thanks, we'll e-mail you at <sent>".
   */
  showTicketForm({ values = {}, sent = null } = {}) {
    const section = this.offlineHeading && this.offlineHeading.parentNode;
    if (!section || this.currentScreen() !== "offline") return;
    this.ticketForm = sent ? null : new TicketForm(this.t, this.handlers, values);
    const part = sent ? sentNote(this.t, sent) : this.ticketForm;
    this.ticketSent = sent ? part.heading : null;
    const retry = section.querySelector(".lc-retry");
    section.insertBefore(part.section, retry || null);
  },

  /** What the ticket form holds (null when none is on screen), to keep it across screens. */
  ticketValues() {
    const form = this.ticketForm;
    return form && this.body.contains(form.section) ? form.values() : null;
  },

  setTicketBusy(busy) {
    if (this.ticketForm) this.ticketForm.setBusy(busy);
  },

  setTicketError(text) {
    if (this.ticketForm) this.ticketForm.error.textContent = text || "";
  },

  /** The question was sent: the form gives way to the thanks, which takes the focus. */
  showTicketSent(email) {
    const form = this.ticketForm;
    if (!form || !this.body.contains(form.section)) return;
    const note = sentNote(this.t, email);
    form.section.replaceWith(note.section);
    this.ticketForm = null;
    this.ticketSent = note.heading;
    note.heading.focus();
  },

  // ------------------------------------------------------ the offer in a chat

  /**
   * "Nobody has picked this up yet" (`reason` "waiting") or "We couldn't reconnect to the chat"
   * ("reconnect"): an e-mail field (filled with `email`), "E-mail me the answer" and "Keep
   * waiting". It goes above the after slot; a polite live region (there before it) says it came.
   */
  showTicketOffer({ reason = "waiting", email = "" } = {}) {
    if (!this.after || !this.body.contains(this.after)) return;
    const t = this.t;
    if (!this.offerSlot || !this.body.contains(this.offerSlot)) {
      this.offerLive = h("p", { class: "lc-vh", "aria-live": "polite" });
      this.offerSlot = h("div", { class: "lc-ticket-slot" });
      this.after.before(this.offerLive, this.offerSlot);
    }
    const headingId = id("offer");
    const headingText = t(reason === "reconnect" ? "offer.headingReconnect" : "offer.heading");
    const fields = { email: field(t, t("ticket.email"), emailInput(email), { required: true, hint: t("ticket.emailHint") }) };
    const accept = h("button", { type: "submit", class: "lc-btn lc-btn--primary" }, t("offer.accept"));
    const wait = h("button", { type: "button", class: "lc-btn lc-btn--secondary",
      onclick: () => this.handlers.onKeepWaiting() }, t("offer.wait"));
    const error = h("p", { class: "lc-error", role: "alert" });
    const form = h("form", { class: "lc-form", novalidate: true, "aria-labelledby": headingId, onsubmit: (event) => {
      event.preventDefault();
      if (accept.disabled) return;
      const value = fields.email.control.value.trim();
      if (showErrors(fields, { email: emailError(t, value) })) this.handlers.onAcceptOffer({ email: value });
    } }, fields.email.element, error, h("div", { class: "lc-actions" }, accept, wait));
    this.offer = { accept, wait, error, email: fields.email.control };
    this.offerSlot.replaceChildren(h("section", { class: "lc-card lc-ticket-offer", "aria-labelledby": headingId },
      h("h2", { class: "lc-heading", id: headingId, text: headingText }),
      h("p", { text: t("offer.body") }), form));
    const live = this.offerLive;
    live.textContent = "";
    this.doc.defaultView.setTimeout(() => {
      live.textContent = `${headingText}. ${t("offer.body")}`;
    }, 100);
  },

  /** Is the offer on screen? */
  offerShown() {
    return Boolean(this.offerSlot && this.offerSlot.firstChild && this.body.contains(this.offerSlot));
  },

  hideTicketOffer() {
    if (this.offerSlot) this.offerSlot.replaceChildren();
    if (this.offerLive) this.offerLive.textContent = "";
    this.offer = null;
  },

  setOfferBusy(busy) {
    if (!this.offer) return;
    this.offer.accept.disabled = busy;
    this.offer.wait.disabled = busy;
    this.offer.accept.textContent = this.t(busy ? "ticket.submitting" : "offer.accept");
  },

  setOfferError(text) {
    if (this.offer) this.offer.error.textContent = text || "";
  },

  /**
   * The chat became a ticket: no composer, no offer; under the transcript, "Thanks, we'll
   * e-mail you at <email>" (`email` null: made elsewhere, "We'll answer you by e-mail"), with
   * "Start a new chat" and the transcript's Download and Print.
   */
  showTicketDone(email) {
    const t = this.t;
    this.clearFooter();
    this.hideTicketOffer();
    let part;
    if (email) {
      part = sentNote(t, email, { level: "h2", body: "offer.doneBody" });
    } else {
      const headingId = id("ticketed");
      const heading = h("h2", { class: "lc-heading", id: headingId, tabindex: "-1", text: t("ticketed.heading") });
      part = { heading, section: h("section", { "aria-labelledby": headingId }, heading, h("p", { text: t("ticketed.body") })) };
    }
    this.afterHeading = part.heading;
    this.after.replaceChildren(h("div", { class: "lc-card lc-after" }, part.section,
      h("div", { class: "lc-actions" },
        h("button", { type: "button", class: "lc-btn lc-btn--primary", onclick: () => this.handlers.onNewChat() },
          t("action.newChat"))),
      this.transcriptTools({ mail: false })));
  },

  // ----------------------------------------------------- transcript tools

  /** The address "E-mail me the transcript" starts with (the one the patron gave). */
  setTranscriptEmail(email) {
    this.transcriptEmail = email || "";
  },

  /**
   * Download transcript, Print transcript and (unless `mail` is false) "E-mail me the
   * transcript" with Send and its status line. The cards of view-after.js place it.
   */
  transcriptTools({ mail = true } = {}) {
    const t = this.t;
    const buttons = h("div", { class: "lc-actions lc-transcript-actions" },
      h("button", { type: "button", class: "lc-btn lc-btn--link lc-download", onclick: () => this.handlers.onDownload() },
        icon("download"), t("action.download")),
      h("button", { type: "button", class: "lc-btn lc-btn--link lc-print", onclick: () => this.handlers.onPrint() },
        t("transcript.print")));
    const privacy = this.privacyTools();
    if (!mail) return h("div", { class: "lc-transcript-tools" }, buttons, privacy);
    const input = h("input", { class: "lc-input", type: "email", maxlength: String(MAX_EMAIL), autocomplete: "email",
      inputmode: "email", spellcheck: "false" });
    input.value = this.transcriptEmail || "";
    const inputId = id("transcript-email");
    const errorId = `${inputId}-error`;
    input.id = inputId;
    input.setAttribute("aria-describedby", errorId);
    const send = h("button", { type: "submit", class: "lc-btn lc-btn--secondary lc-transcript-send" }, t("transcript.send"));
    const error = h("p", { class: "lc-field-error", id: errorId, role: "alert" });
    const status = h("p", { class: "lc-transcript-status", role: "status" });
    const form = h("form", { class: "lc-transcript-mail", novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      if (send.disabled) return;
      const value = input.value.trim();
      const ok = isEmail(value);
      error.textContent = ok ? "" : t("transcript.emailInvalid");
      if (ok) input.removeAttribute("aria-invalid");
      else input.setAttribute("aria-invalid", "true");
      status.textContent = "";
      if (ok) this.handlers.onEmailTranscript(value);
      else input.focus();
    } },
    h("label", { for: inputId, class: "lc-label", text: t("transcript.emailLabel") }),
    h("div", { class: "lc-inline-row" }, input, send),
    error, status);
    this.tools = { input, send, error, status };
    return h("div", { class: "lc-transcript-tools" }, buttons, form, privacy);
  },

  /**
   * "Delete this chat" (asked again before it is done: it cannot be undone) and the library's
   * privacy page (docs/privacy.md), under the transcript tools.
   */
  privacyTools() {
    const t = this.t;
    const status = h("p", { class: "lc-field-error", role: "alert" });
    const confirm = h("div", { class: "lc-delete-confirm", hidden: true },
      h("p", { text: t("delete.confirm") }),
      h("div", { class: "lc-actions" },
        h("button", { type: "button", class: "lc-btn lc-btn--primary", onclick: () => this.handlers.onDeleteChat() },
          t("delete.now")),
        h("button", { type: "button", class: "lc-btn lc-btn--secondary", onclick: () => {
          confirm.hidden = true;
          ask.focus();
        } }, t("delete.cancel"))));
    const ask = h("button", { type: "button", class: "lc-btn lc-btn--link lc-delete", onclick: () => {
      confirm.hidden = false;
      confirm.querySelector("button").focus();
    } }, t("delete.ask"));
    const link = h("a", { class: "lc-link lc-privacy-link", href: this.privacyHref || "privacy.html", target: "_blank", rel: "noopener",
      text: t("privacy.link") });
    this.deleteTools = { status };
    return h("div", { class: "lc-privacy-tools" }, h("div", { class: "lc-actions" }, ask, link), confirm, status);
  },

  setDeleteResult({ ok, text }) {
    if (this.deleteTools) this.deleteTools.status.textContent = ok ? "" : text;
  },

  /** The chat is gone: the conversation leaves the screen too; a way to start over. */
  showDeleted() {
    const t = this.t;
    this.clearFooter();
    const headingId = id("deleted");
    const heading = h("h2", { class: "lc-heading", id: headingId, tabindex: "-1", text: t("delete.doneHeading") });
    this.afterHeading = heading;
    this.body.replaceChildren(h("div", { class: "lc-conversation" }, h("section",
      { class: "lc-card lc-after", "aria-labelledby": headingId }, heading, h("p", { text: t("delete.doneBody") }),
      h("div", { class: "lc-actions" },
        h("button", { type: "button", class: "lc-btn lc-btn--primary", onclick: () => this.handlers.onNewChat() },
          t("action.newChat"))))));
  },

  setTranscriptBusy(busy) {
    if (!this.tools) return;
    this.tools.send.disabled = busy;
    this.tools.send.textContent = this.t(busy ? "transcript.sending" : "transcript.send");
  },

  /** "Transcript sent to <address>" (a status) or what went wrong (an alert, the field kept). */
  setTranscriptResult({ ok, text }) {
    if (!this.tools) return;
    this.tools.status.textContent = ok ? text : "";
    this.tools.error.textContent = ok ? "" : text;
  },

  /** Print what the conversation shows: widget.css's print rules leave only the transcript. */
  printTranscript() {
    this.doc.defaultView.print();
  },
};
