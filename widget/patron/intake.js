// Before a chat: is anyone online for this queue (GET /api/status)? If so the question form,
// if not the offline screen with the library's other ways to get help; then POST /api/chats
// with the question. A status check that an older one overtakes, or that a chat makes moot,
// changes nothing. No DOM: the view draws the screens.

import { queueOnline } from "./api.js";

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
   */
  constructor({ config, t, view, api, inChat, errorText, onCreated }) {
    Object.assign(this, { config, t, view, api, inChat, errorText, onCreated });
    this.run = 0;
    this.queueId = config.queue; // only sent once the service says it knows the queue
    this.formDraft = null;
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
    const queues = Array.isArray(status.queues) ? status.queues : [];
    this.queueId = queues.some((q) => q && q.id === this.config.queue) ? this.config.queue : undefined;
    if (queueOnline(status, this.config.queue)) {
      view.setStatus(this.t("status.online"), "online");
      if (view.currentScreen() !== "form") view.showForm(this.formDraft || {});
      if (focus) view.focusForm();
    } else {
      view.setStatus(this.t("status.offline"), "offline");
      this.showOffline({ unavailable: false, focus });
    }
  }

  showOffline({ unavailable, focus }) {
    const c = this.config;
    this.view.showOffline({ email: c.offlineEmail, phone: c.offlinePhone, url: c.offlineUrl,
      message: c.offlineMessage, unavailable });
    if (focus) this.view.focusOffline();
  }

  /** The form's {question, name, email} (already checked by the view): start the chat. */
  async submit(values) {
    this.view.setFormBusy(true);
    this.view.setFormError("");
    let created;
    try {
      created = await this.api.createChat({ ...values, queue: this.queueId });
    } catch (err) {
      this.view.setFormBusy(false);
      this.view.setFormError(this.errorText(err.code));
      return;
    }
    this.formDraft = null;
    this.onCreated(created);
  }
}
