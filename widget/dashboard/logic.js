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

let requestCounter = 0;
export function newRequestId(prefix = "r") {
  requestCounter += 1;
  return `${prefix}${Date.now().toString(36)}${requestCounter.toString(36)}`;
}
