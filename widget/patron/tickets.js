// The chat's ways to e-mail (docs/tickets.md), no DOM: the offer made to a patron still waiting
// (the service's `chat.ticket_offer` frame) or whose chat could not reconnect for
// RECONNECT_OFFER_MS, "E-mail me the answer" (POST /api/chats/{id}/ticket with the patron's
// token: the chat ends, its conversation carried into the ticket) and "Keep waiting", the end
// of the chat view once it is a ticket, and after a chat "E-mail me the transcript" (POST
// /api/chats/{id}/transcript) and Print. It works on the controller's session, view, api and
// connection (controller.js hands itself over), as ending.js does.

import { errorKey, isEnded } from "./session.js";

/** Reconnecting this long without success counts as "could not reconnect": the offer is made. */
export const RECONNECT_OFFER_MS = 60000;

/**
 * The text of a refused ticket or transcript request: a refusal's own words when the service
 * gave them. `offer`: a chat that can no longer become a ticket (claimed or ended meanwhile).
 */
export function ticketErrorText(t, err, { offer = false } = {}) {
  const code = err && err.code;
  if (offer && code === "invalid_state") return t("offer.invalidState");
  if (code === "mail_failed") return t("ticket.mailFailed");
  if (code === "unavailable") return t("ticket.mailUnavailable");
  if ((code === "bad_request" || code === "too_large") && err.message && err.message !== code && err.status) {
    return t("ticket.refused", { message: err.message });
  }
  return t(errorKey(code));
}

export class ChatTickets {
  /** @param {object} controller  the PatronController whose chat this is */
  constructor(controller) {
    this.c = controller;
    this.offered = null; // the reason of the offer on screen: "waiting" | "reconnect" | null
    this.pending = null; // the session whose "E-mail me the answer" is under way
    this.reconnectTimer = null;
    this.outage = false; // this outage's offer was made (once per outage)
    this.mailing = false;
  }

  /** What the patron's ticket actions mean (merged into the controller's intents). */
  intents() {
    const c = this.c;
    return {
      onSubmitTicket: (values) => c.intake.submitTicket(values),
      onAcceptOffer: ({ email }) => this.accept(email),
      onKeepWaiting: () => this.keepWaiting(),
      onEmailTranscript: (email) => this.emailTranscript(email),
      onPrint: () => c.view.printTranscript(),
      onDeleteChat: () => this.deleteChat(),
    };
  }

  /**
   * The offer, if the chat on screen can still take it: not over, not already becoming a
   * ticket, and (for the service's "nobody has picked this up") still waiting.
   */
  offer(reason) {
    const session = this.c.session;
    if (!session || isEnded(session.chat) || this.pending) return false;
    if (reason === "waiting" && session.chat.status !== "queued") return false;
    this.offered = reason;
    this.c.view.showTicketOffer({ reason, email: session.chat.email || "" });
    return true;
  }

  /** `chat.ticket_offer` (sent once, TICKET_OFFER_SECONDS after the chat was asked). */
  offerFrame() {
    this.offer("waiting");
  }

  /** The welcome of a (re)connection: the service offered before (`ticket_offered`), say so again
   * unless the patron chose to keep waiting. */
  welcome(chat) {
    const session = this.c.session;
    if (chat && chat.ticket_offered === true && session && !session.chat.offer_declined && !this.offered) {
      this.offer("waiting");
    }
  }

  /** A librarian took the chat: "nobody has picked this up" is no longer true. */
  claimed() {
    if (this.offered === "waiting" && !this.pending) this.hide();
  }

  hide() {
    this.offered = null;
    this.c.view.hideTicketOffer();
  }

  keepWaiting() {
    if (this.pending) return;
    const session = this.c.session;
    if (session && this.offered === "waiting") {
      session.chat.offer_declined = true; // a reload does not ask again
      this.c.persist();
    }
    this.hide();
    this.c.view.focusComposer();
  }

  /**
   * The protocol client's state: reconnecting for RECONNECT_OFFER_MS makes the offer (once an
   * outage); the connection back hides an offer made for it.
   */
  connectionChanged(state) {
    const c = this.c;
    if (state === "open" || state === "closed") {
      if (this.reconnectTimer) c.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      this.outage = false;
      if (state === "open" && this.offered === "reconnect" && !this.pending) this.hide();
      return;
    }
    if (state !== "reconnecting" || this.reconnectTimer || this.outage) return;
    this.reconnectTimer = c.setTimeout(() => {
      this.reconnectTimer = null;
      if (!c.client || c.client.state === "open") return;
      this.outage = true;
      if (this.offered !== "waiting") this.offer("reconnect");
    }, RECONNECT_OFFER_MS);
  }

  /** "E-mail me the answer": the chat becomes a ticket, then the chat view ends. */
  async accept(email) {
    const c = this.c;
    const session = c.session;
    if (!session || this.pending || isEnded(session.chat)) return;
    this.pending = session;
    session.chat.email = email;
    c.persist();
    c.view.setOfferBusy(true);
    c.view.setOfferError("");
    try {
      await c.api.chatTicket(session.chat.chat_id, session.chat.token, { email, name: session.chat.name });
    } catch (err) {
      this.pending = null;
      if (c.session !== session) return;
      c.view.setOfferBusy(false);
      c.view.setOfferError(ticketErrorText(c.t, err, { offer: true }));
      const late = session.endedLate; // the chat ended meanwhile, for another reason
      session.endedLate = null;
      if (late) c.ended(late.endedBy, late.options);
      return;
    }
    this.pending = null;
    if (c.session !== session) return;
    session.endedHandled = true; // its chat.ended (reason "ticket") changes nothing now
    const mine = session.chat;
    mine.status = "ended";
    mine.ended_by = mine.ended_by || "system";
    c.showLibrarianTyping(false);
    c.chatState();
    c.notice("ended", "ended", { by: "ticket" }, { final: true });
    c.connection.close();
    c.view.setConnection("closed", false);
    c.view.setPending([]);
    this.done(session, email);
  }

  /**
   * The chat is a ticket (made here, `email` the address; or elsewhere, `email` null): the
   * session is forgotten like any finished chat, the view says the answer comes by e-mail.
   */
  done(session, email) {
    const c = this.c;
    this.offered = null;
    c.view.setEndable(false);
    c.view.setWaiting(false);
    c.finished = { transcript: session.transcript };
    c.lastChat = { chat: session.chat };
    c.forgetSession();
    c.view.setStatus(c.t("status.ended"), "ended");
    c.view.showTicketDone(email);
    if (c.seen) c.view.focusAfter();
  }

  /** "E-mail me the transcript": the chat on screen (or the one just finished) to `email`. */
  async emailTranscript(email) {
    const c = this.c;
    const chat = (c.session || c.lastChat || {}).chat;
    if (!chat || this.mailing) return;
    this.mailing = true;
    c.view.setTranscriptEmail(email);
    c.view.setTranscriptBusy(true);
    try {
      await c.api.emailTranscript(chat.chat_id, chat.token, email);
      c.view.setTranscriptResult({ ok: true, text: c.t("transcript.sent", { email }) });
    } catch (err) {
      c.view.setTranscriptResult({ ok: false, text: ticketErrorText(c.t, err) });
    } finally {
      this.mailing = false;
      c.view.setTranscriptBusy(false);
    }
  }

  /** "Delete this chat" (confirmed in the view): the chat on screen, everywhere, now. */
  async deleteChat() {
    const c = this.c;
    const chat = (c.session || c.lastChat || {}).chat;
    if (!chat || this.deleting) return;
    this.deleting = true;
    try {
      await c.api.deleteChat(chat.chat_id, chat.token);
    } catch (err) {
      c.view.setDeleteResult({ ok: false, text: ticketErrorText(c.t, err) });
      return;
    } finally {
      this.deleting = false;
    }
    c.leave();
    c.lastChat = null;
    c.view.showDeleted();
    if (c.seen) c.view.focusAfter();
  }
}
