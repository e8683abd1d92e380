// The widget's settings, merged once in the composition root. Precedence, lowest first:
//   1. same-origin defaults (`{origin}/api`, `ws(s)://{host}/ws`): what `make run` serves;
//   2. `config.json` at the root of the published folder (written by the AWS deploy);
//   3. the embedding page's script attributes, passed to this frame in its query string.
// Pure functions only (no DOM, no fetch), so Node's test runner covers them.

export const MODES = ["floating", "inline", "page"];
export const PLACEMENTS = ["bottom-right", "bottom-left"];

// Query parameter -> setting. The embed script writes these names (widget/embed.js).
const PARAMS = {
  queue: "queue", lang: "lang", mode: "mode", origin: "parentOrigin", rest: "restUrl",
  ws: "wsUrl", email: "offlineEmail", phone: "offlinePhone", help: "offlineUrl",
  message: "offlineMessage", placement: "placement",
};

function clean(value, max = 500) {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
}

/** An http(s) or ws(s) URL without credentials, else undefined (a typo must not become a request). */
export function safeUrl(value, schemes = ["https:", "http:"]) {
  const text = clean(value, 2000);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    if (!schemes.includes(url.protocol) || url.username || url.password) return undefined;
    return url.href.replace(/\/+$/, "");
  } catch {
    return undefined;
  }
}

/** The origin of the page that embeds us, only if it is a real http(s) origin. */
export function safeOrigin(value) {
  const text = clean(value, 300);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    if (!["https:", "http:"].includes(url.protocol)) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export function defaultsFor(location) {
  const wsScheme = location.protocol === "https:" ? "wss:" : "ws:";
  return {
    restUrl: `${location.origin}/api`,
    wsUrl: `${wsScheme}//${location.host}/ws`,
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
    restUrl: safeUrl(json.restUrl),
    wsUrl: safeUrl(json.wsUrl, ["wss:", "ws:"]),
    offlineEmail: clean(offline.email, 200),
    offlinePhone: clean(offline.phone, 60),
    offlineUrl: safeUrl(offline.url),
    offlineMessage: clean(offline.message, 500),
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
    wsUrl: safeUrl(raw.wsUrl, ["wss:", "ws:"]),
    offlineEmail: clean(raw.offlineEmail, 200),
    offlinePhone: clean(raw.offlinePhone, 60),
    offlineUrl: safeUrl(raw.offlineUrl),
    offlineMessage: clean(raw.offlineMessage, 500),
  });
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
  return safeUrl(chatWs, ["wss:", "ws:"]) || config.wsUrl;
}
