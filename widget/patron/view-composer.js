// The conversation's composer: the librarian's typing line; above the text box, the paperclip
// (with its hidden file chooser) and, while previews are on, the note that librarians see the
// draft as it is typed; a chosen, pasted or dropped file offered with its name, size and a
// thumbnail, to Upload or Cancel; the text box (Enter sends, Shift+Enter is a new line), the
// characters-left counter, the upload status and the composer's error line. All in one named
// form (a landmark). DOM only; what a send or a file means is the controller's business.

import { h } from "../js/dom.js";
import { icon } from "../js/icons.js";
import { ACCEPT } from "./files.js";
import { formatSize } from "./transcript.js";
import { MAX_TEXT } from "../js/limits.js";

export class Composer {
  /**
   * @param {Function} t  translator (i18n.js)
   * @param {object} handlers  the view's handlers: onSend(text) (false: keep the draft),
   *   onDraft(text), onAttach(files, {focus}), onUpload(), onCancelUpload()
   */
  constructor(t, handlers) {
    this.t = t;
    this.handlers = handlers;
    this.thumbUrls = [];
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
    // Files: the paperclip opens the (hidden) chooser; a pasted image or a dropped file is offered too.
    this.fileInput = h("input", { type: "file", accept: ACCEPT, hidden: true, tabindex: "-1", class: "lc-file-input",
      onchange: () => {
        const files = [...(this.fileInput.files || [])];
        this.fileInput.value = "";
        if (files.length) this.handlers.onAttach(files, { focus: true });
      } });
    this.attachButton = h("button", { type: "button", class: "lc-btn lc-attach", "aria-label": t("composer.attach"),
      title: t("composer.attach"), onclick: () => this.fileInput.click() }, icon("paperclip"));
    this.previewNote = h("p", { class: "lc-preview-note", id: "lc-preview-note", hidden: true,
      text: t("composer.previewNote") });
    this.uploadStatus = h("p", { class: "lc-upload-status", role: "status" });
    this.buildOffer();
    this.draft.addEventListener("paste", (event) => {
      const files = [...((event.clipboardData && event.clipboardData.files) || [])];
      if (!files.length) return;
      event.preventDefault();
      this.handlers.onAttach(files, { focus: false });
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
    this.form = h("form", { class: "lc-composer", "aria-label": t("composer.region"), onsubmit: (event) => {
      event.preventDefault();
      this.submit();
    } },
    this.typing,
    h("div", { class: "lc-composer-tools" }, this.attachButton, this.fileInput, this.previewNote),
    this.offer,
    h("div", { class: "lc-composer-row" },
      h("label", { for: "lc-draft", class: "lc-vh", text: t("composer.label") }),
      this.draft, this.sendButton),
    h("div", { class: "lc-composer-meta" },
      h("p", { class: "lc-hint", id: "lc-draft-hint", text: t("composer.hint") }), this.counter),
    this.uploadStatus,
    this.error);
    this.acceptDrops();
  }

  /** The files on offer: each with a thumbnail (images), its name and size; Upload, Cancel. */
  buildOffer() {
    const t = this.t;
    this.offerList = h("ul", { class: "lc-offer-list" });
    this.uploadButton = h("button", { type: "button", class: "lc-btn lc-btn--primary lc-upload",
      onclick: () => this.handlers.onUpload() }, t("upload.send"));
    this.cancelButton = h("button", { type: "button", class: "lc-btn lc-btn--secondary lc-cancel-upload",
      onclick: () => this.handlers.onCancelUpload() }, t("upload.cancel"));
    this.offer = h("section", { class: "lc-offer", "aria-label": t("upload.pending"), hidden: true },
      h("p", { class: "lc-offer-title", text: t("upload.pending") }),
      this.offerList,
      h("div", { class: "lc-actions lc-offer-actions" }, this.uploadButton, this.cancelButton));
  }

  /** Offer `files` ({file, name, size, image}); [] takes the offer away. */
  setOffer(files, { focus = false } = {}) {
    const win = this.form.ownerDocument.defaultView;
    for (const url of this.thumbUrls) win.URL.revokeObjectURL(url);
    this.thumbUrls = [];
    this.offerList.replaceChildren(...files.map(({ file, name, size, image }) => {
      let thumb = null;
      if (image && win.URL && win.URL.createObjectURL) {
        const url = win.URL.createObjectURL(file);
        this.thumbUrls.push(url);
        thumb = h("img", { class: "lc-offer-thumb", src: url, alt: name });
      }
      const sizeText = formatSize(size, this.t.lang);
      return h("li", { class: "lc-offer-item" }, thumb || icon("paperclip", "lc-icon lc-offer-icon"),
        h("span", { class: "lc-offer-name", text: name }),
        sizeText ? h("span", { class: "lc-offer-size", text: sizeText }) : null);
    }));
    this.offer.hidden = files.length === 0;
    this.setOfferBusy(false);
    if (files.length && focus) this.uploadButton.focus();
  }

  setOfferBusy(busy) {
    this.uploadButton.disabled = busy;
    this.cancelButton.disabled = busy;
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
      this.handlers.onAttach(files, { focus: true });
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

  /** While a file uploads: say so (a status line) and hold the paperclip, Upload and Cancel. */
  setUploading(text) {
    this.uploadStatus.textContent = text || "";
    this.attachButton.disabled = Boolean(text);
    this.setOfferBusy(Boolean(text));
  }

  /** The note that librarians see the draft as it is typed (while the library shows previews). */
  setPreviewNote(on) {
    this.previewNote.hidden = !on;
  }

  /** The composer is going away: its thumbnails' object URLs are let go. */
  dispose() {
    this.setOffer([]);
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
