// Files in a chat, the patron's side: a file chosen, pasted or dropped is checked here first
// (type, size: a file too big never costs a request), then offered (name, size, a thumbnail
// for images) with Upload and Cancel, as the librarians' manual tells patrons: only Upload
// sends it. Upload gets an upload slot (S3 presigned POST), posts the file to S3 and sends it
// as a message with the draft as its caption. Files in the conversation open through
// short-lived links the service hands out per click; thumbnails reuse theirs while fresh.
// No DOM: the view shows the offer, the progress, the errors and the new tab.

import { DEFAULT_MAX_BYTES, LinkCache, checkFile, fileName, fileType, isImage, megabytes, uploadForm } from "./files.js";

export class Attachments {
  /**
   * @param {object} o
   * @param {object} o.api   PatronApi: uploadSlot, upload, fileUrl, fileLink
   * @param {object} o.view  View: setPendingFiles, setUploading, showComposerError, takeDraft, setSurveyError, openTab
   * @param {Function} o.t   translator
   * @param {Function} o.errorText  (code) => the patron's text for a protocol error code
   * @param {Function} o.live    () => the chat files can be sent in now ({chat_id, token}), or null
   * @param {Function} o.source  () => the chat whose files can be opened (this one or the last), or null
   * @param {Function} o.send    (chatId, caption, attachment) => void: the stored file as a message
   */
  constructor({ api, view, t, errorText, live, source, send }) {
    Object.assign(this, { api, view, t, errorText, live, source, send });
    this.maxBytes = DEFAULT_MAX_BYTES; // the service's limit once an upload slot has told it
    this.busy = false;
    this.pending = []; // chosen, checked, not yet uploaded: Upload sends them, Cancel forgets them
    this.links = null; // {chatId, cache}: thumbnails' short-lived links
  }

  /**
   * Files chosen, pasted or dropped: checked (the first refused one says why and is left out),
   * then offered until Upload or Cancel. A new choice replaces the one on offer. `focus`: the
   * Upload button takes the focus (not after a paste: the patron is typing).
   */
  choose(files, { focus = true } = {}) {
    if (!this.live() || this.busy) return; // the paperclip is held while a file uploads
    const good = [];
    let problem = null;
    for (const file of files) {
      const refused = checkFile(file, this.maxBytes);
      if (refused) problem = problem || refused;
      else good.push(file);
    }
    this.view.showComposerError(problem ? this.errorFor(problem) : "");
    if (!good.length) return;
    this.pending = good;
    this.offer({ focus });
  }

  /** The files on offer, as the view shows them: the File (for a thumbnail), its name and size. */
  offer({ focus }) {
    this.view.setPendingFiles(this.pending.map((file) => {
      const type = fileType(file);
      return { file, name: fileName(file, type), size: file.size, image: isImage(type) };
    }), { focus });
  }

  /** Cancel: nothing is sent. */
  cancel() {
    if (this.busy) return;
    this.pending = [];
    this.view.setPendingFiles([]);
  }

  /** Upload: each file on offer is uploaded to S3, then sent as a message. */
  async upload() {
    if (this.busy || !this.pending.length) return;
    if (!this.live()) {
      this.cancel();
      return;
    }
    const files = this.pending;
    this.busy = true;
    let sent = 0;
    try {
      for (const file of files) {
        if (!(await this.uploadOne(file))) break;
        sent += 1;
      }
    } finally {
      this.busy = false;
      this.view.setUploading(null);
    }
    this.pending = files.slice(sent); // what failed stays on offer, to try again or cancel
    if (this.live()) this.offer({ focus: false });
  }

  async uploadOne(file) {
    const chat = this.live();
    if (!chat) return false;
    const type = fileType(file);
    const problem = checkFile(file, this.maxBytes);
    if (problem) {
      this.view.showComposerError(this.errorFor(problem));
      return false;
    }
    const name = fileName(file, type);
    const { chat_id: chatId, token } = chat;
    this.view.showComposerError("");
    this.view.setUploading(this.t("upload.busy", { name }));
    let slot;
    try {
      slot = await this.api.uploadSlot(chatId, token, { filename: name, content_type: type, size: file.size });
      if (Number.isInteger(slot.max_bytes) && slot.max_bytes > 0) {
        this.maxBytes = slot.max_bytes;
        if (file.size > slot.max_bytes) {
          this.view.showComposerError(this.errorFor({ code: "too_large" }));
          return false;
        }
      }
      await this.api.upload(slot.url, uploadForm(slot.fields, file, name));
    } catch (err) {
      if (this.live() === chat) this.view.showComposerError(this.errorFor(err));
      return false;
    }
    if (this.live() !== chat) return false; // the chat ended (or was left) meanwhile
    this.send(chatId, this.view.takeDraft(), { key: slot.key, name, size: file.size, content_type: type });
    return true;
  }

  /** The patron's text for a file problem (a check here, a refused slot, a failed upload). */
  errorFor(err) {
    const code = err && err.code;
    if (code === "too_large") return this.t("error.fileTooLarge", { mb: megabytes(this.maxBytes, this.t.lang) });
    if (code === "type") return this.t("error.fileType");
    if (code === "empty") return this.t("error.fileEmpty");
    if (code === "network" || code === "invalid_state" || code === "rate_limited") return this.errorText(code);
    return this.t("error.upload");
  }

  /** A thumbnail's link: reused while fresh (5 minutes), asked for again once it expires. */
  thumbnailUrl(file, { fresh = false } = {}) {
    const chat = this.source();
    if (!chat) return Promise.resolve(null);
    const { chat_id: chatId, token } = chat;
    if (!this.links || this.links.chatId !== chatId) {
      this.links = { chatId, cache: new LinkCache((key) => this.api.fileLink(chatId, token, key)) };
    }
    return this.links.cache.get(file.key, { fresh });
  }

  /** Files open in a new tab through a 5-minute presigned link the service hands out per click. */
  async openFile(file) {
    const chat = this.source();
    if (!chat) return;
    const tab = this.view.openTab(); // now, inside the click; pointed at the file once the link is here
    try {
      tab.show(await this.api.fileUrl(chat.chat_id, chat.token, file.key));
    } catch {
      tab.close();
      const text = this.t("error.file");
      if (this.live()) this.view.showComposerError(text);
      else this.view.setSurveyError(text);
    }
  }
}
