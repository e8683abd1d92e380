// Composition root of the patron's ticket page (ticket.html, docs/tickets.md): the settings the
// widget uses (config.js: the REST URL of config.json or the same origin, the library's
// e-mail, phone and help page), the language, the link from the fragment
// (`#t=<ticket_id>&k=<link token>`), the REST api, the view and the controller. Decisions live
// in ticket-controller.js; the DOM in ticket-view.js.

import { loadConfigFile, resolveConfig } from "./config.js";
import { makeT } from "./i18n.js";
import { PatronApi } from "./api.js";
import { TicketView } from "./ticket-view.js";
import { TicketController, parseLink } from "./ticket-controller.js";

export async function boot(win = window) {
  const doc = win.document;
  const config = resolveConfig({ location: win.location, fileJson: await loadConfigFile(win),
    navigatorLang: win.navigator.languages || win.navigator.language });
  const t = makeT(config.lang);
  const view = new TicketView(doc.getElementById("lc-ticket-root"), t,
    { contact: { email: config.offlineEmail, phone: config.offlinePhone, url: config.offlineUrl } });
  const page = new TicketController({ api: new PatronApi(config.restUrl), view, t, link: parseLink(win.location.hash) });
  win.addEventListener("hashchange", () => page.setLink(parseLink(win.location.hash)));
  await page.start();
  return page;
}

if (typeof window !== "undefined" && window.document && window.document.getElementById("lc-ticket-root")) {
  boot(window);
}
