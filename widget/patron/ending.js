// The end of a patron's chat: the chat ended (live, or found ended on reconnect), the ended
// notice after whatever the backlog still brings, the socket let go, then the survey (when a
// librarian answered) or "You left the queue" (or, for a chat that became a ticket, tickets.js's
// "we'll answer you by e-mail"), and the survey sent once. It works on the
// controller's session, view and connection (controller.js hands itself over); no DOM here.

import { surveyBody } from "./api.js";

export class ChatEnding {
  /** @param {object} controller  the PatronController whose chat this is */
  constructor(controller) {
    this.c = controller;
  }

  /**
   * The chat ended (live, or found ended on reconnect): keep the transcript, offer the survey.
   * `reason` "ticket": it became an e-mail question (here or elsewhere, docs/tickets.md): no
   * survey, the view says the answer comes by e-mail. While this patron's own "E-mail me the
   * answer" is under way, its answer decides (tickets.js); the end waits for it.
   */
  async ended(endedBy, { catchUp, reason } = {}) {
    const c = this.c;
    const session = c.session;
    if (!session || session.endedHandled) return;
    if (c.tickets.pending === session) {
      session.endedLate = { endedBy, options: { catchUp, reason } };
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
    c.notice("ended", "ended", ticket ? { by: "ticket" } : { by: mine.ended_by, name: mine.operator && mine.operator.name },
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
