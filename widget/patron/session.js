// The patron's chat session as data, and the rules that read it: how a session starts (from
// POST /api/chats) or resumes (from the store), what the store keeps of it, what its status
// means for the header, which errors mean "this chat is gone", and the probe that asks REST
// whether a chat that cannot reconnect still exists. No DOM, no timers of its own.

import { Transcript } from "./transcript.js";

export const ENDED_STATES = new Set(["ended", "closed"]);
/** `error` codes, pushed outside any request while not connected, that say the chat is gone. */
export const GONE_CODES = new Set(["unauthorized", "forbidden", "not_found"]);
/** REST statuses that say the same about the chat's token. */
export const GONE_STATUSES = new Set([401, 403, 404]);
// "unavailable": a blocked patron's new chat (docs/privacy.md "Blocks"), said neutrally
const KNOWN_ERRORS = new Set(["too_large", "rate_limited", "invalid_state", "bad_request", "network", "unavailable"]);

export function isEnded(chat) {
  return Boolean(chat) && ENDED_STATES.has(chat.status);
}

/** The i18n key of the text for an error code (the generic one for codes the patron can't act on). */
export function errorKey(code) {
  return KNOWN_ERRORS.has(code) ? `error.${code}` : "error.generic";
}

/**
 * A new chat, from POST /api/chats ({chat_id, token}) and the WebSocket URL to use. `patron`
 * ({name, email} of the question form) is kept for the ticket offer and the transcript e-mail.
 */
export function newSession(created, wsUrl, patron = {}) {
  return {
    chat: { chat_id: created.chat_id, token: created.token, ws_url: wsUrl, status: "queued", operator: null,
      ended_by: null, ...patronFields(patron) },
    lastSeq: { [created.chat_id]: 0 },
    outbox: [],
    transcript: new Transcript(),
    survey: null,
  };
}

/** The patron's own name and e-mail, as strings the store keeps (absent when not given). */
export function patronFields(patron) {
  const out = {};
  for (const [key, max] of [["name", 100], ["email", 254]]) {
    const value = patron && patron[key];
    if (typeof value === "string" && value.trim() && value.length <= max) out[key] = value.trim();
  }
  return out;
}

/** A chat saved by the store (store.js normalises it), live again. */
export function restoreSession(saved) {
  return { ...saved, transcript: new Transcript(saved.transcript) };
}

/**
 * What the store keeps. `snapshot` is the protocol client's (last seqs, unsent messages),
 * newer than the session's own copy while a client runs.
 */
export function sessionRecord(session, snapshot) {
  const chatId = session.chat.chat_id;
  if (snapshot) {
    session.lastSeq = { [chatId]: snapshot.lastSeq[chatId] || 0 };
    session.outbox = snapshot.outbox;
  }
  return { chat: session.chat, lastSeq: session.lastSeq, outbox: session.outbox,
    transcript: session.transcript.toJSON(), survey: session.survey };
}

/**
 * The header's status line for a chat: [i18n key, vars, tone]. `connection` ({state, offline}
 * of the chat's protocol client): while it is not open the header says so, never "Chatting
 * with Libby" with a green dot over a connection that is down.
 */
export function headerStatus(chat, connection = null) {
  if (isEnded(chat)) return ["status.ended", {}, "ended"];
  const state = connection && connection.state;
  if (state === "reconnecting" || (state === "connecting" && connection.offline)) {
    return ["status.reconnecting", {}, "reconnecting"];
  }
  if (chat.status === "active" && chat.operator) return ["status.active", { name: chat.operator.name }, "active"];
  return ["status.waiting", {}, "waiting"];
}

/** One "joined" notice per librarian: a transfer brings a new one ("Libby joined the chat"). */
export function claimedId(chat) {
  return chat.operator && chat.operator.id ? `claimed:${chat.operator.id}` : "claimed";
}

/**
 * A refused handshake (expired token, deleted chat) looks like any dropped connection to a
 * browser. If (re)connecting drags on (`after` ms), `check()` asks REST, then again every
 * `every` ms while it answers "again"; "gone" calls `onGone`, "done" stops.
 */
export class ConnectionProbe {
  constructor({ check, onGone, setTimeout, clearTimeout, after = 5000, every = 20000 }) {
    Object.assign(this, { check, onGone, setTimeout, clearTimeout, after, every });
    this.timer = null;
  }

  /** The protocol client's state changed. */
  watch(state) {
    if (state === "open" || state === "closed") this.stop();
    else if (!this.timer) this.timer = this.setTimeout(() => this.run(), this.after);
  }

  async run() {
    this.timer = null;
    const verdict = await this.check();
    if (verdict === "gone") this.onGone();
    else if (verdict === "again" && !this.timer) this.timer = this.setTimeout(() => this.run(), this.every);
  }

  stop() {
    if (this.timer) this.clearTimeout(this.timer);
    this.timer = null;
  }
}
