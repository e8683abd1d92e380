// What the conversation shows of the chat's facts: each message and notice where the
// transcript (transcript.js) places it, by seq and by the claim's last_seq or time, never by
// when its frame arrived (so "Libby joined the chat" never lands above the question it
// answers), and the librarian's typing line, which fades if no update comes. No DOM: the view
// draws; the controller decides when.

// A librarian's typing notice fades if no update arrives: over the dashboard's 20 s refresh
// (TYPING_REFRESH_MS in widget/dashboard/controller-chats.js); their message clears it at once.
const TYPING_NOTICE_TTL = 30000;

export class ConversationLog {
  /**
   * @param {object} o
   * @param {object} o.view   View: appendItem, renderTranscript, setTyping
   * @param {object} o.panel  Panel: noteUnread
   * @param {Function} o.t
   * @param {Function} o.now  () => ms
   * @param {object} o.timers {setTimeout, clearTimeout}
   */
  constructor({ view, panel, t, now, timers }) {
    Object.assign(this, { view, panel, t, now });
    this.setTimeout = timers.setTimeout;
    this.clearTimeout = timers.clearTimeout;
    this.typingTimer = null;
  }

  /** A stored message (once per seq): shown where it belongs; a librarian's counts as unread. */
  message(transcript, message) {
    const item = transcript.addMessage(message);
    if (!item) return null;
    this.show(transcript, item);
    if (item.role === "operator") {
      this.librarianTyping(null);
      this.panel.noteUnread();
    }
    return item;
  }

  /** A notice, once per id, placed by `anchor` (transcript.js), at the server's time when known. */
  notice(transcript, id, type, vars, anchor = {}, at = undefined) {
    const when = typeof at === "string" && at ? at : new Date(this.now()).toISOString();
    const item = transcript.addNotice(id, type, vars, when, anchor);
    if (item) {
      this.show(transcript, item);
      this.panel.noteUnread();
    }
    return item;
  }

  /** At the end of the log, or (placed before what is there) the log redrawn in order. */
  show(transcript, item) {
    if (transcript.isLast(item)) this.view.appendItem(item);
    else this.view.renderTranscript(transcript.items);
  }

  /** "Libby is typing…" for `name` (a librarian without one: "Librarian"); null hides it. */
  librarianTyping(name) {
    this.clearTimeout(this.typingTimer);
    this.typingTimer = null;
    if (name === null) {
      this.view.setTyping(null);
      return;
    }
    this.view.setTyping(name || this.t("who.librarian"));
    this.typingTimer = this.setTimeout(() => this.view.setTyping(null), TYPING_NOTICE_TTL);
  }
}
