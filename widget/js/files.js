// Files people send (the widget's paperclip, paste and drop; the dashboard's paperclip): the
// type and size rules checked before anything is uploaded, the type to declare, sizes for
// people, the presigned POST's form and the short-lived download links. One copy for both
// front ends, so a file one of them sends the other accepts. No DOM, no fetch.
// The lists mirror chalicelib/domain/files.py; the service checks again (it trusts nothing the
// browser says about a file), so these checks only spare a pointless upload.

import { httpUrl } from "./urls.js";

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export const ALLOWED_TYPES = new Set([
  ...IMAGE_TYPES,
  "application/pdf",
  "text/plain",
  "text/csv",
  "application/rtf", "text/rtf",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
]);

// Some systems report no type for office documents: the extension decides then.
export const BY_EXTENSION = Object.freeze({
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
  pdf: "application/pdf", txt: "text/plain", csv: "text/csv", rtf: "application/rtf",
  doc: "application/msword", xls: "application/vnd.ms-excel", ppt: "application/vnd.ms-powerpoint",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  odp: "application/vnd.oasis.opendocument.presentation",
});

/** The file chooser's `accept`: the allowed types and their extensions. */
export const ACCEPT = [...ALLOWED_TYPES, ...Object.keys(BY_EXTENSION).map((ext) => `.${ext}`)].join(",");

/** `Text/Plain; charset=UTF-8` -> `text/plain`. */
export function normaliseType(raw) {
  return typeof raw === "string" ? raw.split(";", 1)[0].trim().toLowerCase() : "";
}

/** The media type to declare for a file: its own, or (none given) the one its extension implies. */
export function fileType(file) {
  const own = normaliseType(file && file.type);
  if (own) return own;
  const name = file && typeof file.name === "string" ? file.name : "";
  const ext = name.includes(".") ? name.split(".").pop().toLowerCase() : "";
  return BY_EXTENSION[ext] || "";
}

export function isImage(type) {
  return IMAGE_TYPES.has(normaliseType(type));
}

/**
 * Can this file be sent? null when it can, else {code}: "empty", "too_large" (with max_bytes)
 * or "type" (not on the allow-list).
 */
export function checkFile(file, maxBytes = DEFAULT_MAX_BYTES) {
  if (!file || !Number.isFinite(file.size)) return { code: "type" };
  if (!ALLOWED_TYPES.has(fileType(file))) return { code: "type" };
  if (file.size < 1) return { code: "empty" };
  if (file.size > maxBytes) return { code: "too_large", max_bytes: maxBytes };
  return null;
}

/** The limit for people: 10485760 -> "10" (MB, at most one decimal). */
export function megabytes(bytes, lang = "en") {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024));
}

/** A file's size for people: "68 B", "2 KB", "2.4 MB"; "" for no size. */
export function formatBytes(bytes, lang = "en") {
  if (!Number.isFinite(bytes)) return "";
  const n = (value, digits) => new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
  if (bytes < 1024) return `${n(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${n(Math.round(bytes / 1024), 0)} KB`;
  return `${n(bytes / (1024 * 1024), 1)} MB`;
}

/** The name to send: what the file is called, or a made-up one for a nameless pasted image. */
export function fileName(file, type) {
  const name = file && typeof file.name === "string" ? file.name.trim() : "";
  if (name) return name.slice(0, 200);
  const ext = Object.keys(BY_EXTENSION).find((e) => BY_EXTENSION[e] === type) || "bin";
  return `pasted.${ext}`;
}

/**
 * The presigned POST's form: every field the service returned, as is and in its order, then the
 * file last (S3 ignores fields after the file).
 */
export function uploadForm(fields, file, filename, FormDataCtor = globalThis.FormData) {
  const form = new FormDataCtor();
  for (const [name, value] of Object.entries(fields || {})) form.append(name, String(value));
  form.append("file", file, filename);
  return form;
}

/**
 * Short-lived links by file key: reused while they have more than `margin` ms left, asked for
 * again afterwards (or when `fresh` is requested, e.g. an image failed to load).
 */
export class LinkCache {
  constructor(fetchLink, { now = () => Date.now(), margin = 30_000 } = {}) {
    this.fetchLink = fetchLink; // key -> Promise<{url, expires_in}>
    this.now = now;
    this.margin = margin;
    this.links = new Map();
  }

  async get(key, { fresh = false } = {}) {
    const known = this.links.get(key);
    if (!fresh && known && known.until - this.margin > this.now()) return known.url;
    const data = await this.fetchLink(key);
    const url = httpUrl(data && data.url);
    if (!url) throw new Error("no usable link");
    const seconds = Number.isFinite(data.expires_in) && data.expires_in > 0 ? data.expires_in : 60;
    this.links.set(key, { url, until: this.now() + seconds * 1000 });
    return url;
  }

  clear() {
    this.links.clear();
  }
}
