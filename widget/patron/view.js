// The widget's DOM, and nothing else: the controller (controller.js) decides what happens, the
// view draws it and reports what the patron did through `handlers`. Every patron and librarian
// string is set as text (text nodes / textContent); there is no innerHTML anywhere in the widget.
//
// Regions: header (title, status line, End chat, Minimize), a connection banner (role=status),
// the body (one screen: loading, offline, the question form (view-form.js), conversation, gone)
// and, in a conversation, the composer (view-composer.js). The conversation keeps its log
// (view-log.js; role=log, aria-live=polite) on screen after the chat ends, so the patron can
// still read and download the answer; the survey and closing cards (view-after.js) follow it.

import { h } from "../js/dom.js";
import { icon } from "../js/icons.js";
import { ChatLog } from "./view-log.js";
import { Composer } from "./view-composer.js";
import { closingCard, surveyCard } from "./view-after.js";
import { QuestionForm } from "./view-form.js";
import { alternativeLinks, closedIntro } from "./view-offline.js";
import { ticketViewMethods } from "./view-tickets.js";
import { stayViewMethods } from "./view-stay.js";

const NEAR_BOTTOM = 80;
let uid = 0;

function id(prefix) {
  uid += 1;
  return `lc-${prefix}-${uid}`;
}

export class View {
  /**
   * @param {HTMLElement} root
   * @param {Function} t  translator (i18n.js)
   * @param {object} o  {mode}: floating (a Minimize button), inline or page
   */
  constructor(root, t, { mode }) {
    this.root = root;
    this.doc = root.ownerDocument;
    this.t = t;
    this.mode = mode;
    this.handlers = {}; // filled by setHandlers; the parts below hold this same object
    const timeFormat = new Intl.DateTimeFormat(t.lang, { hour: "numeric", minute: "2-digit" });
    this.formatTime = (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? "" : timeFormat.format(date);
    };
    this.composer = null;
    this.chatLog = null;
    const html = this.doc.documentElement;
    html.lang = t.lang;
    html.classList.add(`lc-mode-${mode}`);
    this.doc.title = t("app.title");
    this.build();
  }

  /** What the patron's actions mean (onSend, onSubmitQuestion, onSurvey, ...): the controller's. */
  setHandlers(handlers) {
    Object.assign(this.handlers, handlers);
  }

  // --------------------------------------------------------------- skeleton

  build() {
    const t = this.t;
    this.titleEl = h("h1", { class: "lc-title", text: t("app.title") });
    this.statusDot = h("span", { class: "lc-dot", "aria-hidden": "true" });
    this.statusText = h("span", { class: "lc-status-text", text: t("status.checking") });
    this.statusLine = h("p", { class: "lc-status" }, this.statusDot, this.statusText);
    this.endButton = h("button", {
      type: "button", class: "lc-btn lc-btn--header", hidden: true,
      onclick: () => this.openConfirm(),
    }, t("header.end"));
    const actions = h("div", { class: "lc-header-actions" }, this.endButton);
    if (this.mode === "floating") {
      this.minimizeButton = h("button", {
        type: "button", class: "lc-iconbtn", "aria-label": t("header.minimize"), title: t("header.minimize"),
        onclick: () => this.handlers.onMinimize(),
      }, icon("minimize"));
      actions.appendChild(this.minimizeButton);
    }
    this.header = h("header", { class: "lc-header" },
      h("div", { class: "lc-brand", "aria-hidden": "true" }, icon("book", "lc-icon lc-brand-icon")),
      h("div", { class: "lc-header-text" }, this.titleEl, this.statusLine),
      actions);

    this.bannerTitle = h("strong", { class: "lc-banner-title" });
    this.bannerDetail = h("span", { class: "lc-banner-detail" });
    this.banner = h("div", { class: "lc-banner", role: "status" }, this.bannerTitle, this.bannerDetail);

    this.body = h("main", { class: "lc-body", id: "lc-main" });
    this.footer = h("div", { class: "lc-footer" });
    this.dialog = this.buildDialog();
    this.app = h("div", { class: "lc-app" }, this.header, this.banner, this.body, this.footer, this.dialog);
    this.root.replaceChildren(this.app);
    this.doc.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || event.defaultPrevented || this.dialog.open) return;
      this.handlers.onEscape();
    });
  }

  buildDialog() {
    const t = this.t;
    const titleId = id("confirm-title");
    const descId = id("confirm-desc");
    this.confirmYes = h("button", { type: "button", class: "lc-btn lc-btn--danger", onclick: () => {
      this.dialog.close();
      this.handlers.onEndConfirmed();
    } }, t("confirm.yes"));
    const no = h("button", { type: "button", class: "lc-btn lc-btn--secondary", onclick: () => this.dialog.close() },
      t("confirm.no"));
    return h("dialog", { class: "lc-dialog", "aria-labelledby": titleId, "aria-describedby": descId },
      h("h2", { class: "lc-dialog-title", id: titleId, text: t("confirm.question") }),
      h("p", { class: "lc-dialog-text", id: descId, text: t("confirm.detail") }),
      h("div", { class: "lc-actions" }, this.confirmYes, no));
  }

  openConfirm() {
    if (this.dialog.open) return;
    this.dialog.showModal();
    this.confirmYes.focus();
  }

  closeConfirm() {
    if (this.dialog.open) this.dialog.close();
  }

  /** The status line under the title; `tone` colours its dot (online, offline, waiting, active, ended). */
  setStatus(text, tone = "neutral") {
    this.statusText.textContent = text;
    this.statusLine.dataset.tone = tone;
  }

  setEndable(endable) {
    this.endButton.hidden = !endable;
    if (!endable) this.closeConfirm();
  }

  /** Connection banner: shown while (re)connecting; `detail` explains what happens to new messages. */
  setConnection(state, offline) {
    const t = this.t;
    const show = state === "reconnecting" || (state === "connecting" && offline);
    this.banner.classList.toggle("lc-banner--shown", show);
    this.bannerTitle.textContent = show ? t(state === "connecting" ? "conn.connecting" : "conn.reconnecting") : "";
    this.bannerDetail.textContent = show ? t(offline ? "conn.offlineDetail" : "conn.detail") : "";
  }

  setScreen(name) {
    this.app.dataset.screen = name;
    this.doc.documentElement.dataset.screen = name;
    // In a chat the body scrolls a transcript with nothing focusable in it (until a link or a
    // file arrives): keyboard users reach it with Tab to scroll it (axe scrollable-region-focusable).
    if (name === "chat") {
      this.body.setAttribute("tabindex", "0");
      this.body.setAttribute("aria-label", this.t("conversation.label"));
    } else {
      this.body.removeAttribute("tabindex");
      this.body.removeAttribute("aria-label");
    }
  }

  /** Is the focus on the screen in the body (not in the header, nor outside the frame)? */
  focusInBody() {
    const active = this.doc.activeElement;
    return Boolean(active) && active !== this.body && this.body.contains(active);
  }

  /** The screen on show: loading, offline, form, chat or gone. */
  currentScreen() {
    return this.app.dataset.screen;
  }

  clearFooter() {
    if (this.composer) this.composer.dispose();
    this.footer.replaceChildren();
    this.composer = null;
  }

  /** An inline widget reports its height so the host page can size the frame. */
  observeHeight(report) {
    const win = this.doc.defaultView;
    if (!win || !("ResizeObserver" in win)) return;
    new win.ResizeObserver(() => report(Math.ceil(this.app.getBoundingClientRect().height))).observe(this.app);
  }

  // ---------------------------------------------------------------- screens

  showLoading() {
    this.setScreen("loading");
    this.clearFooter();
    this.body.replaceChildren(h("div", { class: "lc-screen lc-loading" },
      h("span", { class: "lc-spinner", "aria-hidden": "true" }),
      h("p", { text: this.t("loading") })));
  }

  /**
   * Nobody online (or the service unreachable, or the desk closed): say so and list the other
   * ways to get help. `closed` ({desk?, opening?: {key, vars, library?: {key, vars}}}, desk.js):
   * outside the desk's hours, with when it opens next in the patron's time and the library's.
   */
  showOffline({ email, phone, url, message, unavailable = false, kept = false, closed = null }) {
    const t = this.t;
    this.setScreen("offline");
    this.clearFooter();
    const headingId = id("offline");
    const alternatives = alternativeLinks(t, { email, phone, url });
    let headingText = t(unavailable ? "unavailable.heading" : "offline.heading");
    let intro;
    if (unavailable) {
      intro = [h("p", { text: t("unavailable.body") }), alternatives.length ? h("p", { text: t("unavailable.alternatives") }) : null];
    } else if (closed) {
      headingText = closed.desk ? t("closed.headingDesk", { desk: closed.desk }) : t("closed.heading");
      intro = closedIntro(t, closed, message, alternatives.length > 0);
    } else {
      intro = [h("p", { text: message || t(alternatives.length ? "offline.body" : "offline.none") })];
    }
    this.offlineHeading = h("h2", { id: headingId, class: "lc-heading", tabindex: "-1", text: headingText });
    this.body.replaceChildren(h("section", { class: `lc-screen lc-offline${closed && !unavailable ? " lc-closed" : ""}`,
      "aria-labelledby": headingId },
      h("div", { class: "lc-illus", "aria-hidden": "true" }, icon(unavailable ? "cloudOff" : "moon", "lc-icon lc-illus-icon")),
      this.offlineHeading,
      ...intro,
      alternatives.length ? h("ul", { class: "lc-alts" }, alternatives) : null,
      kept ? h("p", { class: "lc-kept", text: t(closed && !unavailable ? "closed.kept" : "offline.kept") }) : null,
      h("button", { type: "button", class: "lc-btn lc-btn--secondary lc-retry", onclick: () => this.handlers.onRetryStatus() },
        icon("refresh"), t("offline.retry"))));
  }

  /** The question form, filled with `values` (kept when the form had to go away). */
  showForm(values = {}) {
    this.setScreen("form");
    this.clearFooter();
    this.questionForm = new QuestionForm(this.t, this.handlers, id("form"), values, this.privacyHref);
    this.body.replaceChildren(this.questionForm.section);
  }

  formValues() {
    return this.questionForm ? this.questionForm.values() : {};
  }

  setFormBusy(busy) {
    if (this.questionForm) this.questionForm.setBusy(busy);
  }

  setFormError(text) {
    if (this.questionForm) this.questionForm.setError(text);
  }

  focusForm() {
    if (this.questionForm) this.questionForm.focus();
  }

  focusOffline() {
    if (this.offlineHeading) this.offlineHeading.focus();
  }

  /** A chat that can no longer be opened (expired, or its token refused). */
  showGone() {
    const t = this.t;
    this.setScreen("gone");
    this.clearFooter();
    const headingId = id("gone");
    this.goneHeading = h("h2", { class: "lc-heading", id: headingId, tabindex: "-1", text: t("gone.heading") });
    this.body.replaceChildren(h("section", { class: "lc-screen", "aria-labelledby": headingId },
      this.goneHeading,
      h("p", { text: t("gone.body") }),
      h("button", { type: "button", class: "lc-btn lc-btn--primary", onclick: () => this.handlers.onNewChat() },
        t("action.newChat"))));
  }

  // ----------------------------------------------------------- conversation

  showConversation() {
    this.setScreen("chat");
    this.chatLog = new ChatLog({ t: this.t, formatTime: this.formatTime, handlers: this.handlers,
      scroll: { nearBottom: () => this.nearBottom(), toBottom: () => this.scrollToBottom() } });
    this.waiting = h("div", { class: "lc-waiting-slot", role: "status" });
    // The place in line: its own polite live region, there (empty, no height) from the start so
    // that screen readers announce each change of it, and only the line, not the whole card.
    this.line = h("p", { class: "lc-line", "aria-live": "polite", "aria-atomic": "true" });
    this.after = h("div", { class: "lc-after-slot" });
    this.body.replaceChildren(h("div", { class: "lc-conversation" },
      this.chatLog.element, this.chatLog.pendingList, this.waiting, this.line, this.after));
    this.composer = new Composer(this.t, this.handlers);
    this.footer.replaceChildren(this.composer.form);
  }

  /** While a file uploads: say so (a status line) and hold the paperclip. */
  setUploading(text) {
    if (this.composer) this.composer.setUploading(text);
  }

  /** Files chosen, pasted or dropped, offered to Upload or Cancel ({file, name, size, image}); [] clears. */
  setPendingFiles(files, { focus = false } = {}) {
    if (this.composer) this.composer.setOffer(files, { focus });
  }

  /** "Librarians can see what you type before you send it." while the library shows previews. */
  setPreviewNote(on) {
    if (this.composer) this.composer.setPreviewNote(Boolean(on));
  }

  /** The draft as a file's caption (undefined when blank); the box is emptied. */
  takeDraft() {
    return this.composer ? this.composer.takeDraft() : undefined;
  }

  /** A refused message goes back into an empty text box. */
  setDraft(text) {
    if (this.composer) this.composer.restoreDraft(text);
  }

  focusComposer() {
    if (this.composer) this.composer.focus();
  }

  showComposerError(text) {
    if (this.composer) this.composer.showError(text);
  }

  /** The librarian's name while they type; null hides the notice. */
  setTyping(name) {
    if (this.composer) this.composer.setTyping(name ? this.t("typing", { name }) : null);
  }

  nearBottom() {
    const el = this.body;
    return el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
  }

  scrollToBottom() {
    this.body.scrollTop = this.body.scrollHeight;
  }

  /** Replace the whole log (after a reload, from the saved transcript). */
  renderTranscript(items) {
    this.chatLog.render(items);
  }

  appendItem(item) {
    this.chatLog.append(item);
  }

  /** Own messages not yet stored by the service: shown after the log as "Sending…". */
  setPending(items) {
    if (this.chatLog) this.chatLog.setPending(items);
  }

  setWaiting(waiting) {
    if (!this.waiting) return;
    if (!waiting) {
      this.waiting.replaceChildren();
      return;
    }
    if (this.waiting.firstChild) return;
    this.waiting.replaceChildren(h("div", { class: "lc-waiting" },
      h("span", { class: "lc-pulse", "aria-hidden": "true" }),
      h("div", {},
        h("p", { class: "lc-waiting-title", text: this.t("waiting.title") }),
        h("p", { class: "lc-waiting-body", text: this.t("waiting.body") }))));
  }

  /** "You are number 2 in line. Expected wait: about 3 minutes."; null or "" clears it. */
  setLine(text) {
    if (!this.line) return;
    const value = text || "";
    if (this.line.textContent === value) return;
    this.line.textContent = value;
  }

  // ------------------------------------------------------------- after chat

  /** The chat ended: the composer goes, the transcript stays, the survey follows it. */
  showSurvey({ busy = false } = {}) {
    this.clearFooter();
    const card = surveyCard(this.t, this.handlers, id("survey"), this.transcriptTools());
    this.afterHeading = card.heading;
    this.survey = card;
    this.after.replaceChildren(card.section);
    this.setSurveyBusy(busy);
  }

  setSurveyBusy(busy) {
    if (!this.survey) return;
    this.survey.submit.disabled = busy;
    this.survey.skip.disabled = busy;
    this.survey.submit.textContent = this.t(busy ? "survey.submitting" : "survey.submit");
  }

  setSurveyError(text) {
    if (this.survey) this.survey.error.textContent = text || "";
  }

  /** After the survey (or without one): thanks, and a way to start over. */
  showClosing(kind) {
    this.clearFooter();
    const card = closingCard(this.t, this.handlers, kind, id("after"), this.transcriptTools());
    this.afterHeading = card.heading;
    this.after.replaceChildren(card.section);
  }

  focusAfter() {
    if (!this.afterHeading) return;
    this.afterHeading.scrollIntoView({ block: "start" });
    this.afterHeading.focus();
  }

  focusGone() {
    if (this.goneHeading) this.goneHeading.focus();
  }

  // ---------------------------------------------------------- browser chores

  /** "Download transcript": the text as a file the browser saves. */
  saveFile(filename, text) {
    const win = this.doc.defaultView;
    const blob = new win.Blob([text], { type: "text/plain;charset=utf-8" });
    const link = h("a", { href: win.URL.createObjectURL(blob), download: filename });
    this.doc.body.appendChild(link);
    link.click();
    link.remove();
    win.setTimeout(() => win.URL.revokeObjectURL(link.href), 10000);
  }

  /**
   * A tab for a file, opened at once (still inside the click) and pointed at the file when its
   * link arrives: a window opened after an await may be blocked as a pop-up.
   */
  openTab() {
    const win = this.doc.defaultView;
    const tab = win.open("", "_blank");
    if (tab) tab.opener = null;
    return {
      show: (url) => {
        if (tab) tab.location.href = url;
        else win.open(url, "_blank", "noopener");
      },
      close: () => {
        if (tab) tab.close();
      },
    };
  }
}

// The ticket form, the waiting chat's offer and the transcript tools (view-tickets.js).
Object.assign(View.prototype, ticketViewMethods, stayViewMethods); // + "Are you still there?" (view-stay.js)
