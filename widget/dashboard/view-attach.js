// A chat pane's files, as the manual has them: "click on the paperclip icon above the text
// box", "choose the file you'd like to share and click Upload". The paperclip (an icon button
// with a name), the hidden file input it opens, and the chosen file waiting for Upload or
// Cancel: its name, its size and, for an image, a thumbnail made in the browser (nothing is
// uploaded before Upload). Reports intents through `call`; all text goes in with textContent.

import { el } from "../js/dom.js";
import { ACCEPT, formatBytes, isImage, fileType } from "../js/files.js";
import { icon } from "../js/icons.js";
import { S } from "./strings.js";

/** aria-disabled on or off (the button stays focusable and announced). */
function setDisabled(button, off) {
  if (off) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
}

export class AttachTray {
  /**
   * @param {Document} doc
   * @param {string} chatId
   * @param {number} n        the pane's number, for element ids
   * @param {object} o        {call(name, ...args), focusComposer()}
   */
  constructor(doc, chatId, n, { call, focusComposer }) {
    this.doc = doc;
    this.focusComposer = focusComposer;
    const d = doc;
    this.busy = false;

    const button = el(d, "button", "lcd-btn lcd-btn--quiet lcd-btn--icon lcd-attach");
    button.type = "button";
    button.title = S.composer.attach;
    button.append(icon("paperclip", "lcd-icon", d), el(d, "span", "lcd-sr-only", S.composer.attach));
    const input = el(d, "input", "lcd-file-input");
    input.type = "file";
    input.hidden = true; // the paperclip opens it
    input.tabIndex = -1;
    input.setAttribute("aria-label", S.composer.attach);
    input.accept = ACCEPT;
    button.addEventListener("click", () => {
      if (button.getAttribute("aria-disabled") !== "true") input.click();
    });
    input.addEventListener("change", () => {
      const chosen = input.files && input.files[0];
      input.value = "";
      if (chosen) call("chooseFile", chatId, chosen);
    });
    this.bar = el(d, "div", "lcd-attach-bar");
    this.bar.append(button, input);
    this.button = button;
    this.input = input;

    // the chosen file, until Upload or Cancel
    const box = el(d, "div", "lcd-chosen");
    box.setAttribute("role", "group");
    box.id = `lcd-chosen-p${n}`;
    this.thumbSlot = el(d, "span", "lcd-chosen-thumb-slot"); // an <img> only while an image is chosen
    const about = el(d, "p", "lcd-chosen-about");
    about.id = `lcd-chosen-about-p${n}`;
    this.name = el(d, "span", "lcd-chosen-name");
    this.size = el(d, "span", "lcd-chosen-size");
    about.append(el(d, "span", "lcd-sr-only", S.files.chosenLead), this.name, this.size);
    box.setAttribute("aria-labelledby", about.id);
    this.upload = el(d, "button", "lcd-btn lcd-btn--primary lcd-btn--small lcd-upload", S.files.upload);
    this.upload.type = "button";
    this.upload.addEventListener("click", () => {
      if (!this.busy) call("uploadFile", chatId);
    });
    this.cancel = el(d, "button", "lcd-btn lcd-btn--small lcd-upload-cancel", S.files.cancel);
    this.cancel.type = "button";
    this.cancel.addEventListener("click", () => {
      if (!this.busy) call("cancelFile", chatId);
    });
    const actions = el(d, "div", "lcd-chosen-actions");
    actions.append(this.upload, this.cancel);
    box.append(this.thumbSlot, about, actions);
    box.hidden = true;
    this.box = box;
    this.objectUrl = null;
  }

  /** A file was chosen (and passed the checks): show it, with Upload and Cancel. */
  show(file) {
    this.dropThumb();
    const type = fileType(file);
    this.name.textContent = file.name || S.files.defaultName;
    this.size.textContent = S.files.size(formatBytes(file.size));
    if (isImage(type) && typeof URL !== "undefined" && URL.createObjectURL) {
      this.objectUrl = URL.createObjectURL(file); // the bytes stay in the browser until Upload
      const img = el(this.doc, "img", "lcd-chosen-thumb");
      img.alt = S.files.preview(file.name || S.files.defaultName);
      img.src = this.objectUrl;
      this.thumbSlot.replaceChildren(img);
    }
    this.setBusy(false);
    this.box.hidden = false;
    this.upload.focus();
  }

  /** Nothing chosen any more (sent, or cancelled); `focus`: back to the text box. */
  clear({ focus = false } = {}) {
    const hadFocus = this.box.contains(this.doc.activeElement);
    this.dropThumb();
    this.box.hidden = true;
    this.name.textContent = "";
    this.size.textContent = "";
    this.setBusy(false);
    if (focus || hadFocus) this.focusComposer();
  }

  dropThumb() {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
    this.thumbSlot.replaceChildren();
  }

  setBusy(busy) {
    this.busy = busy;
    setDisabled(this.upload, busy);
    setDisabled(this.cancel, busy);
    setDisabled(this.button, busy);
    this.upload.textContent = busy ? S.composer.uploading : S.files.upload;
  }
}
