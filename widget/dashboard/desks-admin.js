// Pure rules of the admins' Desks tab (docs/desks.md "Queue"): a desk as the form holds it and
// back, the weekly hours typed as "09:00-12:00, 13:00-17:00", closed dates, rollover, the
// local-information card, and the short summaries the desk list shows. No DOM, no network; the
// view (view-desks-tab.js, view-desks-form.js) renders and the service has the last word (a
// rollover loop is refused there, and its message shown). Unit-tested in
// widget/tests/dashboard-desks-admin.test.mjs; the privacy settings (docs/privacy.md) in
// widget/tests/dashboard-desks-privacy.test.mjs.

import { S } from "./strings.js";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const DESK_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const MAX_SPANS_PER_DAY = 6;
export const MAX_CARD = 4000;
export const MAX_NAME = 100;
export const ROLLOVER_MIN = 10;
export const ROLLOVER_MAX = 86400;
export const DEFAULT_ROLLOVER_SECONDS = 60;
// docs/privacy.md "Settings per desk" (chalicelib/domain/privacy.py has the same bounds)
export const RETENTION_MIN = 1;
export const RETENTION_MAX = 3650;
export const DELETE_AFTER_MAX = 720;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "HH:MM" as minutes since midnight (24:00 = 1440). */
export function minutes(hhmm) {
  const [h, m] = String(hhmm).split(":").map(Number);
  return h * 60 + m;
}

/** A real calendar date as YYYY-MM-DD (2026-02-30 is not one). */
export function isDate(text) {
  if (typeof text !== "string" || !DATE.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

// One time as typed: "9", "09", "9:30", "0930", "24:00". Null when it is not a time of day.
function clock(hours, mins) {
  const h = Number(hours);
  const m = mins === undefined || mins === "" ? 0 : Number(mins);
  if (!Number.isInteger(h) || !Number.isInteger(m) || m > 59 || h > 24 || (h === 24 && m !== 0)) return null;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

const SPAN = /^(\d{1,2})(?::?(\d{2}))?\s*(?:-|–|—|to)\s*(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * One day's opening times as typed: ranges separated by commas or semicolons, each like
 * "09:00-12:00" ("9-12", "9:30 to 17:00" too). Empty: closed that day. Returns
 * `{spans: [["09:00", "12:00"], ...]}` in time order, or `{error}` in the admin's words.
 */
export function parseSpans(text) {
  const pieces = String(text ?? "").split(/[,;]/).map((p) => p.trim()).filter(Boolean);
  if (pieces.length > MAX_SPANS_PER_DAY) return { error: S.desks.err.tooManySpans(MAX_SPANS_PER_DAY) };
  const spans = [];
  for (const piece of pieces) {
    const m = SPAN.exec(piece);
    const open = m && clock(m[1], m[2]);
    const close = m && clock(m[3], m[4]);
    if (!open || !close) return { error: S.desks.err.badSpan(piece) };
    if (minutes(open) >= minutes(close)) return { error: S.desks.err.openBeforeClose(`${open}-${close}`) };
    spans.push([open, close]);
  }
  spans.sort((a, b) => minutes(a[0]) - minutes(b[0]));
  for (let i = 1; i < spans.length; i += 1) {
    if (minutes(spans[i][0]) < minutes(spans[i - 1][1])) {
      return { error: S.desks.err.overlap(spans[i - 1].join("-"), spans[i].join("-")) };
    }
  }
  return { spans };
}

/** One day's spans as the form shows them: "09:00-12:00, 13:00-17:00" ("" when closed). */
export function formatSpans(spans, sep = "-") {
  return (Array.isArray(spans) ? spans : []).map(([a, b]) => `${a}${sep}${b}`).join(", ");
}

/**
 * The desk list's one-line hours: "Always open", or consecutive days with the same times
 * grouped: "Mon–Fri 09:00–17:00 · Sat 10:00–14:00 · Sun closed".
 */
export function hoursSummary(hours) {
  if (hours === null || hours === undefined) return S.desks.alwaysOpen;
  const text = (day) => formatSpans(hours[day], "–");
  if (WEEKDAYS.every((d) => !text(d))) return S.desks.closedAllWeek;
  const groups = [];
  for (const day of WEEKDAYS) {
    const last = groups[groups.length - 1];
    if (last && last.text === text(day)) last.to = day;
    else groups.push({ from: day, to: day, text: text(day) });
  }
  return groups.map((g) => {
    const days = g.from === g.to ? S.desks.short[g.from] : `${S.desks.short[g.from]}–${S.desks.short[g.to]}`;
    return `${days} ${g.text || S.desks.closedDay}`;
  }).join(" · ");
}

/** "45 s", "1 min", "1 min 30 s", "2 h": how long a rollover waits, for the list. */
export function formatSeconds(total) {
  const s = Math.max(0, Math.round(Number(total) || 0));
  if (s < 60) return S.desks.seconds(s);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return [h ? S.desks.hoursShort(h) : "", m ? S.desks.minutesShort(m) : "", r ? S.desks.seconds(r) : ""]
    .filter(Boolean).join(" ");
}

/** The list's rollover column: "After 1 min to Co-op desk", or "None". */
export function rolloverSummary(rollover, names = {}) {
  if (!rollover || !rollover.to) return S.desks.noRollover;
  return S.desks.rolloverSummary(formatSeconds(rollover.after_seconds), names[rollover.to] || rollover.to);
}

/** The list's card column: whether there is one and when it was last reviewed. */
export function cardSummary(card) {
  if (!card || !card.text) return S.desks.noCard;
  return card.reviewed_on ? S.desks.cardReviewed(card.reviewed_on) : S.desks.cardNotReviewed;
}

/** The time zones to suggest (the browser's list, UTC included); [] when it has none. */
export function timeZones(intl = globalThis.Intl) {
  let zones = [];
  try {
    if (intl && typeof intl.supportedValuesOf === "function") zones = [...intl.supportedValuesOf("timeZone")];
  } catch {
    zones = [];
  }
  if (zones.length && !zones.includes("UTC")) zones.push("UTC");
  return zones.sort();
}

/**
 * Is this a time zone the browser knows? Returns the name to send (a case-only typo such as
 * "america/new_york" corrected to the browser's spelling), or null. Without Intl every
 * non-empty name passes and the service decides.
 */
export function checkZone(name, intl = globalThis.Intl) {
  const tz = String(name ?? "").trim();
  if (!tz) return null;
  if (!intl || typeof intl.DateTimeFormat !== "function") return tz;
  try {
    const resolved = new intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
    return resolved && resolved.toLowerCase() === tz.toLowerCase() ? resolved : tz;
  } catch {
    return null;
  }
}

/** A desk id from its name, for a new desk: "Law Library" -> "law-library". */
export function suggestId(name) {
  return String(name ?? "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "").slice(0, 32).replace(/-+$/, "");
}

/** Closed dates after adding one: sorted, each once. */
export function addDate(dates, date) {
  return [...new Set([...(dates || []), date])].filter(isDate).sort();
}

export function removeDate(dates, date) {
  return (dates || []).filter((d) => d !== date);
}

/** Which desks a desk may roll over to: every other desk (the service refuses loops). */
export function rolloverTargets(queues, selfId) {
  return (queues || []).filter((q) => q && q.id && q.id !== selfId);
}

/** What the form shows for a desk (a new one when `queue` is null). */
export function deskToForm(queue, { timezone = "UTC" } = {}) {
  const q = queue || {};
  const hours = queue ? q.hours : null;
  const days = {};
  for (const d of WEEKDAYS) days[d] = hours ? formatSpans(hours[d]) : "";
  if (!queue) for (const d of WEEKDAYS.slice(0, 5)) days[d] = "09:00-17:00"; // a start to edit
  return {
    id: q.id || "",
    name: q.name || "",
    library: q.library || "",
    timezone: q.timezone || timezone,
    alwaysOpen: queue ? hours === null || hours === undefined : true,
    days,
    closedDates: Array.isArray(q.closed_dates) ? [...q.closed_dates].sort() : [],
    rolloverTo: (q.rollover && q.rollover.to) || "",
    rolloverAfter: q.rollover && Number.isInteger(q.rollover.after_seconds)
      ? String(q.rollover.after_seconds) : String(DEFAULT_ROLLOVER_SECONDS),
    cardText: (q.card && q.card.text) || "",
    cardReviewed: (q.card && q.card.reviewed_on) || "",
    enabled: queue ? q.enabled !== false : true,
  };
}

/**
 * The form's values as the body of POST /api/queues (`creating`) or PUT /api/queues/{id}:
 * every field given, so one request replaces the desk as a whole (nothing half-saved).
 * Returns `{body}` or `{errors: [{field, text}]}` (field: the form control to point at).
 */
export function formToBody(form, { creating, intl = globalThis.Intl } = {}) {
  const errors = [];
  const fail = (field, text) => errors.push({ field, text });
  const body = {};
  const name = String(form.name ?? "").trim(); // the form's order: name, then id
  if (!name) fail("name", S.desks.err.needName);
  else if (name.length > MAX_NAME) fail("name", S.desks.err.nameTooLong(MAX_NAME));
  if (creating) {
    const id = String(form.id ?? "").trim();
    if (!id) fail("id", S.desks.err.needId);
    else if (!DESK_ID.test(id)) fail("id", S.desks.err.badId);
    body.id = id;
  }
  body.name = name;
  const library = String(form.library ?? "").trim();
  if (library.length > MAX_NAME) fail("library", S.desks.err.libraryTooLong(MAX_NAME));
  if (library || !creating) body.library = library || null;
  const zone = checkZone(form.timezone, intl);
  if (!zone) fail("timezone", S.desks.err.badZone);
  body.timezone = zone || String(form.timezone ?? "").trim();
  if (form.alwaysOpen) {
    body.hours = null;
  } else {
    body.hours = {};
    for (const day of WEEKDAYS) {
      const parsed = parseSpans(form.days && form.days[day]);
      if (parsed.error) fail(`day-${day}`, S.desks.err.day(S.desks.days[day], parsed.error));
      else body.hours[day] = parsed.spans;
    }
  }
  const dates = Array.isArray(form.closedDates) ? form.closedDates : [];
  const badDate = dates.find((d) => !isDate(d));
  if (badDate !== undefined) fail("closed-date", S.desks.err.badDate(badDate));
  body.closed_dates = [...new Set(dates)].sort();
  const to = String(form.rolloverTo ?? "").trim();
  if (!to) {
    body.rollover = null;
  } else {
    const raw = String(form.rolloverAfter ?? "").trim();
    const after = Number(raw);
    if (!raw || !Number.isInteger(after) || after < ROLLOVER_MIN || after > ROLLOVER_MAX) {
      fail("rollover-after", S.desks.err.badSeconds(ROLLOVER_MIN, ROLLOVER_MAX));
    }
    if (creating && to === body.id) fail("rollover-to", S.desks.err.selfRollover);
    body.rollover = { to, after_seconds: after };
  }
  const text = String(form.cardText ?? "").trim();
  const reviewed = String(form.cardReviewed ?? "").trim();
  if (text.length > MAX_CARD) fail("card-text", S.desks.err.cardTooLong(MAX_CARD));
  if (reviewed && !isDate(reviewed)) fail("card-reviewed", S.desks.err.badReviewed);
  if (reviewed && !text) fail("card-text", S.desks.err.cardNeedsText);
  body.card = text ? { text, reviewed_on: reviewed || null } : null;
  if (!creating || form.enabled === false) body.enabled = form.enabled !== false;
  if (form.privacy !== undefined) { // a form without the fieldset leaves the stored settings alone
    const made = formToPrivacy(form.privacy);
    if (made.errors) errors.push(...made.errors);
    else if (!creating || Object.keys(made.privacy).length) body.privacy = made.privacy;
  }
  return errors.length ? { errors } : { body };
}

/**
 * A desk's stored `privacy` as the form's Privacy fieldset shows it: numbers as typed ("" for
 * the service's default), transcripts "keep" | "delete", typing preview "" (the service's
 * default) | "on" | "off".
 */
export function privacyToForm(privacy) {
  const p = privacy && typeof privacy === "object" ? privacy : {};
  const whole = (n) => (Number.isInteger(n) ? String(n) : "");
  return {
    retentionDays: whole(p.retention_days),
    transcripts: p.transcripts === "delete" ? "delete" : "keep",
    deleteAfterHours: whole(p.delete_after_hours),
    stripIdentity: p.strip_identity === true,
    typingPreview: p.typing_preview === true ? "on" : p.typing_preview === false ? "off" : "",
    observerNotice: p.observer_notice !== false, // docs/supervision.md: on unless turned off
  };
}

// A whole number typed in a box: "" -> undefined (not set), else the number or NaN.
function wholeNumber(text) {
  const raw = String(text ?? "").trim();
  if (!raw) return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : NaN;
}

/**
 * The Privacy fieldset's values as the desk's `privacy` (PUT /api/queues/{id}): only the
 * settings the admin set, so `{}` is "every default". Keeping transcripts and not stripping
 * identity are the defaults, so they are left out; the hours after close only go with
 * "delete". Returns `{privacy}` or `{errors: [{field, text}]}`.
 */
export function formToPrivacy(form) {
  const f = form || {};
  const errors = [];
  const privacy = {};
  const days = wholeNumber(f.retentionDays);
  if (days !== undefined) {
    if (!Number.isInteger(days) || days < RETENTION_MIN || days > RETENTION_MAX) {
      errors.push({ field: "privacy-retention", text: S.desks.err.badRetention(RETENTION_MIN, RETENTION_MAX) });
    } else privacy.retention_days = days;
  }
  if (f.transcripts === "delete") {
    privacy.transcripts = "delete";
    const hours = wholeNumber(f.deleteAfterHours);
    if (hours !== undefined) {
      if (!Number.isInteger(hours) || hours > DELETE_AFTER_MAX) {
        errors.push({ field: "privacy-hours", text: S.desks.err.badDeleteAfter(DELETE_AFTER_MAX) });
      } else privacy.delete_after_hours = hours;
    }
  }
  if (f.stripIdentity === true) privacy.strip_identity = true;
  if (f.typingPreview === "on") privacy.typing_preview = true;
  else if (f.typingPreview === "off") privacy.typing_preview = false;
  if (f.observerNotice === false) privacy.observer_notice = false;
  return errors.length ? { errors } : { privacy };
}

/** id -> name of every desk. */
export function deskNames(queues) {
  const out = {};
  for (const q of queues || []) if (q && q.id) out[q.id] = q.name || q.id;
  return out;
}

/**
 * Which form control a service refusal is about (its message names the field), so the form
 * can mark it: "this rollover would make a loop: a -> b -> a" is about the rollover target.
 */
export function fieldOfMessage(message) {
  const m = String(message || "").toLowerCase();
  if (/privacy\.delete_after_hours/.test(m)) return "privacy-hours";
  if (/privacy\.transcripts/.test(m)) return "privacy-transcripts";
  if (/privacy\.strip_identity/.test(m)) return "privacy-strip";
  if (/privacy\.typing_preview/.test(m)) return "privacy-typing";
  if (/privacy/.test(m)) return "privacy-retention";
  if (/rollover\.after_seconds|after_seconds/.test(m)) return "rollover-after";
  if (/rollover|roll over|loop/.test(m)) return "rollover-to";
  if (/timezone|time zone/.test(m)) return "timezone";
  if (/hours\.(mon|tue|wed|thu|fri|sat|sun)/.test(m)) return `day-${/hours\.(\w{3})/.exec(m)[1]}`;
  if (/closed_dates/.test(m)) return "closed-date";
  if (/reviewed_on/.test(m)) return "card-reviewed";
  if (/card/.test(m)) return "card-text";
  if (/already a desk|'id'/.test(m)) return "id";
  if (/'library'/.test(m)) return "library";
  if (/'name'/.test(m)) return "name";
  return null;
}
