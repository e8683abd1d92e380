// The widget's DOM, and nothing else: main.js decides what happens, the view draws it and
// reports what the patron did through `handlers`. Every patron and librarian string is set as
// text (text nodes / textContent); there is no innerHTML anywhere in the widget.
//
// Regions: header (title, status line, End chat, Minimize), a connection banner (role=status),
// the body (one screen: loading, offline, form, conversation, gone) and, in a conversation,
// the composer. The conversation keeps its log (role=log, aria-live=polite) on screen after
// the chat ends, so the patron can still read and download the answer.

import { icon } from "./icons.js";
import { continuesRun, formatSize, linkify, noticeText, speaker } from "./transcript.js";
import { ACCEPT, isImage } from "./files.js";

const MAX_TEXT = 4000;
const NEAR_BOTTOM = 80;
let uid = 0;

/** createElement with attributes and children; strings become text nodes, never markup. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "hidden") el.hidden = Boolean(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

function id(prefix) {
  uid += 1;
  return `lc-${prefix}-${uid}`;
}

function initials(name) {
  const parts = String(name || "").trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || "?").slice(0, 2);
  return letters.toUpperCase();
}

export class View {
  /**
   * @param {HTMLElement} root
   * @param {Function} t  translator (i18n.js)
   * @param {object} o  {mode, formatTime, handlers}
   */
  constructor(root, t, { mode, formatTime, handlers }) {
    this.root = root;
    this.t = t;
    this.mode = mode;
    this.formatTime = formatTime;
    this.handlers = handlers;
    this.lastItem = null;
    this.build();
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
    this.root.ownerDocument.addEventListener("keydown", (event) => {
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
    this.root.ownerDocument.documentElement.dataset.screen = name;
  }

  clearFooter() {
    this.footer.replaceChildren();
    this.composer = null;
  }

  // ---------------------------------------------------------------- screens

  showLoading() {
    this.setScreen("loading");
    this.clearFooter();
    this.body.replaceChildren(h("div", { class: "lc-screen lc-loading" },
      h("span", { class: "lc-spinner", "aria-hidden": "true" }),
      h("p", { text: this.t("loading") })));
  }

  /** Nobody online (or the service unreachable): say so and list the other ways to get help. */
  showOffline({ email, phone, url, message, unavailable = false }) {
    const t = this.t;
    this.setScreen("offline");
    this.clearFooter();
    const headingId = id("offline");
    const alternatives = [];
    if (email) {
      alternatives.push(h("li", {}, h("a", { class: "lc-alt", href: `mailto:${email}` },
        icon("mail"), h("span", { text: t("offline.email", { email }) }))));
    }
    if (phone) {
      alternatives.push(h("li", {}, h("a", { class: "lc-alt", href: `tel:${phone.replace(/[^\d+]/g, "")}` },
        icon("phone"), h("span", { text: t("offline.phone", { phone }) }))));
    }
    if (url) {
      alternatives.push(h("li", {}, h("a", { class: "lc-alt", href: url, target: "_blank", rel: "noopener" },
        icon("link"), h("span", { text: t("offline.url") }))));
    }
    this.offlineHeading = h("h2", { id: headingId, class: "lc-heading", tabindex: "-1",
      text: t(unavailable ? "unavailable.heading" : "offline.heading") });
    const intro = unavailable
      ? [h("p", { text: t("unavailable.body") }), alternatives.length ? h("p", { text: t("unavailable.alternatives") }) : null]
      : [h("p", { text: message || t(alternatives.length ? "offline.body" : "offline.none") })];
    this.body.replaceChildren(h("section", { class: "lc-screen lc-offline", "aria-labelledby": headingId },
      h("div", { class: "lc-illus", "aria-hidden": "true" }, icon(unavailable ? "cloudOff" : "moon", "lc-icon lc-illus-icon")),
      this.offlineHeading,
      ...intro,
      alternatives.length ? h("ul", { class: "lc-alts" }, alternatives) : null,
      h("button", { type: "button", class: "lc-btn lc-btn--secondary lc-retry", onclick: () => this.handlers.onRetryStatus() },
        icon("refresh"), t("offline.retry"))));
  }

  showForm(values = {}) {
    const t = this.t;
    this.setScreen("form");
    this.clearFooter();
    const f = {};
    const field = (key, labelKey, control, { required = false, hint } = {}) => {
      const fieldId = `lc-${key}`;
      const errorId = `${fieldId}-error`;
      const hintId = hint ? `${fieldId}-hint` : null;
      control.id = fieldId;
      control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
      f[key] = control;
      f[`${key}Error`] = h("p", { class: "lc-field-error", id: errorId });
      return h("div", { class: "lc-field" },
        h("label", { for: fieldId, class: "lc-label" }, t(labelKey), " ",
          h("span", { class: "lc-label-note", text: t(required ? "form.required" : "form.optional") })),
        hint ? h("p", { class: "lc-hint", id: hintId, text: hint }) : null,
        control, f[`${key}Error`]);
    };
    const question = h("textarea", { class: "lc-input lc-textarea", rows: "4", maxlength: String(MAX_TEXT),
      "aria-required": "true", autocomplete: "off" });
    question.value = values.question || "";
    const name = h("input", { class: "lc-input", type: "text", maxlength: "100", autocomplete: "name" });
    name.value = values.name || "";
    const email = h("input", { class: "lc-input", type: "email", maxlength: "254", autocomplete: "email",
      inputmode: "email", spellcheck: "false" });
    email.value = values.email || "";
    this.formSubmit = h("button", { type: "submit", class: "lc-btn lc-btn--primary lc-btn--block" }, t("form.submit"));
    this.formError = h("p", { class: "lc-error", role: "alert" });
    const headingId = id("form");
    this.form = h("form", { class: "lc-form", novalidate: true, "aria-labelledby": headingId, onsubmit: (event) => {
      event.preventDefault();
      this.submitForm();
    } },
    field("question", "form.question", question, { required: true }),
    field("name", "form.name", name),
    field("email", "form.email", email, { hint: t("form.emailHint") }),
    this.formError,
    this.formSubmit,
    h("p", { class: "lc-fineprint", text: t("form.privacy") }));
    this.formFields = f;
    this.body.replaceChildren(h("section", { class: "lc-screen lc-start" },
      h("h2", { class: "lc-heading", id: headingId, text: t("form.heading") }),
      h("p", { class: "lc-lead", text: t("form.intro") }),
      this.form));
  }

  formValues() {
    const f = this.formFields;
    return { question: f.question.value, name: f.name.value.trim(), email: f.email.value.trim() };
  }

  submitForm() {
    if (this.formBusy) return;
    const values = this.formValues();
    const errors = {};
    if (!values.question.trim()) errors.question = this.t("form.questionRequired");
    if (values.email && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(values.email)) errors.email = this.t("form.emailInvalid");
    this.setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    this.handlers.onSubmitQuestion({ ...values, question: values.question.trim() });
  }

  setFieldErrors(errors) {
    const f = this.formFields;
    let first = null;
    for (const key of ["question", "name", "email"]) {
      const message = errors[key] || "";
      f[`${key}Error`].textContent = message;
      if (message) {
        f[key].setAttribute("aria-invalid", "true");
        first = first || f[key];
      } else {
        f[key].removeAttribute("aria-invalid");
      }
    }
    if (first) first.focus();
  }

  setFormBusy(busy) {
    this.formBusy = busy;
    if (!this.formSubmit) return;
    this.formSubmit.disabled = busy;
    this.formSubmit.textContent = this.t(busy ? "form.submitting" : "form.submit");
  }

  setFormError(text) {
    if (this.formError) this.formError.textContent = text || "";
  }

  focusForm() {
    if (this.formFields) this.formFields.question.focus();
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
    const t = this.t;
    this.setScreen("chat");
    this.logList = h("ol", { class: "lc-log-list" });
    this.log = h("div", { class: "lc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": t("transcript.title") }, this.logList);
    this.pendingList = h("ol", { class: "lc-pending-list", "aria-label": t("msg.sending") });
    this.waiting = h("div", { class: "lc-waiting-slot", role: "status" });
    this.after = h("div", { class: "lc-after-slot" });
    this.lastItem = null;
    this.body.replaceChildren(h("div", { class: "lc-conversation" }, this.log, this.pendingList, this.waiting, this.after));
    this.buildComposer();
  }

  buildComposer() {
    const t = this.t;
    this.typing = h("div", { class: "lc-typing", role: "status" });
    this.draft = h("textarea", { id: "lc-draft", class: "lc-input lc-draft", rows: "1", maxlength: String(MAX_TEXT),
      placeholder: t("composer.placeholder"), "aria-describedby": "lc-draft-hint lc-draft-count lc-composer-error",
      autocomplete: "off" });
    this.sendButton = h("button", { type: "submit", class: "lc-btn lc-btn--primary lc-send" },
      icon("send"), h("span", { class: "lc-send-label", text: t("composer.send") }));
    this.counter = h("span", { class: "lc-count", id: "lc-draft-count" });
    this.composerError = h("p", { class: "lc-error lc-composer-error", id: "lc-composer-error", role: "alert" });
    // Files: the paperclip opens the (hidden) chooser; a pasted image or a dropped file attaches too.
    this.fileInput = h("input", { type: "file", accept: ACCEPT, hidden: true, tabindex: "-1", class: "lc-file-input",
      onchange: () => {
        const files = [...(this.fileInput.files || [])];
        this.fileInput.value = "";
        if (files.length) this.handlers.onAttach(files);
      } });
    this.attachButton = h("button", { type: "button", class: "lc-btn lc-attach", "aria-label": t("composer.attach"),
      title: t("composer.attach"), onclick: () => this.fileInput.click() }, icon("paperclip"));
    this.uploadStatus = h("p", { class: "lc-upload-status", role: "status" });
    this.draft.addEventListener("paste", (event) => {
      const files = [...((event.clipboardData && event.clipboardData.files) || [])];
      if (!files.length) return;
      event.preventDefault();
      this.handlers.onAttach(files);
    });
    this.draft.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submitDraft();
      }
    });
    this.draft.addEventListener("input", () => {
      this.autosize();
      this.updateCounter();
      this.handlers.onDraft(this.draft.value);
    });
    this.composer = h("form", { class: "lc-composer", onsubmit: (event) => {
      event.preventDefault();
      this.submitDraft();
    } },
    this.typing,
    h("div", { class: "lc-composer-row" },
      h("label", { for: "lc-draft", class: "lc-vh", text: t("composer.label") }),
      this.draft, this.attachButton, this.fileInput, this.sendButton),
    h("div", { class: "lc-composer-meta" },
      h("p", { class: "lc-hint", id: "lc-draft-hint", text: t("composer.hint") }), this.counter),
    this.uploadStatus,
    this.composerError);
    const hasFiles = (event) => Boolean(event.dataTransfer && [...event.dataTransfer.types].includes("Files"));
    this.composer.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      this.composer.classList.add("lc-composer--drop");
    });
    this.composer.addEventListener("dragleave", (event) => {
      if (!this.composer.contains(event.relatedTarget)) this.composer.classList.remove("lc-composer--drop");
    });
    this.composer.addEventListener("drop", (event) => {
      this.composer.classList.remove("lc-composer--drop");
      const files = [...((event.dataTransfer && event.dataTransfer.files) || [])];
      if (!files.length) return;
      event.preventDefault();
      this.handlers.onAttach(files);
    });
    this.footer.replaceChildren(this.composer);
  }

  /** While a file uploads: say so (a status line) and hold the paperclip. */
  setUploading(text) {
    if (!this.composer) return;
    this.uploadStatus.textContent = text || "";
    this.attachButton.disabled = Boolean(text);
  }

  /** The draft as a file's caption (undefined when blank); the box is emptied. */
  takeDraft() {
    if (!this.draft) return undefined;
    const text = this.draft.value.trim();
    if (!text) return undefined;
    this.draft.value = "";
    this.autosize();
    this.updateCounter();
    return text;
  }

  submitDraft() {
    const text = this.draft.value;
    if (!text.trim()) return;
    if (this.handlers.onSend(text) !== false) {
      this.draft.value = "";
      this.autosize();
      this.updateCounter();
    }
  }

  autosize() {
    if (!this.draft) return;
    this.draft.style.height = "auto";
    this.draft.style.height = `${Math.min(this.draft.scrollHeight + 2, 132)}px`;
  }

  updateCounter() {
    const left = MAX_TEXT - this.draft.value.length;
    this.counter.textContent = left <= 500 ? this.t("composer.left", { n: left }) : "";
  }

  setDraft(text) {
    if (!this.draft || this.draft.value) return;
    this.draft.value = text;
    this.autosize();
    this.updateCounter();
  }

  focusComposer() {
    if (this.draft) this.draft.focus();
  }

  showComposerError(text) {
    if (this.composerError) this.composerError.textContent = text || "";
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
    this.logList.replaceChildren();
    this.lastItem = null;
    for (const item of items) this.logList.appendChild(this.itemElement(item));
    this.scrollToBottom();
  }

  appendItem(item) {
    const stick = this.nearBottom();
    this.logList.appendChild(this.itemElement(item));
    if (stick || item.role === "patron") this.scrollToBottom();
  }

  itemElement(item) {
    const prev = this.lastItem;
    this.lastItem = item;
    if (item.kind === "notice") {
      return h("li", { class: `lc-notice lc-notice--${item.type}` },
        h("span", { class: "lc-notice-text", text: noticeText(item, this.t) }),
        this.timeElement(item.at));
    }
    return this.messageElement(item, { continued: continuesRun(prev, item) });
  }

  timeElement(iso) {
    const text = iso ? this.formatTime(iso) : "";
    return text ? h("time", { class: "lc-time", datetime: iso, text }) : null;
  }

  messageElement(item, { continued = false, pending = false } = {}) {
    const who = speaker(item, this.t);
    const own = item.role === "patron";
    const classes = ["lc-msg", `lc-msg--${own ? "own" : item.role === "operator" ? "librarian" : "system"}`];
    if (continued) classes.push("lc-msg--cont");
    if (pending) classes.push("lc-msg--pending");
    const meta = h("p", { class: continued ? "lc-msg-meta lc-vh" : "lc-msg-meta" },
      h("span", { class: "lc-msg-name", text: who }),
      pending ? h("span", { class: "lc-msg-state", text: this.t("msg.sending") }) : this.timeElement(item.sent_at));
    const bubble = h("div", { class: "lc-bubble" });
    for (const part of linkify(item.text)) {
      if (part.type === "link") {
        bubble.appendChild(h("a", { href: part.href, target: "_blank", rel: "noopener noreferrer", text: part.text }));
      } else {
        bubble.appendChild(document.createTextNode(part.text));
      }
    }
    if (item.attachment) bubble.appendChild(this.fileElement(item.attachment, { pending }));
    const avatar = item.role === "operator" && !continued
      ? h("span", { class: "lc-avatar", "aria-hidden": "true", text: initials(item.name) }) : null;
    const li = h("li", { class: classes.join(" ") }, avatar, h("div", { class: "lc-msg-body" }, meta, bubble));
    if (item.client_msg_id) li.dataset.clientMsgId = item.client_msg_id;
    if (item.seq) li.dataset.seq = String(item.seq);
    return li;
  }

  /**
   * A file in a message: a button that asks the service for a short-lived link, then opens it.
   * An image (once stored) also shows as a thumbnail, loaded from such a link.
   */
  fileElement(file, { pending = false } = {}) {
    const size = formatSize(file.size, this.t.lang);
    const thumb = !pending && isImage(file.content_type) ? this.thumbnail(file) : null;
    return h("button", { type: "button", class: thumb ? "lc-file lc-file--image" : "lc-file",
      "aria-label": this.t("msg.openFile", { name: file.name }) + (size ? ` (${size})` : ""),
      onclick: () => this.handlers.onOpenFile(file) },
    thumb,
    h("span", { class: "lc-file-line" },
      icon("paperclip"),
      h("span", { class: "lc-file-name", text: file.name }),
      size ? h("span", { class: "lc-file-size", text: size }) : null));
  }

  /** The <img> of an image file: shown once loaded; a failed load asks once for a fresh link. */
  thumbnail(file) {
    const img = h("img", { class: "lc-thumb", alt: file.name, decoding: "async", hidden: true });
    let retried = false;
    const load = (fresh) => Promise.resolve(this.handlers.onThumbnail(file, { fresh }))
      .then((url) => {
        if (url) img.src = url;
      })
      .catch(() => {});
    img.addEventListener("load", () => {
      const stick = this.nearBottom();
      img.hidden = false;
      if (stick) this.scrollToBottom();
    });
    img.addEventListener("error", () => {
      if (retried) return;
      retried = true;
      load(true);
    });
    load(false);
    return img;
  }

  /** Own messages not yet stored by the service: shown after the log as "Sending…". */
  setPending(items) {
    if (!this.pendingList) return;
    const stick = this.nearBottom();
    this.pendingList.replaceChildren(...items.map((m) =>
      this.messageElement({ kind: "msg", role: "patron", text: m.text, client_msg_id: m.client_msg_id,
        attachment: m.attachment }, { pending: true })));
    if (stick || items.length) this.scrollToBottom();
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

  setTyping(name) {
    if (!this.typing) return;
    if (!name) {
      this.typing.replaceChildren();
      return;
    }
    this.typing.replaceChildren(
      h("span", { class: "lc-typing-dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
      h("span", { text: this.t("typing", { name }) }));
  }

  // ------------------------------------------------------------- after chat

  /** The chat ended: the composer goes, the transcript stays, the survey follows it. */
  showSurvey({ busy = false } = {}) {
    const t = this.t;
    this.clearFooter();
    this.typing = null;
    const headingId = id("survey");
    this.afterHeading = h("h2", { class: "lc-heading", id: headingId, tabindex: "-1", text: t("survey.heading") });
    const ratingError = h("p", { class: "lc-field-error", id: "lc-rating-error" });
    const ratings = [1, 2, 3, 4, 5].map((n) => {
      const input = h("input", { type: "radio", name: "rating", value: String(n), class: "lc-rate-input",
        id: `lc-rate-${n}`, "aria-describedby": "lc-rating-error" });
      const label = n === 1 ? t("survey.rating1") : n === 5 ? t("survey.rating5") : String(n);
      return h("div", { class: "lc-rate" }, input,
        h("label", { for: `lc-rate-${n}`, class: "lc-rate-label" },
          h("span", { "aria-hidden": "true", text: String(n) }), h("span", { class: "lc-vh", text: label })));
    });
    const yesNo = [["yes", "survey.yes"], ["no", "survey.no"]].map(([value, key]) => h("div", { class: "lc-choice" },
      h("input", { type: "radio", name: "answered", value, id: `lc-answered-${value}`, class: "lc-choice-input" }),
      h("label", { for: `lc-answered-${value}`, class: "lc-choice-label", text: t(key) })));
    const comment = h("textarea", { id: "lc-comment", class: "lc-input lc-textarea", rows: "3", maxlength: "2000",
      name: "comment" });
    this.surveyError = h("p", { class: "lc-error", role: "alert" });
    this.surveySubmit = h("button", { type: "submit", class: "lc-btn lc-btn--primary" }, t("survey.submit"));
    this.surveySkip = h("button", { type: "button", class: "lc-btn lc-btn--secondary",
      onclick: () => this.handlers.onSkipSurvey() }, t("survey.skip"));
    const form = h("form", { class: "lc-survey", novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(form);
      if (!data.get("rating")) {
        ratingError.textContent = t("survey.ratingRequired");
        form.querySelector("input[name=rating]").focus();
        return;
      }
      ratingError.textContent = "";
      this.handlers.onSurvey({ rating: data.get("rating"), answered: data.get("answered"), comment: comment.value });
    } },
    h("fieldset", { class: "lc-fieldset" },
      h("legend", { class: "lc-label", text: t("survey.rating") }),
      h("div", { class: "lc-rates" }, ratings),
      h("div", { class: "lc-scale", "aria-hidden": "true" },
        h("span", { text: t("survey.scalePoor") }), h("span", { text: t("survey.scaleExcellent") })),
      ratingError),
    h("fieldset", { class: "lc-fieldset" },
      h("legend", { class: "lc-label", text: t("survey.answered") }),
      h("div", { class: "lc-choices" }, yesNo)),
    h("div", { class: "lc-field" },
      h("label", { for: "lc-comment", class: "lc-label" }, t("survey.comment"), " ",
        h("span", { class: "lc-label-note", text: t("form.optional") })),
      comment),
    this.surveyError,
    h("div", { class: "lc-actions" }, this.surveySubmit, this.surveySkip));
    this.after.replaceChildren(h("section", { class: "lc-card lc-after", "aria-labelledby": headingId },
      this.afterHeading, h("p", { class: "lc-lead", text: t("survey.intro") }), form, this.transcriptButton()));
    this.setSurveyBusy(busy);
  }

  setSurveyBusy(busy) {
    if (!this.surveySubmit) return;
    this.surveySubmit.disabled = busy;
    this.surveySkip.disabled = busy;
    this.surveySubmit.textContent = this.t(busy ? "survey.submitting" : "survey.submit");
  }

  setSurveyError(text) {
    if (this.surveyError) this.surveyError.textContent = text || "";
  }

  transcriptButton() {
    return h("button", { type: "button", class: "lc-btn lc-btn--link lc-download", onclick: () => this.handlers.onDownload() },
      icon("download"), this.t("action.download"));
  }

  /** After the survey (or without one): thanks, and a way to start over. */
  showClosing(kind) {
    const t = this.t;
    this.clearFooter();
    this.typing = null;
    const keys = {
      thanks: ["thanks.heading", "thanks.body"],
      skipped: ["thanks.skippedHeading", "thanks.skippedBody"],
      left: ["left.heading", "left.body"],
    }[kind];
    const headingId = id("after");
    this.afterHeading = h("h2", { class: "lc-heading", id: headingId, tabindex: "-1", text: t(keys[0]) });
    this.after.replaceChildren(h("section", { class: "lc-card lc-after", "aria-labelledby": headingId },
      kind === "thanks" ? h("div", { class: "lc-done-icon", "aria-hidden": "true" }, icon("check")) : null,
      this.afterHeading,
      h("p", { text: t(keys[1]) }),
      h("div", { class: "lc-actions" },
        h("button", { type: "button", class: "lc-btn lc-btn--primary", onclick: () => this.handlers.onNewChat() },
          t("action.newChat")),
        this.transcriptButton())));
  }

  focusAfter() {
    if (!this.afterHeading) return;
    this.afterHeading.scrollIntoView({ block: "start" });
    this.afterHeading.focus();
  }

  focusGone() {
    if (this.goneHeading) this.goneHeading.focus();
  }
}
