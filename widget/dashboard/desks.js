// Pure rules of desks (docs/desks.md) as the Chats tab and the chat panes use them: which desks
// a librarian may watch and watches, under which desk heading a waiting chat is listed, whether
// it rolled over from another library, the home desk's local-information card (its text cut
// into plain text and http(s) links) and the desks a chat may be transferred to. No DOM, no
// network, no clock; unit-tested in widget/tests/dashboard-desks.test.mjs.

import { S } from "./strings.js";

/** welcome.queues as a list of usable desks (each with an id), in the service's order. */
export function deskList(queues) {
  return (Array.isArray(queues) ? queues : []).filter((q) => q && typeof q.id === "string" && q.id);
}

/** id -> Queue. */
export function deskIndex(queues) {
  const out = new Map();
  for (const q of deskList(queues)) out.set(q.id, q);
  return out;
}

/**
 * The desks this librarian belongs to, in the service's order: `operator.queues` (null or
 * absent: every desk of welcome.queues), only the enabled ones welcome listed.
 */
export function myDesks(operatorQueues, queues) {
  const all = deskList(queues).filter((q) => q.enabled !== false).map((q) => q.id);
  if (!Array.isArray(operatorQueues)) return all;
  const mine = new Set(operatorQueues);
  return all.filter((id) => mine.has(id));
}

/**
 * What the librarian watches now: `operator.watching` when the service said (kept to their
 * desks), else all their desks (a service that never heard of watching: every desk they have).
 */
export function watchedDesks(watching, mine) {
  if (!Array.isArray(watching)) return [...mine];
  const w = new Set(watching);
  return mine.filter((id) => w.has(id)).concat(watching.filter((id) => !mine.includes(id)));
}

/** The desks a chat is offered to, home first (a service without desks: its queue alone). */
export function offeredDesks(chat) {
  if (chat && Array.isArray(chat.offered) && chat.offered.length) return chat.offered;
  return chat && chat.queue ? [chat.queue] : [];
}

/** Is the chat offered to a desk in `watching` (a Set or array of ids)? */
export function isVisible(chat, watching) {
  const w = watching instanceof Set ? watching : new Set(watching);
  return offeredDesks(chat).some((id) => w.has(id));
}

/**
 * The heading a waiting chat is listed under: its home desk when watched, else the first
 * watched desk it was offered to (a rollover), else (the service sent it anyway) its home desk.
 * A chat offered to two watched desks is thus listed once.
 */
export function groupOf(chat, watching) {
  const w = watching instanceof Set ? watching : new Set(watching);
  const home = chat && chat.queue;
  if (home && w.has(home)) return home;
  const offered = offeredDesks(chat).find((id) => w.has(id));
  return offered || home || "";
}

/**
 * Whether to mark the chat "rolled over": it came from another library's desk (its home desk
 * is not one I watch), or its desk passed it on (offered to more than one desk).
 */
export function isRolledOver(chat, watching) {
  if (!chat || !chat.queue) return false;
  const w = watching instanceof Set ? watching : new Set(watching);
  return !w.has(chat.queue) || offeredDesks(chat).length > 1;
}

/** "Central (Central Library)": a desk's name and, when it names one, its library. */
export function deskLabel(desk, fallback = "") {
  const name = (desk && desk.name) || fallback || (desk && desk.id) || "";
  const library = desk && typeof desk.library === "string" ? desk.library.trim() : "";
  return library && library !== name ? S.chatDesks.withLibrary(name, library) : name;
}

/** "Rolled over from Central (Central Library)", or "" when the chat is not marked. */
export function rolledOverText(chat, watching, desks, names = {}) {
  if (!isRolledOver(chat, watching)) return "";
  const home = desks.get(chat.queue);
  return S.chatDesks.rolledOver(deskLabel(home, names[chat.queue] || chat.queue));
}

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING = /[.,;:!?'"»”’]+$/;

/** An http(s) URL as a link may use it, or "" (anything else stays text). */
export function safeHttpUrl(text) {
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
  } catch {
    return "";
  }
}

/**
 * A card's plain text cut into parts: {text} and {text, href} for each http(s) URL in it (a
 * sentence's full stop or a closing bracket after the URL stays text). Nothing else becomes a
 * link: no other schemes, no markup.
 */
export function cardParts(text) {
  const s = String(text ?? "");
  const parts = [];
  let last = 0;
  for (const m of s.matchAll(URL_RE)) {
    let url = m[0];
    // a bracket that closes around the URL, not one of its own
    while (true) {
      const cut = url.replace(TRAILING, "");
      const close = cut.endsWith(")") && (cut.match(/\(/g) || []).length < (cut.match(/\)/g) || []).length;
      const next = close ? cut.slice(0, -1) : cut;
      if (next === url) break;
      url = next;
    }
    const href = safeHttpUrl(url);
    if (!href) continue;
    if (m.index > last) parts.push({ text: s.slice(last, m.index) });
    parts.push({ text: url, href });
    last = m.index + url.length;
  }
  if (last < s.length) parts.push({ text: s.slice(last) });
  return parts;
}

/** "2026-11-01" as a date in the librarian's words ("1 Nov 2026"); other text as it is. */
export function formatReviewed(date, locale) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(date ?? ""));
  if (!m) return String(date ?? "");
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/**
 * The local-information card a pane shows for the chat's home desk: {desk, parts, reviewed}
 * (`desk`: its name and library), or null when the desk has no card.
 */
export function cardView(chat, desks, names = {}, locale) {
  const id = chat && chat.queue;
  const desk = id ? desks.get(id) : null;
  const card = desk && desk.card;
  if (!card || typeof card.text !== "string" || !card.text.trim()) return null;
  return {
    desk: deskLabel(desk, names[id] || id),
    parts: cardParts(card.text),
    reviewed: card.reviewed_on ? S.chatDesks.reviewed(formatReviewed(card.reviewed_on, locale)) : "",
  };
}

/** The desks a chat may be transferred to: the enabled desks of welcome.queues. */
export function transferDesks(desks) {
  return [...desks.values()].filter((q) => q.enabled !== false).map((q) => ({ id: q.id, label: deskLabel(q) }));
}

/** The watch checkboxes: each of my desks, ticked when watched. */
export function watchOptions(mine, watching, desks) {
  const w = new Set(watching);
  return mine.map((id) => ({ id, label: deskLabel(desks.get(id), id), checked: w.has(id) }));
}
