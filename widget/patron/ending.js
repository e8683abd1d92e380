// The end of a patron's chat: the chat ended (live, or found ended on reconnect), the ended
// notice after whatever the backlog still brings, the socket let go, then the survey (when a
// librarian answered) or "You left the queue" (or, for a chat that became a ticket, tickets.js's
// "we'll answer you by e-mail"), and the survey sent once. It works on the
// controller's session, view and connection (controller.js hands itself over); no DOM here.
// It also sends the End the patron confirmed, holding it while the socket is still opening.

import { surveyBody } from "./api.js";
import { isEnded } from "./session.js";

export class ChatEnding {
  /** @param {object} controller  the PatronController whose chat this is */
  constructor(controller) {
    this.c = controller;
    this.wanted = null; // the chat whose End was confirmed before the socket was open
  }

  /**
   * End confirmed. While the socket is still opening (a patron can reach End within a second of
   * Start chat) or reconnecting on a page that is online, the end waits for the connection
   * instead of failing: the patron asked for it once and should not have to ask again.
   */
  request() {
    const c = this.c;
    if (!c.session || !c.client) return;
    const chatId = c.session.chat.chat_id;
    if (c.client.state === "open" && c.client.end(chatId, "end")) return;
    if (c.client.state !== "open" && !c.page.offline()) {
      this.wanted = chatId;
      c.view.showComposerError(c.t("status.endingWhenConnected"));
      return;
    }
    c.view.showComposerError(c.t("error.notConnected"));
  }

  /** The socket is open (again): send the end the patron confirmed while it was not. */
  connected() {
    const c = this.c;
    const chatId = this.wanted;
    this.wanted = null;
    if (!chatId || !c.session || c.session.chat.chat_id !== chatId || isEnded(c.session.chat)) return;
    c.view.showComposerError("");
    if (!c.client.end(chatId, "end")) c.view.showComposerError(c.t("error.notConnected"));
  }

  /**
   * The chat ended (live, or found ended on reconnect): keep the transcript, offer the survey.
   * `reason` "ticket": it became an e-mail question (here or elsewhere, docs/tickets.md): no
   * survey, the view says the answer comes by e-mail. While this patron's own "E-mail me the
   * answer" is under way, its answer decides (tickets.js); the end waits for it.
   */
  async ended(endedBy, { catchUp, reason, by } = {}) {
    const c = this.c;
    const session = c.session;
    if (!session || session.endedHandled) return;
    if (c.tickets.pending === session) {
      session.endedLate = { endedBy, options: { catchUp, reason, by } };
      return;
    }
    session.endedHandled = true;
    const mine = session.chat;
    mine.status = "ended";
    mine.ended_by = endedBy || mine.ended_by || null;
    c.showLibrarianTyping(false);
    c.chatState();
    c.view.setEndable(false);
    // Found ended on reconnect: messages sent meanwhile may still be on their way in the
    // backlog; read them from the history endpoint before letting the socket go.
    if (catchUp) for (const m of await c.connection.missed(session)) c.onMessage(m);
    if (c.session !== session) return;
    const ticket = reason === "ticket";
    c.notice("ended", "ended", ticket ? { by: "ticket" } : { by: mine.ended_by, name: (by && by.name) || (mine.operator && mine.operator.name) },
      { final: true });
    c.connection.close();
    c.view.setConnection("closed", false);
    c.view.setPending([]);
    c.tickets.hide();
    if (ticket) {
      c.tickets.done(session, null);
      return;
    }
    session.survey = mine.operator ? "pending" : null;
    c.persist();
    c.showAfter({ focus: c.seen });
  }

  /** After the chat: the survey when a librarian answered, else "You left the queue". */
  showAfter({ focus }) {
    const c = this.c;
    c.updateHeader();
    c.view.setEndable(false);
    c.view.setWaiting(false);
    c.view.setTranscriptEmail(c.session.chat.email); // "E-mail me the transcript" starts with it
    if (c.session.survey === "pending") {
      c.view.showSurvey();
      if (focus) c.view.focusAfter();
    } else {
      c.finish("left");
    }
  }

  async submitSurvey(answers) {
    const c = this.c;
    const session = c.session;
    if (!session) return;
    c.view.setSurveyBusy(true);
    c.view.setSurveyError("");
    try {
      await c.api.submitSurvey(session.chat.chat_id, session.chat.token, surveyBody(answers));
    } catch (err) {
      if (err.code !== "conflict") { // conflict: already submitted (another tab): thanks all the same
        c.view.setSurveyBusy(false);
        c.view.setSurveyError(c.errorText(err.code));
        return;
      }
    }
    c.finish("thanks");
  }
}
