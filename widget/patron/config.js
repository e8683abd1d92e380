// The widget's settings, merged once in the composition root. Precedence, lowest first:
//   1. same-origin defaults (`{origin}/api`, `ws(s)://{host}/ws`): what `make run` serves;
//   2. `config.json` at the root of the published folder (written by the AWS deploy);
//   3. the embedding page's script attributes, passed to this frame in its query string.
// `abandonAfter` (config.json "abandonAfterSeconds", ?abandon=) mirrors the service's
// ABANDON_AFTER_SECONDS for the warning before a waiting chat is given up (stay.js).
// Pure functions only (no DOM, no fetch), so Node's test runner covers them. The URL guards,
// the defaults and config.json's URLs are shared with the dashboard (../js/).

import { WS_SCHEMES, loadConfigFile, sameOriginUrls, urlsFromFile } from "../js/config.js";
import { clean } from "../js/limits.js";
import { safeOrigin, safeUrl } from "../js/urls.js";

export { loadConfigFile, safeOrigin, safeUrl };

export const MODES = ["floating", "inline", "page"];
export const PLACEMENTS = ["bottom-right", "bottom-left"];

// Query parameter -> setting. The embed script writes these names (widget/embed.js).
const PARAMS = {
  queue: "queue", lang: "lang", mode: "mode", origin: "parentOrigin", rest: "restUrl",
  ws: "wsUrl", email: "offlineEmail", phone: "offlinePhone", help: "offlineUrl",
  message: "offlineMessage", placement: "placement", abandon: "abandonAfter",
};

export function defaultsFor(location) {
  return {
    ...sameOriginUrls(location),
    queue: undefined, // the service's default queue
    lang: undefined,
    mode: "page", // opened directly, not inside the embed's iframe
    placement: "bottom-right",
    parentOrigin: undefined,
    offlineEmail: undefined,
    offlinePhone: undefined,
    offlineUrl: undefined,
    offlineMessage: undefined,
  };
}

/** Settings from config.json (`{"restUrl", "wsUrl", "offline": {"email","phone","url","message"}}`). */
export function fromFile(json) {
  if (!json || typeof json !== "object" || Array.isArray(json)) return {};
  const offline = json.offline && typeof json.offline === "object" ? json.offline : {};
  return pick({
    ...urlsFromFile(json),
    offlineEmail: clean(offline.email, 200),
    offlinePhone: clean(offline.phone, 60),
    offlineUrl: safeUrl(offline.url),
    offlineMessage: clean(offline.message, 500),
    abandonAfter: seconds(json.abandonAfterSeconds === undefined ? undefined : String(json.abandonAfterSeconds)),
  });
}

/** Settings from this frame's query string (the embed script's attributes). */
export function fromQuery(search) {
  const params = new URLSearchParams(search || "");
  const raw = {};
  for (const [param, key] of Object.entries(PARAMS)) {
    if (params.has(param)) raw[key] = params.get(param);
  }
  const mode = clean(raw.mode);
  const placement = clean(raw.placement);
  const queue = clean(raw.queue, 128);
  return pick({
    queue: queue && /^[\w.-]+$/.test(queue) ? queue : undefined,
    lang: clean(raw.lang, 20),
    mode: MODES.includes(mode) ? mode : undefined,
    placement: PLACEMENTS.includes(placement) ? placement : undefined,
    parentOrigin: safeOrigin(raw.parentOrigin),
    restUrl: safeUrl(raw.restUrl),
    wsUrl: safeUrl(raw.wsUrl, WS_SCHEMES),
    offlineEmail: clean(raw.offlineEmail, 200),
    offlinePhone: clean(raw.offlinePhone, 60),
    offlineUrl: safeUrl(raw.offlineUrl),
    offlineMessage: clean(raw.offlineMessage, 500),
    abandonAfter: seconds(raw.abandonAfter),
  });
}

/** The service's ABANDON_AFTER_SECONDS as a library set it ("120"), else undefined (stay.js's default). */
function seconds(value) {
  const text = clean(value, 6);
  return text && /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : undefined;
}

function pick(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/**
 * The merged settings. `navigatorLang` is the last resort for the language. A frame with no
 * parent origin cannot talk to its host page, so it behaves as a standalone page.
 */
export function resolveConfig({ location, search, fileJson, navigatorLang }) {
  const merged = { ...defaultsFor(location), ...fromFile(fileJson), ...fromQuery(search ?? location.search) };
  if (!merged.lang) merged.lang = navigatorLang || "en";
  if (merged.mode !== "page" && !merged.parentOrigin) merged.mode = "page";
  merged.explicitWsUrl = Boolean(fromQuery(search ?? location.search).wsUrl);
  return merged;
}

/** Where the conversation's WebSocket lives: the embed attribute, else the chat's own ws_url. */
export function chatWsUrl(config, chatWs) {
  if (config.explicitWsUrl) return config.wsUrl;
  return safeUrl(chatWs, WS_SCHEMES) || config.wsUrl;
}
