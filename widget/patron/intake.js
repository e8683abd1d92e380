// Before a chat: is this widget's desk open, and is anyone there to answer it (GET
// /api/status?queue=<desk>, docs/desks.md)? Someone online: the question form. Open but nobody
// online: the offline screen with the library's other ways to get help. Outside the desk's
// hours: the closed screen, saying when it opens next (in the patron's time and the
// library's), and a timer to look again at that moment. Then POST /api/chats with the question
// and the desk. A status check that an older one overtakes, or that a chat makes moot, changes
// nothing. While the form or the offline screen shows, the service's status pushes
// (status-watch.js, `service.status` with every desk's QueueStatus) switch between them on
// their own, and what the patron typed is kept for when the form comes back. The offline and
// closed screens also take a question to answer by e-mail (POST /api/tickets). No DOM: the
// view draws the screens.

import { chatWsUrl } from "./config.js";
import { StatusWatch } from "./status-watch.js";
import { deskMode, deskOf, opening, reopenDelay } from "./desk.js";
import { ticketErrorText } from "./tickets.js";

export class Intake {
  /**
   * @param {object} o
   * @param {object} o.config  queue, lang, offlineEmail, offlinePhone, offlineUrl, offlineMessage
   * @param {Function} o.t
   * @param {object} o.view  View: showLoading, showOffline, showForm, currentScreen, formValues, ...
   * @param {object} o.api   PatronApi: status(queue), createChat
   * @param {Function} o.inChat     () => a chat is on (a late status answer must not replace it)
   * @param {Function} o.errorText  (code) => text
   * @param {Function} o.onCreated  (created, {name, email}) => void: POST /api/chats answered
   *   {chat_id, token, ws_url}; the patron's name and e-mail as the form gave them
   * @param {Function} [o.createClient]  (options) => ProtocolClient, for the status watch
   * @param {Function} [o.now]     () => ms since the epoch
   * @param {object} [o.timers]    {setTimeout, clearTimeout}: the look again at the next opening
   * @param {string} [o.timeZone]  the patron's IANA zone (default: the browser's)
   */
  constructor({ config, t, view, api, inChat, errorText, onCreated, createClient, now, timers, timeZone }) {
    Object.assign(this, { config, t, view, api, inChat, errorText, onCreated });
    this.now = now || (() => Date.now());
    this.setTimeout = (timers && timers.setTimeout) || globalThis.setTimeout.bind(globalThis);
    this.clearTimeout = (timers && timers.clearTimeout) || globalThis.clearTimeout.bind(globalThis);
    this.timeZone = timeZone;
    this.run = 0;
    this.queueId = config.queue; // only sent once the service says it knows the desk
    this.deskId = config.queue; // the desk whose status counts (undefined: the service's first)
    this.formDraft = null;
    this.ticketSent = null; // the address the offline screen's question was sent from (docs/tickets.md)
    this.busy = false;
    this.unavailable = false; // the offline screen says the service could not be reached
    this.mode = null; // what the screen shows: online (form), offline or closed
    this.shownOpening = null; // the next_open the closed screen names
    this.reopenTimer = null;
    this.watch = createClient ? new StatusWatch({ createClient, onStatus: (status) => this.pushed(status) }) : null;
  }

  async checkStatus({ focus }) {
    if (this.inChat()) return;
    const run = ++this.run;
    const view = this.view;
    this.cancelReopen();
    if (view.currentScreen() === "form") {
      this.formDraft = view.formValues(); // kept if the form has to go away
    } else {
      this.keepTicketDraft();
      view.showLoading();
    }
    view.setStatus(this.t("status.checking"), "neutral");
    let status;
    try {
      status = await this.fetchStatus();
    } catch {
      if (run !== this.run || this.inChat()) return;
      view.setStatus(this.t("status.unavailable"), "offline");
      this.mode = "offline";
      this.showOffline({ unavailable: true, focus });
      return;
    }
    if (run !== this.run || this.inChat()) return;
    this.show(status, { focus });
    // The service names its WebSocket here when it can push the status (docs/protocol.md).
    if (this.watch && status && status.ws_url) this.watch.open(chatWsUrl(this.config, status.ws_url));
  }

  /**
   * The status of this widget's desk. A desk the service does not know (a typo in data-queue,
   * or a desk disabled since) answers 404: the widget then uses the service's default desk,
   * as it did before desks, rather than leave the patron with nothing.
   */
  async fetchStatus() {
    const queue = this.config.queue;
    if (!queue) return this.api.status();
    try {
      return await this.api.status(queue);
    } catch (err) {
      if (err && err.code === "not_found") return this.api.status();
      throw err;
    }
  }

  /** The form (someone can answer), the offline screen or the closed one, as `status` says. */
  show(status, { focus }) {
    const view = this.view;
    const queues = status && Array.isArray(status.queues) ? status.queues : [];
    const configured = this.config.queue;
    const known = Boolean(configured) && ((status && status.queue && status.queue.id === configured)
      || queues.some((q) => q && q.id === configured));
    this.queueId = known ? configured : undefined;
    this.deskId = this.queueId || (deskOf(status, undefined) || {}).id;
    view.setPrivacyLibrary((deskOf(status, this.deskId) || {}).library);
    const mode = deskMode(status, this.deskId);
    this.cancelReopen();
    this.keepTicketDraft();
    if (mode === "online") {
      view.setStatus(this.t("status.online"), "online");
      this.unavailable = false;
      this.ticketSent = null;
      this.mode = mode;
      if (view.currentScreen() !== "form") view.showForm(this.formDraft || {});
      if (focus) view.focusForm();
      return;
    }
    if (view.currentScreen() === "form") this.formDraft = view.formValues();
    this.mode = mode;
    if (mode === "closed") {
      const desk = deskOf(status, this.deskId);
      view.setStatus(this.t("status.closed"), "offline");
      this.shownOpening = desk.next_open || null;
      this.showOffline({ unavailable: false, focus, closed: {
        desk: desk.name || undefined,
        opening: opening(desk, { lang: this.t.lang, now: this.now(), timeZone: this.timeZone }) } });
      this.scheduleReopen(desk.next_open);
    } else {
      view.setStatus(this.t("status.offline"), "offline");
      this.showOffline({ unavailable: false, focus });
    }
  }

  /**
   * A status pushed by the service (or the watch's welcome). Only the form and the offline
   * screen follow it (a check under way, a chat or a question being sent are left alone); the
   * focus follows the screen only if it was on the screen that went away.
   */
  pushed(status) {
    const view = this.view;
    const screen = view.currentScreen();
    if (this.inChat() || this.busy || (screen !== "form" && screen !== "offline")) return;
    const mode = deskMode(status, this.deskId);
    const desk = deskOf(status, this.deskId);
    const same = mode === this.mode && !this.unavailable
      && (mode !== "closed" || (desk && (desk.next_open || null) === this.shownOpening));
    if (same) return; // as it is: nothing changes
    this.run += 1; // a status check still under way is older than this
    this.show(status, { focus: view.focusInBody() });
  }

  /** Outside hours: look again just after the desk opens (the service pushes no clock ticks). */
  scheduleReopen(nextOpen) {
    const delay = reopenDelay(nextOpen, this.now());
    if (delay === null) return;
    this.reopenTimer = this.setTimeout(() => {
      this.reopenTimer = null;
      if (this.inChat() || this.mode !== "closed") return;
      if (Date.parse(nextOpen) > this.now() + 1000) this.scheduleReopen(nextOpen); // beyond one timer's reach
      else this.checkStatus({ focus: this.view.focusInBody() });
    }, delay);
  }

  cancelReopen() {
    if (this.reopenTimer) this.clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
  }

  /** No more watching: a chat started, the panel closed (the status is checked again on opening). */
  stopWatching() {
    if (this.watch) this.watch.close();
    this.cancelReopen();
  }

  showOffline({ unavailable, focus, closed = null }) {
    const c = this.config;
    const draft = this.formDraft;
    this.unavailable = unavailable;
    const screen = { email: c.offlineEmail, phone: c.offlinePhone, url: c.offlineUrl,
      message: c.offlineMessage, unavailable, kept: Boolean(draft && draft.question && draft.question.trim()) };
    if (closed) screen.closed = closed;
    this.view.showOffline(screen);
    // Open but nobody there, or closed: the question can still be left, answered by e-mail.
    if (!unavailable) this.view.showTicketForm({ values: draft || {}, sent: this.ticketSent });
    if (focus) this.view.focusOffline();
  }

  /** What the offline screen's ticket form holds comes back in whichever form shows next. */
  keepTicketDraft() {
    if (this.view.currentScreen() !== "offline") return;
    const values = this.view.ticketValues();
    if (values && (values.question.trim() || values.name || values.email)) this.formDraft = values;
  }

  /**
   * The offline screen's "leave a question" form (already checked by the view): POST
   * /api/tickets for this widget's desk, then "Thanks, we'll e-mail you at …". A refusal
   * stays in the form with everything typed.
   */
  async submitTicket(values) {
    if (this.busy) return;
    const view = this.view;
    view.setTicketBusy(true);
    view.setTicketError("");
    this.busy = true;
    try {
      await this.api.createTicket({ ...values, queue: this.queueId });
    } catch (err) {
      view.setTicketBusy(false);
      view.setTicketError(ticketErrorText(this.t, err));
      return;
    } finally {
      this.busy = false;
    }
    this.formDraft = null;
    this.ticketSent = values.email;
    view.showTicketSent(values.email);
  }

  /** The form's {question, name, email} (already checked by the view): start the chat. */
  async submit(values) {
    this.view.setFormBusy(true);
    this.view.setFormError("");
    this.busy = true;
    let created;
    try {
      created = await this.api.createChat({ ...values, queue: this.queueId });
    } catch (err) {
      this.busy = false;
      this.view.setFormBusy(false);
      if (err.code === "invalid_state") {
        // The desk closed while the patron wrote: the closed screen says when it opens, and
        // what was written comes back with the form.
        this.formDraft = values;
        this.checkStatus({ focus: true });
        return;
      }
      this.view.setFormError(this.errorText(err.code));
      return;
    } finally {
      this.busy = false;
    }
    this.formDraft = null;
    this.stopWatching();
    this.onCreated(created, { name: values.name, email: values.email });
  }
}
