// The conversation's composer: the librarian's typing line, the text box (Enter sends,
// Shift+Enter is a new line), the paperclip with its hidden file chooser, paste and drop of
// files, the characters-left counter, the upload status and the composer's error line.
// DOM only; what a send or an attachment means is the controller's business (handlers).

import { h } from "../js/dom.js";
import { icon } from "./icons.js";
import { ACCEPT } from "./files.js";
import { MAX_TEXT } from "../js/limits.js";

export class Composer {
  /**
   * @param {Function} t  translator (i18n.js)
   * @param {object} handlers  the view's handlers: onSend(text) (false: keep the draft),
   *   onDraft(text), onAttach(files)
   */
  constructor(t, handlers) {
    this.t = t;
    this.handlers = handlers;
    this.build();
  }

  build() {
    const t = this.t;
    this.typing = h("div", { class: "lc-typing", role: "status" });
    this.draft = h("textarea", { id: "lc-draft", class: "lc-input lc-draft", rows: "1", maxlength: String(MAX_TEXT),
      placeholder: t("composer.placeholder"), "aria-describedby": "lc-draft-hint lc-draft-count lc-composer-error",
      autocomplete: "off" });
    this.sendButton = h("button", { type: "submit", class: "lc-btn lc-btn--primary lc-send" },
      icon("send"), h("span", { class: "lc-send-label", text: t("composer.send") }));
    this.counter = h("span", { class: "lc-count", id: "lc-draft-count" });
    this.error = h("p", { class: "lc-error lc-composer-error", id: "lc-composer-error", role: "alert" });
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
        this.submit();
      }
    });
    this.draft.addEventListener("input", () => {
      this.refresh();
      this.handlers.onDraft(this.draft.value);
    });
    this.form = h("form", { class: "lc-composer", onsubmit: (event) => {
      event.preventDefault();
      this.submit();
    } },
    this.typing,
    h("div", { class: "lc-composer-row" },
      h("label", { for: "lc-draft", class: "lc-vh", text: t("composer.label") }),
      this.draft, this.attachButton, this.fileInput, this.sendButton),
    h("div", { class: "lc-composer-meta" },
      h("p", { class: "lc-hint", id: "lc-draft-hint", text: t("composer.hint") }), this.counter),
    this.uploadStatus,
    this.error);
    this.acceptDrops();
  }

  acceptDrops() {
    const form = this.form;
    const hasFiles = (event) => Boolean(event.dataTransfer && [...event.dataTransfer.types].includes("Files"));
    form.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      form.classList.add("lc-composer--drop");
    });
    form.addEventListener("dragleave", (event) => {
      if (!form.contains(event.relatedTarget)) form.classList.remove("lc-composer--drop");
    });
    form.addEventListener("drop", (event) => {
      form.classList.remove("lc-composer--drop");
      const files = [...((event.dataTransfer && event.dataTransfer.files) || [])];
      if (!files.length) return;
      event.preventDefault();
      this.handlers.onAttach(files);
    });
  }

  /** Enter or the Send button: hand the draft over; it is emptied unless the send was refused. */
  submit() {
    const text = this.draft.value;
    if (!text.trim()) return;
    if (this.handlers.onSend(text) !== false) this.setValue("");
  }

  setValue(text) {
    this.draft.value = text;
    this.refresh();
  }

  /** Height follows the text (up to a limit); the counter shows near the limit. */
  refresh() {
    this.draft.style.height = "auto";
    this.draft.style.height = `${Math.min(this.draft.scrollHeight + 2, 132)}px`;
    const left = MAX_TEXT - this.draft.value.length;
    this.counter.textContent = left <= 500 ? this.t("composer.left", { n: left }) : "";
  }

  /** The draft as a file's caption (undefined when blank); the box is emptied. */
  takeDraft() {
    const text = this.draft.value.trim();
    if (!text) return undefined;
    this.setValue("");
    return text;
  }

  /** Put a refused message back, unless the patron has started another one. */
  restoreDraft(text) {
    if (!this.draft.value) this.setValue(text);
  }

  /** While a file uploads: say so (a status line) and hold the paperclip. */
  setUploading(text) {
    this.uploadStatus.textContent = text || "";
    this.attachButton.disabled = Boolean(text);
  }

  showError(text) {
    this.error.textContent = text || "";
  }

  focus() {
    this.draft.focus();
  }

  /** "Libby is typing…" above the text box; null hides it. */
  setTyping(text) {
    if (!text) {
      this.typing.replaceChildren();
      return;
    }
    this.typing.replaceChildren(
      h("span", { class: "lc-typing-dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
      h("span", { text }));
  }
}
