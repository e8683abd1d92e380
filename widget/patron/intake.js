// Before a chat: is anyone online for this queue (GET /api/status)? If so the question form,
// if not the offline screen with the library's other ways to get help; then POST /api/chats
// with the question. A status check that an older one overtakes, or that a chat makes moot,
// changes nothing. While the form or the offline screen shows, the service's status pushes
// (status-watch.js) switch between them on their own: a librarian coming online brings the
// form, the last one leaving brings the offline screen, and what the patron typed is kept for
// when the form comes back. No DOM: the view draws the screens.

import { queueOnline } from "./api.js";
import { chatWsUrl } from "./config.js";
import { StatusWatch } from "./status-watch.js";

export class Intake {
  /**
   * @param {object} o
   * @param {object} o.config  queue, offlineEmail, offlinePhone, offlineUrl, offlineMessage
   * @param {Function} o.t
   * @param {object} o.view  View: showLoading, showOffline, showForm, currentScreen, formValues, ...
   * @param {object} o.api   PatronApi: status, createChat
   * @param {Function} o.inChat     () => a chat is on (a late status answer must not replace it)
   * @param {Function} o.errorText  (code) => text
   * @param {Function} o.onCreated  (created) => void: POST /api/chats answered {chat_id, token, ws_url}
   * @param {Function} [o.createClient]  (options) => ProtocolClient, for the status watch
   */
  constructor({ config, t, view, api, inChat, errorText, onCreated, createClient }) {
    Object.assign(this, { config, t, view, api, inChat, errorText, onCreated });
    this.run = 0;
    this.queueId = config.queue; // only sent once the service says it knows the queue
    this.formDraft = null;
    this.busy = false;
    this.unavailable = false; // the offline screen says the service could not be reached
    this.watch = createClient ? new StatusWatch({ createClient, onStatus: (status) => this.pushed(status) }) : null;
  }

  async checkStatus({ focus }) {
    if (this.inChat()) return;
    const run = ++this.run;
    const view = this.view;
    if (view.currentScreen() === "form") this.formDraft = view.formValues(); // kept if the form has to go away
    else view.showLoading();
    view.setStatus(this.t("status.checking"), "neutral");
    let status;
    try {
      status = await this.api.status();
    } catch {
      if (run !== this.run || this.inChat()) return;
      view.setStatus(this.t("status.unavailable"), "offline");
      this.showOffline({ unavailable: true, focus });
      return;
    }
    if (run !== this.run || this.inChat()) return;
    this.show(status, { focus });
    // The service names its WebSocket here when it can push the status (docs/protocol.md).
    if (this.watch && status && status.ws_url) this.watch.open(chatWsUrl(this.config, status.ws_url));
  }

  /** The form (someone can answer) or the offline screen, as `status` says. */
  show(status, { focus }) {
    const view = this.view;
    const queues = Array.isArray(status.queues) ? status.queues : [];
    this.queueId = queues.some((q) => q && q.id === this.config.queue) ? this.config.queue : undefined;
    if (queueOnline(status, this.config.queue)) {
      view.setStatus(this.t("status.online"), "online");
      this.unavailable = false;
      if (view.currentScreen() !== "form") view.showForm(this.formDraft || {});
      if (focus) view.focusForm();
    } else {
      view.setStatus(this.t("status.offline"), "offline");
      if (view.currentScreen() === "form") this.formDraft = view.formValues();
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
    const online = queueOnline(status, this.config.queue);
    if (online === (screen === "form") && !this.unavailable) return; // as it is: nothing changes
    this.run += 1; // a status check still under way is older than this
    this.show(status, { focus: view.focusInBody() });
  }

  /** No more watching: a chat started, the panel closed. */
  stopWatching() {
    if (this.watch) this.watch.close();
  }

  showOffline({ unavailable, focus }) {
    const c = this.config;
    const draft = this.formDraft;
    this.unavailable = unavailable;
    this.view.showOffline({ email: c.offlineEmail, phone: c.offlinePhone, url: c.offlineUrl,
      message: c.offlineMessage, unavailable, kept: Boolean(draft && draft.question && draft.question.trim()) });
    if (focus) this.view.focusOffline();
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
      this.view.setFormBusy(false);
      this.view.setFormError(this.errorText(err.code));
      return;
    } finally {
      this.busy = false;
    }
    this.formDraft = null;
    this.stopWatching();
    this.onCreated(created);
  }
}
