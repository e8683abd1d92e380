// Pure rules of the operator dashboard: no DOM, no network, no clock of its own. The words
// they pick come from strings.js; file, URL and text limits are the shared ones in ../js/.
// Everything here is unit-tested in widget/tests/dashboard.test.mjs.

import { sameOriginUrls, urlsFromFile } from "../js/config.js";
import { checkFile, DEFAULT_MAX_BYTES, megabytes } from "../js/files.js";
import { MAX_TEXT } from "../js/limits.js";
import { APP_NAME, S, WARN_AT_ACTIVE } from "./strings.js";

export { APP_NAME, WARN_AT_ACTIVE };

/**
 * Where REST and WebSocket live. On AWS a generated `config.json` names them; locally (or when
 * the file is absent, broken or names unusable URLs) they are on the page's own origin.
 */
export function resolveConfig(config, location) {
  return { ...sameOriginUrls(location), ...urlsFromFile(config) };
}

/** "45 s", "2 min", "1 h 05 min": short enough for a list row, updated every few seconds. */
export function formatWait(ms) {
  const s = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  if (s < 60) return S.wait.seconds(s);
  const m = Math.floor(s / 60);
  if (m < 60) return S.wait.minutes(m);
  return S.wait.hours(Math.floor(m / 60), m % 60);
}

/** How urgent a wait looks: "normal", "long" (5 min) or "urgent" (10 min). */
export function waitLevel(ms) {
  if (ms >= 10 * 60000) return "urgent";
  if (ms >= 5 * 60000) return "long";
  return "normal";
}

/** Milliseconds since an ISO time, never negative (a browser clock a little behind the server). */
export function elapsed(iso, now) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : Math.max(0, now - t);
}

/** The browser tab's title: waiting chats first, so they show in a crowded tab strip. */
export function tabTitle(waiting, signedIn = true) {
  return signedIn ? S.title.chats(waiting) : S.title.signIn;
}

/** Before a claim: warn from the 4th concurrent active chat on (whatever max_chats says). */
export function claimNeedsWarning(activeCount) {
  return activeCount >= WARN_AT_ACTIVE;
}

export function warningText(activeCount, maxChats) {
  const base = S.claim.warning(activeCount);
  return Number.isInteger(maxChats) && activeCount >= maxChats ? base + S.claim.atLimit(maxChats) : base;
}

/**
 * What Claim Chat asks first, given the active chats and my hard limit (max_chats, or my own
 * lower chat_limit): "limit" when the manual's warning would show but the service can only
 * refuse (so only an explanation, no "Claim anyway"); "warn" from the 4th chat on below the
 * limit (the librarian may go on); null: claim straight away (below 3, at the limit or not,
 * the service answers and a refusal says why).
 */
export function claimAdvice(activeCount, limit) {
  if (!claimNeedsWarning(activeCount)) return null;
  return Number.isInteger(limit) && limit > 0 && activeCount >= limit ? "limit" : "warn";
}

export function capacityText(maxChats) {
  return S.claim.capacity(Number.isInteger(maxChats) && maxChats > 0 ? maxChats : null);
}

export const CONFLICT_TEXT = S.claim.conflict;

/** Plain words for a server `error` frame, by code and what the librarian was doing. */
export function errorText(error, context = {}) {
  const code = error && error.code;
  switch (code) {
    case "conflict":
      return context.action === "claim" ? CONFLICT_TEXT : S.errors.conflict;
    case "capacity":
      return capacityText(context.maxChats);
    case "invalid_state":
      if (context.action === "send") return S.errors.endedNotSent;
      if (context.action === "claim") return S.errors.noLongerWaiting;
      return S.errors.changed;
    case "too_large":
      return S.errors.tooLong;
    case "not_found":
      return S.errors.notFound;
    case "rate_limited":
      return S.errors.rateLimited;
    case "forbidden":
      return S.errors.forbidden;
    case "unauthorized":
      return S.signIn.expired;
    default:
      return (error && typeof error.message === "string" && error.message) || S.errors.generic;
  }
}

export function signInErrorText(status, code) {
  if (status === 401 || code === "unauthorized") return S.signIn.mismatch;
  if (status === 403 || code === "forbidden") return S.signIn.notOperator;
  if (status === 429 || code === "rate_limited") return S.signIn.tooMany;
  if (status === 400) return S.signIn.missing;
  if (!status) return S.signIn.unreachable;
  return S.signIn.serverProblem;
}

export function patronName(chat) {
  const name = chat && typeof chat.patron_name === "string" ? chat.patron_name.trim() : "";
  return name || S.patron;
}

/** One line of at most `max` characters, whitespace collapsed, an ellipsis when cut. */
export function snippet(text, max = 60) {
  const flat = String(text ?? "").replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/**
 * The notice above the text box while the patron types: who, then (muted) the end of what they
 * are typing, which is the new part. `lead` alone is what screen readers hear.
 */
export function typingText(name, preview, max = 80) {
  const who = name || S.patron;
  const flat = String(preview ?? "").replace(/\s+/g, " ").trim();
  if (!flat) return { lead: S.typing.lead(who), preview: "" };
  const shown = flat.length <= max ? flat : `…${flat.slice(flat.length - (max - 1))}`;
  return { lead: S.typing.leadWithPreview(who), preview: S.typing.preview(shown) };
}

/**
 * The patron status button: colour plus words (never colour alone).
 * Red when the patron ended the chat (the manual's "status button will turn red").
 */
export function presenceView(status, presence, endedBy, leftAt) {
  if (status === "ended" || status === "closed") {
    return endedBy === "patron" ? { key: "left", label: S.presence.left } : { key: "ended", label: S.presence.ended };
  }
  // offline: the patron's page has no connection (closed, or gone for longer than a blip):
  // red like the manual's "patron left", with the time, never a hopeful "Reconnecting"
  if (presence === "offline") return { key: "offline", label: S.presence.offline(formatClock(leftAt)) };
  const key = { online: "online", away: "away" }[presence] || "unknown";
  return { key, label: S.presence[key] }; // unknown: not told yet (see the report on chat.claimed)
}

/**
 * A chat.presence frame applied to a Chat: the new `patron_presence` and, once offline, when
 * the patron left (the service's `patron_left_at`, kept from before, or now).
 */
export function presenceChange(chat, frame, now) {
  if (frame.patron !== "offline") return { patron_presence: frame.patron, patron_left_at: undefined };
  const known = frame.patron_left_at || (chat.patron_presence === "offline" && chat.patron_left_at);
  return { patron_presence: "offline", patron_left_at: known || new Date(now).toISOString() };
}

/**
 * The patron of a waiting chat, as the Waiting chats list shows it: null when not told, or
 * offline without a `patron_left_at` (a chat just queued, whose patron's page is still
 * connecting: it never left), else {key, label} like a pane's status.
 */
export function waitingPresence(presence, leftAt) {
  if (presence !== "online" && presence !== "away" && presence !== "offline") return null;
  if (presence === "offline" && !leftAt) return null;
  return presenceView("queued", presence, null, leftAt);
}

export function endedText(endedBy, name) {
  if (endedBy === "patron") return S.ended.byPatron(name);
  if (endedBy === "operator") return S.ended.byOperator;
  if (endedBy === "system") return S.ended.bySystem;
  return S.ended.other;
}

/** Unread = messages from others (patron, system) newer than what the librarian has seen. */
export function unreadCount(otherSeqs, readSeq) {
  let n = 0;
  for (const seq of otherSeqs) if (seq > readSeq) n += 1;
  return n;
}

/** Is this message the signed-in librarian's own? */
export function isOwn(message, operatorId) {
  const s = message && message.sender;
  return Boolean(s && s.role === "operator" && (!s.id || s.id === operatorId));
}

/** "14:05" in the librarian's locale; "" for a time that does not parse. */
export function formatClock(iso, locale) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  return new Date(t).toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit" });
}

/** Enter sends; Shift+Enter (and Enter while an input method composes) adds a line. */
export function isSendKey(e) {
  return e.key === "Enter" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing;
}

/** A stored sign-in that may still be used: has a token, and has not expired. */
export function usableSession(session, now) {
  if (!session || typeof session.token !== "string" || !session.token) return { ok: false, reason: "none" };
  if (!session.operator || typeof session.operator.id !== "string") return { ok: false, reason: "none" };
  const exp = Date.parse(session.expires_at);
  if (!Number.isNaN(exp) && exp <= now) return { ok: false, reason: "expired" };
  return { ok: true };
}

/**
 * When to renew the sign-in: Cognito access tokens last an hour, a shift does not. Five minutes
 * before expiry (never sooner than 10 s from now, so a clock skew cannot make it spin).
 */
export function refreshDelay(expiresAt, now) {
  const exp = Date.parse(expiresAt);
  if (Number.isNaN(exp)) return 10 * 60 * 1000;
  return Math.max(10 * 1000, exp - now - 5 * 60 * 1000);
}

let requestCounter = 0;
export function newRequestId(prefix = "r") {
  requestCounter += 1;
  return `${prefix}${Date.now().toString(36)}${requestCounter.toString(36)}`;
}

// ------------------------------------------------------------ canned messages

/** Lowercase, accents folded, whitespace collapsed: what canned search compares. */
export function foldText(text) {
  return String(text ?? "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * Canned messages matching a search (every word in the title, text or shortcut), grouped as
 * the service lists them: `{system: [...], personal: [...]}`.
 */
export function searchCanned(lists, query) {
  const words = foldText(query).split(" ").filter(Boolean);
  const match = (c) => {
    const hay = foldText(`${c.title} ${c.shortcut || ""} ${c.text}`);
    return words.every((w) => hay.includes(w.replace(/^\//, "")));
  };
  const pick = (list) => (Array.isArray(list) ? list : []).filter(match);
  return { system: pick(lists && lists.system), personal: pick(lists && lists.personal) };
}

/**
 * The `/shortcut` being typed at the caret: the slash starts the text box or follows
 * whitespace, and letters, digits or dashes follow it. Returns {start, end, prefix} or null.
 */
export function shortcutAt(value, caret) {
  const text = String(value ?? "");
  const pos = Number.isInteger(caret) ? caret : text.length;
  const m = /(^|\s)\/([a-z0-9-]*)$/i.exec(text.slice(0, pos));
  if (!m) return null;
  const start = pos - m[2].length - 1;
  return { start, end: pos, prefix: m[2].toLowerCase() };
}

/** Canned messages whose shortcut starts with `prefix` (personal first, exact match first). */
export function shortcutMatches(lists, prefix, max = 8) {
  const p = String(prefix ?? "").toLowerCase();
  const all = [...((lists && lists.personal) || []), ...((lists && lists.system) || [])]
    .filter((c) => c.shortcut && c.shortcut.startsWith(p));
  all.sort((a, b) => (a.shortcut === p ? -1 : 0) - (b.shortcut === p ? -1 : 0) || a.shortcut.localeCompare(b.shortcut));
  return all.slice(0, max);
}

/** The text box after inserting `text` in place of [start, end): {value, caret}. */
export function insertText(value, start, end, text) {
  const v = String(value ?? "");
  const s = Math.max(0, Math.min(start, v.length));
  const e = Math.max(s, Math.min(end, v.length));
  return { value: v.slice(0, s) + text + v.slice(e), caret: s + text.length };
}

export const SHORTCUT_RE = /^[a-z0-9-]{1,32}$/;

/** Checks a canned form before it goes to the service; returns an error text or "". */
export function cannedFormError({ title, text, shortcut }) {
  if (!String(title ?? "").trim()) return S.canned.needTitle;
  if (String(title).trim().length > 100) return S.canned.titleTooLong;
  if (!String(text ?? "").trim()) return S.canned.needText;
  if (String(text).length > MAX_TEXT) return S.canned.textTooLong;
  const s = String(shortcut ?? "").trim().replace(/^\//, "").toLowerCase();
  if (s && !SHORTCUT_RE.test(s)) return S.canned.badShortcut;
  return "";
}

// ------------------------------------------------------------ operators and staff room

/** Roster rows for the staff tab: signed-in first, then by name. */
export function rosterList(roster) {
  const order = { available: 0, away: 1, offline: 2 };
  return [...roster.values()].sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3)
    || String(a.name || a.id).localeCompare(String(b.name || b.id)));
}

export function stateLabel(state) {
  return S.staff.states[state] || S.staff.states.offline;
}

/** Colleagues a chat may be passed to: signed in (not offline), not me. */
export function transferTargets(roster, meId) {
  return rosterList(roster).filter((o) => o.id !== meId && (o.state === "available" || o.state === "away"));
}

export function transferErrorText(code) {
  return { capacity: S.transfer.capacity, invalid_state: S.transfer.invalidState, conflict: S.transfer.conflict }[code] || "";
}

// ------------------------------------------------------------------ attachments

/**
 * Why a chosen file cannot be sent ("" when it can): the widget's rules (../js/files.js), so a
 * file with no reported type is judged by its extension here too.
 */
export function fileProblem(file, maxBytes = DEFAULT_MAX_BYTES) {
  const problem = checkFile(file, maxBytes);
  if (!problem) return "";
  if (problem.code === "empty") return S.files.empty;
  if (problem.code === "too_large") return S.files.tooLarge(megabytes(maxBytes));
  return S.files.type;
}

// ------------------------------------------------------------------------ team

/** The survey summary line: count, average and answered share in words. */
export function surveySummary(s) {
  const count = Number(s && s.count) || 0;
  if (!count) return S.team.noSurveys((s && s.days) || 7);
  const avg = typeof s.average_rating === "number" ? s.average_rating.toFixed(1) : "–";
  const share = typeof s.answered_share === "number" ? `${Math.round(s.answered_share * 100)}%` : "–";
  return S.team.summary(count, s.days || 7, avg, share);
}
