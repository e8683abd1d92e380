// The patron's chat, kept in this frame's sessionStorage: per browser tab, so a reload or a
// move to another page of the library's site resumes the chat, and closing the tab forgets it.
// The token lives only here (in the service's origin), never on the host page.
//
// Record (version 1):
//   {v: 1, chat: {chat_id, token, ws_url, status, operator?, ended_by?, typing_preview?, offer_declined?, name?, email?},
//    lastSeq: {chat_id: seq}, outbox: [{chat_id, client_msg_id, text}],
//    transcript: [item...] (see transcript.js), survey: null | "pending" | "done", savedAt}
// Anything that does not look like that is dropped: a corrupt record must not wedge the widget.

import { patronFields } from "./session.js";

export const VERSION = 1;
const MAX_BYTES = 2_000_000; // well under the ~5 MB sessionStorage quota

export function storageKey(queue) {
  return `libchat:patron:v${VERSION}:${queue || "default"}`;
}

/** sessionStorage if usable (it throws in some privacy modes), else an in-memory stand-in. */
export function safeStorage(win = globalThis) {
  try {
    const s = win.sessionStorage;
    const probe = "libchat:probe";
    s.setItem(probe, "1");
    s.removeItem(probe);
    return s;
  } catch {
    const data = new Map();
    return {
      getItem: (k) => (data.has(k) ? data.get(k) : null),
      setItem: (k, v) => data.set(k, String(v)),
      removeItem: (k) => data.delete(k),
    };
  }
}

const STATUSES = new Set(["queued", "active", "ended", "closed"]);

/** Validate and normalise a parsed record; null if it is not a usable chat. */
export function normalise(record) {
  if (!record || typeof record !== "object" || record.v !== VERSION) return null;
  const chat = record.chat;
  if (!chat || typeof chat.chat_id !== "string" || typeof chat.token !== "string" || !chat.chat_id || !chat.token) {
    return null;
  }
  const lastSeq = {};
  const seq = record.lastSeq && record.lastSeq[chat.chat_id];
  lastSeq[chat.chat_id] = Number.isInteger(seq) && seq >= 0 ? seq : 0;
  const outbox = Array.isArray(record.outbox)
    ? record.outbox.filter((m) => m && m.chat_id === chat.chat_id && typeof m.client_msg_id === "string"
      && typeof m.text === "string")
      .map((m) => ({ chat_id: m.chat_id, client_msg_id: m.client_msg_id, text: m.text }))
    : [];
  const transcript = Array.isArray(record.transcript) ? record.transcript.filter((i) => i && typeof i === "object") : [];
  return {
    v: VERSION,
    chat: {
      chat_id: chat.chat_id,
      token: chat.token,
      ws_url: typeof chat.ws_url === "string" ? chat.ws_url : undefined,
      status: STATUSES.has(chat.status) ? chat.status : "queued",
      operator: chat.operator && typeof chat.operator.name === "string" ? { id: chat.operator.id, name: chat.operator.name } : null,
      ended_by: typeof chat.ended_by === "string" ? chat.ended_by : null,
      ...(typeof chat.typing_preview === "boolean" ? { typing_preview: chat.typing_preview } : {}),
      ...(chat.offer_declined === true ? { offer_declined: true } : {}), // "Keep waiting" on the ticket offer
      ...patronFields(chat),
    },
    lastSeq,
    outbox,
    transcript,
    survey: ["pending", "done"].includes(record.survey) ? record.survey : null,
    savedAt: typeof record.savedAt === "number" ? record.savedAt : 0,
  };
}

export class ChatStore {
  constructor(storage, key, now = () => Date.now()) {
    this.storage = storage;
    this.key = key;
    this.now = now;
  }

  load() {
    let raw;
    try {
      raw = this.storage.getItem(this.key);
    } catch {
      return null;
    }
    if (!raw) return null;
    try {
      return normalise(JSON.parse(raw));
    } catch {
      return null;
    }
  }

  /** Save; if the record is too big, keep the chat and outbox and trim the oldest transcript. */
  save(record) {
    const out = { ...record, v: VERSION, savedAt: this.now() };
    let text = JSON.stringify(out);
    while (text.length > MAX_BYTES && out.transcript && out.transcript.length > 1) {
      out.transcript = out.transcript.slice(Math.ceil(out.transcript.length / 4));
      text = JSON.stringify(out);
    }
    try {
      this.storage.setItem(this.key, text);
      return true;
    } catch {
      return false; // quota or privacy mode: the chat still works, it just won't survive a reload
    }
  }

  clear() {
    try {
      this.storage.removeItem(this.key);
    } catch {
      /* nothing to do */
    }
  }
}
