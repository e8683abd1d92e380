// Where the service lives, for both front ends: same-origin defaults (what `make run` serves),
// overridden by the `config.json` the AWS deploy writes at the root of the published folder.
// Loading the file and reading its URLs is here once; each front end adds its own settings.

import { safeUrl } from "./urls.js";

export const WS_SCHEMES = ["wss:", "ws:"];

/** REST under `/api` and the WebSocket at `/ws` of the page's own origin. */
export function sameOriginUrls(location) {
  const wsScheme = location.protocol === "https:" ? "wss:" : "ws:";
  return { restUrl: `${location.protocol}//${location.host}/api`, wsUrl: `${wsScheme}//${location.host}/ws` };
}

/** The URLs config.json names (`{"restUrl", "wsUrl"}`), only those that are usable. */
export function urlsFromFile(json) {
  if (!json || typeof json !== "object" || Array.isArray(json)) return {};
  const out = {};
  const restUrl = safeUrl(json.restUrl);
  const wsUrl = safeUrl(json.wsUrl, WS_SCHEMES);
  if (restUrl) out.restUrl = restUrl;
  if (wsUrl) out.wsUrl = wsUrl;
  return out;
}

/**
 * `config.json` next to the front ends' folders (`../config.json` from the page), or null when
 * it is absent or broken: the defaults then apply.
 */
export async function loadConfigFile(win = globalThis) {
  try {
    const response = await win.fetch(new URL("../config.json", win.location.href), { cache: "no-cache", credentials: "omit" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}
