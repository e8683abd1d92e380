// Pure rules of the operator dashboard: no DOM, no network, no clock of its own.
// Everything here is unit-tested in widget/tests/dashboard.test.mjs.

export const APP_NAME = "Library chat";
export const WARN_AT_ACTIVE = 3; // the manual: "avoid going beyond 3 chats at one time"
export const MAX_TEXT = 4000; // docs/protocol.md: text is 1..4000 characters

/**
 * Where REST and WebSocket live. On AWS a generated `config.json` names them; locally (or when
 * the file is absent or broken) they are on the page's own origin.
 */
export function resolveConfig(config, location) {
  const origin = `${location.protocol}//${location.host}`;
  const wsScheme = location.protocol === "https:" ? "wss:" : "ws:";
  const out = { restUrl: `${origin}/api`, wsUrl: `${wsScheme}//${location.host}/ws` };
  if (config && typeof config === "object") {
    if (typeof config.restUrl === "string" && config.restUrl) out.restUrl = config.restUrl.replace(/\/+$/, "");
    if (typeof config.wsUrl === "string" && config.wsUrl) out.wsUrl = config.wsUrl;
  }
  return out;
}

/** "45 s", "2 min", "1 h 05 min": short enough for a list row, updated every few seconds. */
export function formatWait(ms) {
  const s = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, "0")} min`;
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
  if (!signedIn) return `Sign in — ${APP_NAME}`;
  return `${waiting > 0 ? `(${waiting}) ` : ""}Chats — ${APP_NAME}`;
}

/** Before a claim: warn from the 4th concurrent active chat on (whatever max_chats says). */
export function claimNeedsWarning(activeCount) {
  return activeCount >= WARN_AT_ACTIVE;
}

export function warningText(activeCount, maxChats) {
  const base = `You already have ${activeCount} chats. The manual advises no more than ${WARN_AT_ACTIVE} unless one is winding down.`;
  if (Number.isInteger(maxChats) && activeCount >= maxChats) {
    return `${base} Your limit is ${maxChats}, so the service will refuse a new one until you end a chat.`;
  }
  return base;
}

export function capacityText(maxChats) {
  const n = Number.isInteger(maxChats) && maxChats > 0 ? maxChats : null;
  const limit = n === null ? "your limit of chats" : `your limit of ${n} chat${n === 1 ? "" : "s"}`;
  return `You are at ${limit}. End one before claiming another.`;
}

export const CONFLICT_TEXT = "Another librarian already took this chat.";

/** Plain words for a server `error` frame, by code and what the librarian was doing. */
export function errorText(error, context = {}) {
  const code = error && error.code;
  switch (code) {
    case "conflict":
      return context.action === "claim" ? CONFLICT_TEXT : "Someone else changed this chat at the same time. Try again.";
    case "capacity":
      return capacityText(context.maxChats);
    case "invalid_state":
      if (context.action === "send") return "The chat has ended; this message was not sent.";
      if (context.action === "claim") return "This chat is no longer waiting.";
      return "This chat has already changed. The dashboard shows its current state.";
    case "too_large":
      return `The message is too long (more than ${MAX_TEXT} characters).`;
    case "not_found":
      return "This chat no longer exists.";
    case "rate_limited":
      return "Too many actions at once. Wait a moment and try again.";
    case "forbidden":
      return "You are not allowed to do that for this chat.";
    case "unauthorized":
      return "Your session has expired. Please sign in again.";
    default:
      return (error && typeof error.message === "string" && error.message) || "Something went wrong. Try again.";
  }
}

export function signInErrorText(status, code) {
  if (status === 401 || code === "unauthorized") return "That username and password do not match. Check them and try again.";
  if (status === 403 || code === "forbidden") return "This account is not set up as a chat operator. Ask an administrator.";
  if (status === 429 || code === "rate_limited") return "Too many sign-in attempts. Wait a minute and try again.";
  if (status === 400) return "Enter your username and password.";
  if (!status) return "Cannot reach the chat service. Check your connection and try again.";
  return "Sign-in failed because of a problem on the server. Try again in a moment.";
}

export function patronName(chat) {
  const name = chat && typeof chat.patron_name === "string" ? chat.patron_name.trim() : "";
  return name || "Patron";
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
  const who = name || "Patron";
  const flat = String(preview ?? "").replace(/\s+/g, " ").trim();
  if (!flat) return { lead: `${who} is typing...`, preview: "" };
  const shown = flat.length <= max ? flat : `…${flat.slice(flat.length - (max - 1))}`;
  return { lead: `${who} is typing:`, preview: `“${shown}”` };
}

/**
 * The patron status button: colour plus words (never colour alone).
 * Red when the patron ended the chat (the manual's "status button will turn red").
 */
export function presenceView(status, presence, endedBy) {
  if (status === "ended" || status === "closed") {
    if (endedBy === "patron") return { key: "left", label: "Left the chat" };
    return { key: "ended", label: "Chat ended" };
  }
  if (presence === "online") return { key: "online", label: "Online" };
  if (presence === "away") return { key: "away", label: "Away" };
  if (presence === "offline") return { key: "reconnecting", label: "Reconnecting" };
  return { key: "unknown", label: "Checking" }; // not told yet (see the report on chat.claimed)
}

export function endedText(endedBy, name) {
  if (endedBy === "patron") return `${name || "The patron"} ended the chat. Close it when you are done.`;
  if (endedBy === "operator") return "You ended this chat. The patron was offered a short survey.";
  if (endedBy === "system") return "The service ended this chat.";
  return "This chat has ended.";
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
  if (!String(title ?? "").trim()) return "Give the canned message a title.";
  if (String(title).trim().length > 100) return "The title is at most 100 characters.";
  if (!String(text ?? "").trim()) return "Write the message text.";
  if (String(text).length > MAX_TEXT) return `The text is at most ${MAX_TEXT} characters.`;
  const s = String(shortcut ?? "").trim().replace(/^\//, "").toLowerCase();
  if (s && !SHORTCUT_RE.test(s)) return "A shortcut is lowercase letters, digits and dashes (up to 32).";
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
  return { available: "Available", away: "Away", offline: "Offline" }[state] || "Offline";
}

/** Colleagues a chat may be passed to: signed in (not offline), not me. */
export function transferTargets(roster, meId) {
  return rosterList(roster).filter((o) => o.id !== meId && (o.state === "available" || o.state === "away"));
}

export function transferErrorText(code) {
  if (code === "capacity") return "That colleague is at their chat limit, so the chat stayed with you.";
  if (code === "invalid_state") return "The chat could not be passed on: that colleague is not signed in any more, or the chat is no longer active.";
  if (code === "conflict") return "This chat changed hands meanwhile. The dashboard shows where it is now.";
  return "";
}

// ------------------------------------------------------------------ attachments

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const FILE_TYPES = new Set([
  "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv",
  "application/rtf", "text/rtf", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
]);

/** Why a chosen file cannot be sent ("" when it can). */
export function fileProblem(file, maxBytes = MAX_FILE_BYTES) {
  if (!file || !file.size) return "The file is empty.";
  if (file.size > maxBytes) return `The file is too large (the limit is ${Math.round(maxBytes / 1048576)} MB).`;
  const type = String(file.type || "").split(";")[0].trim().toLowerCase();
  if (!FILE_TYPES.has(type)) return "This kind of file cannot be sent. Send images, PDF, text or office documents.";
  return "";
}

export function isImageType(type) {
  return /^image\/(png|jpeg|gif|webp)$/.test(String(type || ""));
}

/** Only http(s) URLs go into src/href. */
export function safeUrl(url) {
  try {
    const u = new URL(String(url));
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

export function formatBytes(n) {
  const b = Number(n) || 0;
  if (b < 1024) return `${b} B`;
  if (b < 1048576) return `${Math.round(b / 1024)} KB`;
  return `${(b / 1048576).toFixed(1)} MB`;
}

// ------------------------------------------------------------------------ team

/** The survey summary line: count, average and answered share in words. */
export function surveySummary(s) {
  const count = Number(s && s.count) || 0;
  if (!count) return `No surveys in the last ${(s && s.days) || 7} days.`;
  const avg = typeof s.average_rating === "number" ? s.average_rating.toFixed(1) : "–";
  const share = typeof s.answered_share === "number" ? `${Math.round(s.answered_share * 100)}%` : "–";
  return `${count} survey${count === 1 ? "" : "s"} in the last ${s.days || 7} days · average rating ${avg} of 5 · question answered: ${share}`;
}
