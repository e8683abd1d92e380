// URL guards shared by the widget and the dashboard: nothing from a settings file, a query
// string or a server answer goes into a request, an href or a src without passing one of these
// (a typo must not become a request, a `javascript:` link must never become clickable).

import { clean } from "./limits.js";

/** An http(s) (or the given schemes') URL without credentials, trailing slashes cut; else undefined. */
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

/** The origin of a page (the one that embeds the widget), only if it is a real http(s) origin. */
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

/** The URL as given if it is an absolute http(s) URL (a presigned link), else null: never into href/src. */
export function httpUrl(value) {
  if (typeof value !== "string") return null;
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return url.protocol === "https:" || url.protocol === "http:" ? value : null;
}
