// The patron's place in line while the chat waits (docs/desks.md): `position` and
// `expected_wait_seconds` come in the patron `welcome.chat` and in each `chat.line` frame. This
// turns them into what the widget says ("You are number 2 in line. Expected wait: about 3
// minutes.") and keeps only changes of that text, so a polite live region announces a move in
// the line, not every frame with the same values. No DOM.

/** The place in line from a frame or a Chat: {position, wait} (wait null when unknown), or null. */
export function lineOf(source) {
  if (!source || typeof source !== "object") return null;
  const position = source.position;
  if (!Number.isInteger(position) || position < 1) return null;
  const seconds = source.expected_wait_seconds;
  const wait = Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds) : null;
  return { position, wait };
}

/** "less than a minute", "about 3 minutes", "about 2 hours": [i18n key, vars]. */
export function waitPhrase(seconds) {
  if (seconds < 60) return ["wait.underMinute", {}];
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return minutes === 1 ? ["wait.minute", {}] : ["wait.minutes", { n: minutes }];
  const hours = Math.round(minutes / 60);
  return hours === 1 ? ["wait.hour", {}] : ["wait.hours", { n: hours }];
}

/** The sentence for a place in line (null: nothing to say). */
export function lineText(t, line) {
  if (!line) return null;
  const place = line.position === 1 ? t("line.next") : t("line.position", { n: line.position });
  if (line.wait === null || line.wait === undefined) return place;
  const [key, vars] = waitPhrase(line.wait);
  return `${place} ${t("line.wait", { wait: t(key, vars) })}`;
}

/**
 * What the live region says: `update(line)` returns the new text when it differs from what is
 * shown (null clears), or undefined when nothing changes (the same values again).
 */
export class LineAnnouncer {
  constructor(t) {
    this.t = t;
    this.shown = null;
  }

  update(line) {
    const text = lineText(this.t, line);
    if (text === this.shown) return undefined;
    this.shown = text;
    return text;
  }

  clear() {
    return this.update(null);
  }
}

/**
 * The waiting chat's place in line on screen: `note(chat, source)` takes it from the welcome's
 * Chat or a `chat.line` frame (kept on `chat.line`), `show(chat)` draws what the chat's status
 * allows (nothing once it is claimed or over), through `setLine(text)` only when the text changes.
 */
export class WaitingLine {
  constructor(t, setLine) {
    this.t = t;
    this.setLine = setLine;
    this.announcer = new LineAnnouncer(t);
  }

  /** A new conversation on screen: its live region starts empty. */
  reset() {
    this.announcer = new LineAnnouncer(this.t);
  }

  /** `fresh` (a welcome): the service says it afresh, so no place in it means none known. */
  note(chat, source, { fresh = false } = {}) {
    if (chat.status !== "queued") return;
    const line = lineOf(source);
    if (line || fresh) chat.line = line;
    this.show(chat);
  }

  show(chat) {
    if (chat && chat.status !== "queued") chat.line = null;
    const text = this.announcer.update(chat ? chat.line || null : null);
    if (text !== undefined) this.setLine(text);
  }
}
