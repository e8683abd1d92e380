// Composition root of the public privacy page (privacy.html, docs/privacy.md "The public
// privacy page"): the REST URL the widget uses (config.js: config.json, else the same
// origin), the language, `?library=NAME` (none: every desk), one GET /api/privacy, and the
// view. The sentences are privacy-view.js's pageModel(), made from the desks' settings.

import { JsonHttp } from "../js/http.js";
import { clean } from "../js/limits.js";
import { loadConfigFile, resolveConfig } from "./config.js";
import { makeT } from "./i18n.js";
import { PRIVACY_STRINGS } from "./i18n-privacy.js";
import { errorText, pageModel, PrivacyView } from "./privacy-view.js";

/** The library the page is about, from the query string (undefined: every desk). */
export function libraryOf(search) {
  return clean(new URLSearchParams(search || "").get("library") ?? undefined, 100);
}

/** The request path for that library. */
export function privacyPath(library) {
  return library ? `/privacy?library=${encodeURIComponent(library)}` : "/privacy";
}

export async function boot(win = window) {
  const doc = win.document;
  const config = resolveConfig({ location: win.location, fileJson: await loadConfigFile(win),
    navigatorLang: win.navigator.languages || win.navigator.language });
  const t = makeT(config.lang, PRIVACY_STRINGS);
  const view = new PrivacyView(doc.getElementById("lc-privacy-root"), t);
  const library = libraryOf(win.location.search);
  const http = new JsonHttp(config.restUrl, win.fetch.bind(win));
  view.showLoading();
  try {
    view.showPage(pageModel(await http.request("GET", privacyPath(library)), t));
  } catch (err) {
    view.showError(errorText(err, library, t));
  }
  return view;
}

if (typeof window !== "undefined" && window.document && window.document.getElementById("lc-privacy-root")) {
  boot(window);
}
