// What follows a chat, under its transcript: the survey card (a 1-5 rating, "did we answer
// your question?", a comment) and the closing card (thanks / you left the queue, with "Start a
// new chat"), both with the transcript tools the View builds (view-tickets.js: Download, Print,
// "E-mail me the transcript"; by default the Download button alone). Builders only: the View
// places them and keeps the references it needs to update them.

import { h } from "../js/dom.js";
import { icon } from "../js/icons.js";

function transcriptButton(t, handlers) {
  return h("button", { type: "button", class: "lc-btn lc-btn--link lc-download", onclick: () => handlers.onDownload() },
    icon("download"), t("action.download"));
}

/**
 * The survey card. A missing rating is answered on the spot; otherwise `handlers.onSurvey`
 * gets {rating, answered, comment}. Returns {section, heading, submit, skip, error}.
 */
export function surveyCard(t, handlers, headingId, tools = transcriptButton(t, handlers)) {
  const heading = h("h2", { class: "lc-heading", id: headingId, tabindex: "-1", text: t("survey.heading") });
  const ratingError = h("p", { class: "lc-field-error", id: "lc-rating-error" });
  const ratings = [1, 2, 3, 4, 5].map((n) => {
    const input = h("input", { type: "radio", name: "rating", value: String(n), class: "lc-rate-input",
      id: `lc-rate-${n}`, "aria-describedby": "lc-rating-error" });
    const label = n === 1 ? t("survey.rating1") : n === 5 ? t("survey.rating5") : String(n);
    return h("div", { class: "lc-rate" }, input,
      h("label", { for: `lc-rate-${n}`, class: "lc-rate-label" },
        h("span", { "aria-hidden": "true", text: String(n) }), h("span", { class: "lc-vh", text: label })));
  });
  const yesNo = [["yes", "survey.yes"], ["no", "survey.no"]].map(([value, key]) => h("div", { class: "lc-choice" },
    h("input", { type: "radio", name: "answered", value, id: `lc-answered-${value}`, class: "lc-choice-input" }),
    h("label", { for: `lc-answered-${value}`, class: "lc-choice-label", text: t(key) })));
  const comment = h("textarea", { id: "lc-comment", class: "lc-input lc-textarea", rows: "3", maxlength: "2000",
    name: "comment" });
  const error = h("p", { class: "lc-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "lc-btn lc-btn--primary" }, t("survey.submit"));
  const skip = h("button", { type: "button", class: "lc-btn lc-btn--secondary",
    onclick: () => handlers.onSkipSurvey() }, t("survey.skip"));
  const form = h("form", { class: "lc-survey", novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(form);
    if (!data.get("rating")) {
      ratingError.textContent = t("survey.ratingRequired");
      form.querySelector("input[name=rating]").focus();
      return;
    }
    ratingError.textContent = "";
    handlers.onSurvey({ rating: data.get("rating"), answered: data.get("answered"), comment: comment.value });
  } },
  h("fieldset", { class: "lc-fieldset" },
    h("legend", { class: "lc-label", text: t("survey.rating") }),
    h("div", { class: "lc-rates" }, ratings),
    h("div", { class: "lc-scale", "aria-hidden": "true" },
      h("span", { text: t("survey.scalePoor") }), h("span", { text: t("survey.scaleExcellent") })),
    ratingError),
  h("fieldset", { class: "lc-fieldset" },
    h("legend", { class: "lc-label", text: t("survey.answered") }),
    h("div", { class: "lc-choices" }, yesNo)),
  h("div", { class: "lc-field" },
    h("label", { for: "lc-comment", class: "lc-label" }, t("survey.comment"), " ",
      h("span", { class: "lc-label-note", text: t("form.optional") })),
    comment),
  error,
  h("div", { class: "lc-actions" }, submit, skip));
  const section = h("section", { class: "lc-card lc-after", "aria-labelledby": headingId },
    heading, h("p", { class: "lc-lead", text: t("survey.intro") }), form, tools);
  return { section, heading, submit, skip, error };
}

const CLOSING = {
  thanks: ["thanks.heading", "thanks.body"],
  skipped: ["thanks.skippedHeading", "thanks.skippedBody"],
  left: ["left.heading", "left.body"],
};

/** After the survey (or without one): `kind` is thanks, skipped or left. Returns {section, heading}. */
export function closingCard(t, handlers, kind, headingId, tools = transcriptButton(t, handlers)) {
  const keys = CLOSING[kind];
  const heading = h("h2", { class: "lc-heading", id: headingId, tabindex: "-1", text: t(keys[0]) });
  const section = h("section", { class: "lc-card lc-after", "aria-labelledby": headingId },
    kind === "thanks" ? h("div", { class: "lc-done-icon", "aria-hidden": "true" }, icon("check")) : null,
    heading,
    h("p", { text: t(keys[1]) }),
    h("div", { class: "lc-actions" },
      h("button", { type: "button", class: "lc-btn lc-btn--primary", onclick: () => handlers.onNewChat() },
        t("action.newChat"))),
    tools);
  return { section, heading };
}
