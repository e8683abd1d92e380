// The public privacy page's words and DOM (privacy.html, docs/privacy.md "The public privacy
// page"). `deskLines` and `pageModel` are pure: GET /api/privacy's answer -> the sentences the
// page shows, one per setting, generated, never written by hand (Node's test runner covers
// them). `PrivacyView` draws them: a banner, one <main> with the page's one h1, an h2 per
// desk with its sentences as a list, and a role="alert" region for what went wrong. Every text
// goes in as text (textContent); nothing from the service is read as HTML.

import { h } from "../js/dom.js";

const plural = (t, n, one, many) => (n === 1 ? t(one) : t(many, { n }));

/**
 * One desk's sentences, in the order a patron asks them: how long, the conversation after
 * close, name and e-mail, the typing preview, IP address, statistics, who reads it, and how to
 * delete it now. `facts`: the page-wide {patron_ip_stored, statistics_days}. Returns
 * [{key, text}] (`key` names the setting, for the view's data-fact and the tests).
 */
export function deskLines(desk, facts, t) {
  const p = (desk && desk.policy) || {};
  const f = facts || {};
  const lines = [];
  const add = (key, text) => lines.push({ key, text });
  add("retention", t("pv.kept", { days: plural(t, Number(p.retention_days), "pv.day", "pv.days") }));
  if (p.transcripts === "delete") {
    const hours = Number(p.delete_after_hours) || 0;
    add("transcripts", hours > 0 ? t("pv.transcriptDeleted", { hours: plural(t, hours, "pv.hour", "pv.hours") })
      : t("pv.transcriptDeletedSoon"));
  } else {
    add("transcripts", t("pv.transcriptKept"));
  }
  add("identity", t(p.strip_identity === true ? "pv.identityStripped" : "pv.identityKept"));
  add("typing", t(p.typing_preview === false ? "pv.typingOff" : "pv.typingOn"));
  add("supervisors", t(p.observer_notice === false ? "pv.supervisorsSilent" : "pv.supervisorsTold"));
  add("ip", t(f.patron_ip_stored === true ? "pv.ipStored" : "pv.ipNotStored"));
  if (Number.isInteger(f.statistics_days)) {
    add("statistics", t("pv.statistics", { days: plural(t, f.statistics_days, "pv.day", "pv.days") }));
  }
  add("who", t("pv.whoSees", { desk: deskName(desk, t) }));
  add("delete", t("pv.deleteNow"));
  return lines;
}

/** "Law Library (State University)", or the name alone when it has no library (or says it). */
export function deskName(desk, t) {
  const d = desk || {};
  const name = d.name || d.id || "";
  return d.library && !name.includes(d.library) ? t("pv.deskLibrary", { name, library: d.library }) : name;
}

/** The page as the view shows it: {title, intro, empty?, desks: [{id, heading, lines}]}. */
export function pageModel(answer, t) {
  const a = answer || {};
  const facts = { patron_ip_stored: a.patron_ip_stored, statistics_days: a.statistics_days };
  const desks = Array.isArray(a.desks) ? a.desks : [];
  return {
    title: a.library ? t("pv.titleLibrary", { library: a.library }) : t("pv.title"),
    intro: t("pv.intro"),
    empty: desks.length ? null : t("pv.noDesks"),
    desks: desks.map((d) => ({
      id: d.id, heading: a.library ? (d.name || d.id) : deskName(d, t), lines: deskLines(d, facts, t),
    })),
  };
}

/** What went wrong, in the patron's words: an unknown library, no network, anything else. */
export function errorText(err, library, t) {
  if (err && err.status === 404) return t("pv.notFound", { library: library || "" });
  if (err && err.status === 0) return t("pv.network");
  return t("pv.failed", { message: (err && err.message) || "" });
}

export class PrivacyView {
  /**
   * @param {HTMLElement} root
   * @param {Function} t  translator (i18n.js's makeT over PRIVACY_STRINGS)
   */
  constructor(root, t) {
    this.doc = root.ownerDocument;
    this.t = t;
    this.doc.documentElement.lang = t.lang;
    this.doc.title = t("pv.title");
    this.title = h("h1", { class: "lc-tk-title", id: "lc-pv-title", text: t("pv.title") });
    this.alert = h("div", { class: "lc-pv-alert", role: "alert" });
    this.body = h("div", { class: "lc-pv-body" });
    this.main = h("main", { class: "lc-tk-main lc-pv-main", "aria-labelledby": "lc-pv-title" },
      this.title, this.alert, this.body);
    root.replaceChildren(
      h("header", { class: "lc-tk-header" }, h("p", { class: "lc-tk-brand", text: t("pv.brand") })),
      this.main);
  }

  showLoading() {
    this.main.dataset.state = "loading";
    this.body.replaceChildren(h("p", { class: "lc-tk-loading", role: "status" },
      h("span", { class: "lc-spinner", "aria-hidden": "true" }), h("span", { text: this.t("pv.loading") })));
  }

  /** The page from pageModel(). */
  showPage(model) {
    this.main.dataset.state = "page";
    this.title.textContent = model.title;
    this.doc.title = model.title;
    this.alert.replaceChildren();
    const sections = model.desks.map((desk) => {
      const id = `lc-pv-desk-${desk.id}`;
      return h("section", { class: "lc-pv-desk", "data-desk": desk.id, "aria-labelledby": id },
        h("h2", { class: "lc-heading lc-pv-desk-title", id, text: desk.heading }),
        h("ul", { class: "lc-pv-facts" },
          desk.lines.map((line) => h("li", { class: "lc-pv-fact", "data-fact": line.key, text: line.text }))));
    });
    const intro = h("p", { class: "lc-pv-intro", text: model.intro });
    if (model.empty) this.body.replaceChildren(intro, h("p", { class: "lc-pv-empty", text: model.empty }));
    else this.body.replaceChildren(intro, ...sections);
  }

  /** An error as text in the alert region; the page has nothing else to show. */
  showError(text) {
    this.main.dataset.state = "error";
    this.body.replaceChildren();
    this.alert.replaceChildren(h("p", { class: "lc-pv-error", text }));
  }
}
