// The printable list of canned messages (the manual's "Canned Messages document"): the system
// ones, then the librarian's Personal Canned Messages under their own heading. Opened from the
// dashboard's header or the Canned Messages pop-up, in a window that shares the tab's sign-in.
// Reads the stored session and the service's address the way the dashboard does; text via
// textContent.

import { loadConfigFile } from "../js/config.js";
import { el } from "../js/dom.js";
import { Api } from "./api.js";
import { resolveConfig } from "./logic.js";
import { S } from "./strings.js";

function storedSession() {
  try {
    return JSON.parse(sessionStorage.getItem("lcd.session"));
  } catch {
    return null;
  }
}

async function show() {
  document.getElementById("print").addEventListener("click", () => window.print());
  const out = document.getElementById("list");
  const status = document.getElementById("status");
  const session = storedSession();
  const { restUrl } = resolveConfig(await loadConfigFile(window), location);
  if (!session || !session.token) {
    status.textContent = S.print.signIn;
    return;
  }
  const api = new Api(restUrl);
  api.token = session.token;
  let lists;
  try {
    lists = await api.cannedList();
  } catch {
    status.textContent = S.print.loadFailed;
    return;
  }
  const system = lists.system || [];
  const personal = lists.personal || [];
  status.textContent = S.print.count(system.length, personal.length);
  list(out, system);
  list(document.getElementById("personal-list"), personal);
  if (!personal.length) document.getElementById("personal-list").append(el(document, "p", "none", S.print.noPersonal));
  document.getElementById("system").hidden = false;
  document.getElementById("personal").hidden = false;
}

/** One article per canned message: its title (and shortcut) as a heading, its text to copy. */
function list(out, items) {
  for (const c of items) {
    const heading = el(document, "h3", null, c.title);
    if (c.shortcut) heading.append(el(document, "span", "key", `  /${c.shortcut}`));
    const article = el(document, "article");
    article.append(heading, el(document, "p", "text", c.text));
    out.append(article);
  }
}

show();
