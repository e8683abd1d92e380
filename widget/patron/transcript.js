// The conversation as the patron sees it: stored messages (by seq, each once) and the local
// notices between them ("Ada joined", "You ended the chat"), each once. It is what the view
// renders, what sessionStorage keeps across a reload, and what "Download transcript" writes.
// Pure data and functions: no DOM.

const ROLES = new Set(["patron", "operator", "system"]);

export function messageItem(message) {
  if (!message || !Number.isInteger(message.seq)) return null;
  const sender = message.sender || {};
  return {
    kind: "msg",
    seq: message.seq,
    role: ROLES.has(sender.role) ? sender.role : "system",
    name: typeof sender.name === "string" ? sender.name : undefined,
    text: typeof message.text === "string" ? message.text : "",
    sent_at: typeof message.sent_at === "string" ? message.sent_at : undefined,
    client_msg_id: typeof message.client_msg_id === "string" ? message.client_msg_id : undefined,
    attachment: attachmentOf(message.attachment),
  };
}

/** A message's file (sent by the librarian through the paperclip), or undefined. */
export function attachmentOf(value) {
  if (!value || typeof value !== "object" || typeof value.key !== "string" || !value.key) return undefined;
  return {
    key: value.key,
    name: typeof value.name === "string" && value.name ? value.name : value.key.split("/").pop(),
    size: Number.isFinite(value.size) && value.size >= 0 ? value.size : undefined,
    content_type: typeof value.content_type === "string" ? value.content_type : undefined,
  };
}

/** "2.4 MB", "120 KB", "900 B" (numbers in the patron's language): the rule both front ends share. */
export { formatBytes as formatSize } from "../js/files.js";

/**
 * Where a notice goes, by the protocol's facts, never by when its frame arrived: after the
 * messages with seq <= `after` (a claim: the chat's last_seq at claim), or after those sent
 * up to `afterTime` (a server time: the chat's claimed_at), or after every message (`final`:
 * the chat ended, nothing can follow). Returns the fields to keep on the notice item.
 */
function anchorOf({ after, afterTime, final } = {}) {
  if (final) return { final: true };
  if (Number.isInteger(after) && after >= 0) return { after };
  if (typeof afterTime === "string" && !Number.isNaN(Date.parse(afterTime))) return { afterTime };
  return {};
}

const time = (iso) => (typeof iso === "string" ? Date.parse(iso) : NaN);

/** Must `a` come before `b` in the conversation? (false: no fact says so; arrival order stands) */
export function precedes(a, b) {
  if (a.kind === "msg" && b.kind === "msg") return a.seq < b.seq;
  if (a.kind === "msg") {
    if (b.final) return true;
    if (Number.isInteger(b.after)) return a.seq <= b.after;
    if (b.afterTime) return time(a.sent_at) <= time(b.afterTime);
    return false;
  }
  if (b.kind === "msg") {
    if (a.final) return false;
    if (Number.isInteger(a.after)) return a.after < b.seq;
    if (a.afterTime) return time(a.afterTime) < time(b.sent_at);
    return false;
  }
  return Boolean(b.final) && !a.final;
}

export class Transcript {
  constructor(items = []) {
    this.items = [];
    this.seqs = new Set();
    this.noticeIds = new Set();
    let seen = 0; // a notice saved without an anchor follows the messages saved before it
    for (const item of items) {
      if (item && item.kind === "msg") {
        if (this.addMessage(item, true)) seen = Math.max(seen, item.seq);
      } else if (item && item.kind === "notice") {
        const anchor = anchorOf(item);
        this.addNotice(item.id, item.type, item.vars, item.at, Object.keys(anchor).length ? anchor : { after: seen });
      }
    }
  }

  /** Returns the new item, or null if that seq is already here. Placed by seq. */
  addMessage(message, isItem = false) {
    const item = isItem ? messageItem({ ...message, sender: { role: message.role, name: message.name } }) : messageItem(message);
    if (!item || this.seqs.has(item.seq)) return null;
    this.seqs.add(item.seq);
    this.place(item);
    return item;
  }

  /**
   * A notice shows once per id ("claimed", "ended"); returns null if already shown. `anchor`
   * ({after} | {afterTime} | {final}, see anchorOf) places it; without one it follows the
   * messages here now.
   */
  addNotice(id, type, vars = {}, at = new Date().toISOString(), anchor = {}) {
    if (typeof id !== "string" || this.noticeIds.has(id)) return null;
    this.noticeIds.add(id);
    const placed = anchorOf(anchor);
    const item = { kind: "notice", id, type, vars: { ...(vars || {}) }, at,
      ...(Object.keys(placed).length ? placed : { after: this.lastSeq }) };
    this.place(item);
    return item;
  }

  /** Insert `item` where the facts put it: back from the end past every item it must precede. */
  place(item) {
    let i = this.items.length;
    while (i > 0 && precedes(item, this.items[i - 1])) i -= 1;
    this.items.splice(i, 0, item);
  }

  /** Is `item` the last one (the view appends it) or was it placed before others (the view redraws)? */
  isLast(item) {
    return this.items[this.items.length - 1] === item;
  }

  hasNotice(id) {
    return this.noticeIds.has(id);
  }

  get lastSeq() {
    let max = 0;
    for (const seq of this.seqs) max = Math.max(max, seq);
    return max;
  }

  toJSON() {
    return this.items.map((item) => ({ ...item }));
  }
}

/** Does `item` continue a run of messages by the same person (so the view can group them)? */
export function continuesRun(prev, item, withinMs = 3 * 60 * 1000) {
  if (!prev || !item || prev.kind !== "msg" || item.kind !== "msg") return false;
  if (prev.role !== item.role || prev.name !== item.name) return false;
  const a = Date.parse(prev.sent_at);
  const b = Date.parse(item.sent_at);
  if (Number.isNaN(a) || Number.isNaN(b)) return true;
  return b - a <= withinMs;
}

// ---------------------------------------------------------------- links

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
const TRAILING = /[.,;:!?'"\]}>]+$/;

/**
 * Split text into plain and link segments, for a view that renders each as a text node or an
 * <a> with textContent. Only http(s) links (and www. ones, as https) are made clickable.
 */
export function linkify(text) {
  const out = [];
  if (typeof text !== "string" || !text) return out;
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let raw = match[0];
    raw = raw.replace(TRAILING, "");
    // a closing parenthesis belongs to the link only if the link opened one: "(see https://x/y)"
    while (raw.endsWith(")") && (raw.match(/\(/g) || []).length < (raw.match(/\)/g) || []).length) {
      raw = raw.slice(0, -1).replace(TRAILING, "");
    }
    if (!raw || /^www\.?$/i.test(raw)) continue;
    const href = /^www\./i.test(raw) ? `https://${raw}` : raw;
    let url;
    try {
      url = new URL(href);
    } catch {
      continue;
    }
    if (!["http:", "https:"].includes(url.protocol)) continue;
    if (match.index > last) out.push({ type: "text", text: text.slice(last, match.index) });
    out.push({ type: "link", text: raw, href: url.href });
    last = match.index + raw.length;
  }
  if (last < text.length) out.push({ type: "text", text: text.slice(last) });
  return out;
}

// ----------------------------------------------------------- plain text

/** Who said it, for display and for the transcript file. */
export function speaker(item, t) {
  if (item.role === "patron") return t("who.you");
  if (item.role === "operator") return item.name || t("who.librarian");
  return item.name || t("who.library");
}

/** The text of a notice item. */
export function noticeText(item, t) {
  const vars = item.vars || {};
  if (item.type === "joined") return t("notice.joined", { name: vars.name || t("who.librarian") });
  if (item.type === "requeued") return t("notice.requeued");
  if (item.type === "observed") return t(vars.on ? "notice.observed" : "notice.unobserved"); // docs/supervision.md
  if (item.type === "ended") {
    if (vars.by === "ticket") return t("notice.endedTicket"); // it became an e-mail question (tickets.js)
    if (vars.by === "patron") return t("notice.endedByPatron");
    if (vars.by === "operator") {
      return vars.name ? t("notice.endedByOperator", { name: vars.name }) : t("notice.endedByLibrarian");
    }
    if (vars.by === "system") return t("notice.endedBySystem");
    return t("notice.ended");
  }
  return "";
}

function stamp(iso, formatTime) {
  if (!iso) return "";
  const text = formatTime(iso);
  return text ? `[${text}] ` : "";
}

/** The whole conversation as plain text, for "Download transcript". */
export function transcriptText(items, t, formatTime = (iso) => iso) {
  const lines = [t("transcript.title"), ""];
  for (const item of items) {
    if (item.kind === "msg") {
      const file = item.attachment ? `[${t("msg.file")}: ${item.attachment.name}]` : "";
      const body = [item.text, file].filter(Boolean).join(" ");
      lines.push(`${stamp(item.sent_at, formatTime)}${speaker(item, t)}: ${body}`);
    } else if (item.kind === "notice") {
      lines.push(`${stamp(item.at, formatTime)}-- ${noticeText(item, t)} --`);
    }
  }
  return lines.join("\n") + "\n";
}

/** "Download transcript": the file's name (dated `now`, ms) and its text. */
export function transcriptFile(items, t, now) {
  const stampFormat = new Intl.DateTimeFormat(t.lang, { dateStyle: "medium", timeStyle: "short" });
  const text = transcriptText(items, t, (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? "" : stampFormat.format(date);
  });
  return { name: t("transcript.file", { date: new Date(now).toISOString().slice(0, 10) }), text };
}
