// The chat's connection: the shared protocol client for one session (built by the injected
// factory from the session's token, last seq and unsent messages, so `hello` resumes where the
// patron left off), the connection banner it drives, the patron's typing and presence sent
// over it, and the probe that asks REST whether a chat that cannot reconnect still exists (a
// refused handshake looks like any drop to a browser). No DOM: the view draws the banner.

import { PresenceReporter, TypingNotifier } from "./activity.js";
import { ConnectionProbe, GONE_STATUSES } from "./session.js";
import { AbandonWarning } from "./stay.js";

export class ChatConnection {
  /**
   * @param {object} o
   * @param {Function} o.createClient  (options) => ProtocolClient
   * @param {object} o.api   PatronApi: history(chatId, token, after)
   * @param {object} o.view  View: setConnection, setPending
   * @param {object} o.page  {offline()}
   * @param {Function} o.now  () => ms
   * @param {object} o.timers {setTimeout, clearTimeout}
   * @param {Function} o.onGone  () => void: the chat's token is refused or the chat is gone
   * @param {Function} [o.onState]  () => void: the connection's state changed (the header follows)
   * @param {number} [o.abandonAfter]  the service's ABANDON_AFTER_SECONDS (stay.js warns before it)
   * @param {Function} [o.onWarn]  () => void: that warning appeared
   */
  constructor({ createClient, api, view, page, now, timers, onGone, onState, abandonAfter, onWarn }) {
    Object.assign(this, { createClient, api, view, page });
    this.onState = onState || (() => {});
    this.client = null;
    this.session = null;
    this.probe = new ConnectionProbe({ ...timers, check: () => this.check(), onGone });
    const chatId = () => this.session.chat.chat_id;
    // The draft goes along as a preview only while the library shows previews (welcome.typing_preview).
    const previews = () => this.session.chat.typing_preview !== false;
    // Nothing goes out until the chat is claimed: the controller calls typing.setActive.
    this.typing = new TypingNotifier({ ...timers, now, previews: () => Boolean(this.session) && previews(),
      send: (typing, preview) => Boolean(this.client)
        && this.client.typing(chatId(), typing, typing && previews() ? preview : undefined) });
    this.stay = new AbandonWarning({ view, now, ...timers, abandonAfter, onWarn });
    this.presence = new PresenceReporter((state) => (this.isOpen ? this.client.presence(chatId(), state) : false));
  }

  /** Connect `session` at `url`; `on` maps the client's events (welcome, message, ...) to handlers. */
  open(session, url, on) {
    const { chat } = session;
    const client = this.createClient({
      url, token: chat.token, lastSeq: session.lastSeq, outbox: session.outbox,
      fetchHistory: (chatId, after) => this.api.history(chatId, chat.token, after),
    });
    this.client = client;
    this.session = session;
    client.on("state", ({ state }) => {
      this.view.setConnection(state, this.page.offline());
      this.probe.watch(state);
      this.stay.connectionChanged(state, this.session === session && chat.status === "queued");
      this.onState(state);
    });
    for (const [type, handler] of Object.entries(on)) client.on(type, handler);
    this.view.setPending(client.pending(chat.chat_id));
    client.connect();
  }

  /** For good: the chat ended, was left or is gone. */
  close() {
    if (this.client) this.client.disconnect();
    this.client = null;
    this.session = null;
    this.probe.stop();
    this.stay.stop();
  }

  /** "Stay connected" (stay.js): try again now rather than at the next backoff step. */
  stayConnected() {
    if (this.client) this.client.reconnectNow();
  }

  get isOpen() {
    return Boolean(this.client) && this.client.state === "open";
  }

  /** What `session` has not seen yet, read over REST ([] when that fails: what we have still shows). */
  async missed(session) {
    try {
      return await this.api.history(session.chat.chat_id, session.chat.token, session.transcript.lastSeq);
    } catch {
      return [];
    }
  }

  /** The probe's question to REST: is this chat still there? */
  async check() {
    const session = this.session;
    const stillDown = () => Boolean(session) && this.session === session && this.client.state !== "open";
    if (!stillDown()) return "done";
    try {
      await this.api.history(session.chat.chat_id, session.chat.token, session.transcript.lastSeq);
    } catch (err) {
      if (this.session === session && GONE_STATUSES.has(err.status)) return "gone";
    }
    return stillDown() ? "again" : "done";
  }
}
