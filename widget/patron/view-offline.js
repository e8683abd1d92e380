// The offline and closed screens' parts (view.js shows them): the library's other ways to
// ask, and when a closed desk opens next (in the patron's time, naming the library's).

import { h } from "../js/dom.js";
import { icon } from "../js/icons.js";

/** List items for the e-mail, phone and web alternatives the library configured. */
export function alternativeLinks(t, { email, phone, url }) {
  const alternatives = [];
  if (email) {
    alternatives.push(h("li", {}, h("a", { class: "lc-alt", href: `mailto:${email}` },
      icon("mail"), h("span", { text: t("offline.email", { email }) }))));
  }
  if (phone) {
    alternatives.push(h("li", {}, h("a", { class: "lc-alt", href: `tel:${phone.replace(/[^\d+]/g, "")}` },
      icon("phone"), h("span", { text: t("offline.phone", { phone }) }))));
  }
  if (url) {
    alternatives.push(h("li", {}, h("a", { class: "lc-alt", href: url, target: "_blank", rel: "noopener" },
      icon("link"), h("span", { text: t("offline.url") }))));
  }
  return alternatives;
}

/** What a closed desk's screen says: the next opening (or "later"), the library's message. */
export function closedIntro(t, closed, message, hasAlternatives) {
  const opening = closed.opening;
  return [
    opening ? h("p", { class: "lc-opens" },
      h("strong", { class: "lc-opens-local", text: t(opening.key, opening.vars) }),
      opening.library ? " " : null,
      opening.library ? h("span", { class: "lc-opens-library", text: t(opening.library.key, opening.library.vars) }) : null)
      : h("p", { class: "lc-opens", text: t("closed.later") }),
    message ? h("p", { text: message }) : null,
    hasAlternatives ? h("p", { text: t("closed.alternatives") }) : null,
  ];
}
