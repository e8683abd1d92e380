// The REST calls the widget makes (docs/protocol.md). Errors become ApiError with the
// protocol's error code, or "network" when the service could not be reached at all; the fetch
// wrapper and ApiError are shared with the dashboard (../js/http.js).

import { ApiError, JsonHttp } from "../js/http.js";
import { httpUrl } from "../js/urls.js";

export { ApiError };

const BROWSER_ID_KEY = "lcw-browser-id";
let pageBrowserId = null;

/** A random id for this browser (kept in localStorage; for this page only when storage is
 * off): 128 random bits, never anything about the patron. */
export function storedBrowserId(storage = globalThis.localStorage, crypto = globalThis.crypto) {
  const make = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  try {
    let id = storage && storage.getItem(BROWSER_ID_KEY);
    if (!id || !/^[0-9a-f]{32}$/.test(id)) {
      id = make();
      storage.setItem(BROWSER_ID_KEY, id);
    }
    return id;
  } catch {
    pageBrowserId = pageBrowserId || make();
    return pageBrowserId;
  }
}

export class PatronApi {
  constructor(restUrl, fetchFn = globalThis.fetch.bind(globalThis), browserId = storedBrowserId) {
    this.http = new JsonHttp(restUrl, fetchFn);
    this.base = this.http.base;
    this.browserId = browserId;
  }

  /** One REST call (the shared wrapper in ../js/http.js): the JSON body, or an ApiError. */
  call(method, path, { body, token, headers } = {}) {
    return this.http.request(method, path, { body, token, headers });
  }

  /** `/api/status`; with a desk, `?queue=` adds that desk's QueueStatus as `queue` (docs/desks.md). */
  status(queue) {
    return this.call("GET", queue ? `/status?queue=${encodeURIComponent(queue)}` : "/status");
  }

  createChat({ question, name, email, queue }) {
    const body = { question };
    if (name) body.name = name;
    if (email) body.email = email;
    if (queue) body.queue = queue;
    // The browser's random id: the service only ever keeps a keyed hash of it, for blocks and
    // the new-chat rate limit (docs/privacy.md).
    return this.call("POST", "/chats", { body, headers: { "X-Client-Id": this.browserId() } });
  }

  async history(chatId, token, after = 0) {
    const data = await this.call("GET", `/chats/${encodeURIComponent(chatId)}/messages?after=${after}`, { token });
    return Array.isArray(data.messages) ? data.messages : [];
  }

  /** A short-lived link to one of the chat's files. */
  async fileUrl(chatId, token, key) {
    return (await this.fileLink(chatId, token, key)).url;
  }

  /** {url, expires_in} for one of the chat's files (the link checked: http(s) only). */
  async fileLink(chatId, token, key) {
    const data = await this.call("GET", `/chats/${encodeURIComponent(chatId)}/files?key=${encodeURIComponent(key)}`, { token });
    if (!httpUrl(data.url)) throw new ApiError(200, "bad_request", "no usable link");
    return data;
  }

  /** An upload slot (S3 presigned POST) for one file: {url, fields, key, max_bytes, expires_in}. */
  async uploadSlot(chatId, token, { filename, content_type, size }) {
    const data = await this.call("POST", `/chats/${encodeURIComponent(chatId)}/uploads`,
      { body: { filename, content_type, size }, token });
    if (!httpUrl(data.url) || typeof data.key !== "string"
      || !data.fields || typeof data.fields !== "object") {
      throw new ApiError(200, "bad_request", "no usable upload slot");
    }
    return data;
  }

  /** The file itself, posted straight to S3 as a multipart form (no custom headers: no token). */
  upload(url, form) {
    return this.http.postForm(url, form);
  }

  submitSurvey(chatId, token, answers) {
    return this.call("POST", `/chats/${encodeURIComponent(chatId)}/survey`, { body: answers, token });
  }

  // ------------------------------------------------ tickets (docs/tickets.md)

  /** A question answered by e-mail (outside hours, nobody online): 201 {ticket_id, status}. */
  createTicket({ question, name, email, queue }) {
    const body = { question, email };
    if (name) body.name = name;
    if (queue) body.queue = queue;
    return this.call("POST", "/tickets", { body });
  }

  /** The waiting chat becomes a ticket (its conversation carried, the chat ended): 201 {ticket_id}. */
  chatTicket(chatId, token, { email, name }) {
    const body = { email };
    if (name) body.name = name;
    return this.call("POST", `/chats/${encodeURIComponent(chatId)}/ticket`, { body, token });
  }

  /** The chat's transcript to one address (not stored): 202 {sent: true}. */
  emailTranscript(chatId, token, email) {
    return this.call("POST", `/chats/${encodeURIComponent(chatId)}/transcript`, { body: { email }, token });
  }

  /** The patron's own chat deleted everywhere now (docs/privacy.md): {deleted: true}. */
  deleteChat(chatId, token) {
    return this.call("DELETE", `/chats/${encodeURIComponent(chatId)}`, { token });
  }

  /** The patron's view of a ticket, with the link token of its e-mails. */
  publicTicket(ticketId, linkToken) {
    return this.call("GET", `/public/tickets/${encodeURIComponent(ticketId)}`, { token: linkToken });
  }

  /** The patron's reply from the ticket page: 201 the patron view (a closed ticket reopens). */
  publicReply(ticketId, linkToken, text) {
    return this.call("POST", `/public/tickets/${encodeURIComponent(ticketId)}/replies`,
      { body: { text }, token: linkToken });
  }
}

/** Survey body from the form's answers, the way the endpoint wants it (optional fields omitted). */
export function surveyBody({ rating, answered, comment }) {
  const body = { rating: Number(rating) };
  if (answered === "yes" || answered === true) body.answered = true;
  else if (answered === "no" || answered === false) body.answered = false;
  const text = typeof comment === "string" ? comment.trim() : "";
  if (text) body.comment = text.slice(0, 2000);
  return body;
}
