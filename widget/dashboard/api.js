// The dashboard's REST calls (docs/protocol.md, docs/desks.md): sign-in (and the first one's new
// password), history for gap fill and fresh panes, queue names, canned messages, the Team and
// Desks tabs, tickets, transcripts, chat records, tags and history (docs/tickets.md), the
// reports and their CSV files (docs/reports.md), attachments and a token check. The fetch wrapper
// and the file rules are the widget's too (../js/http.js, ../js/files.js); `fetch` is injected
// so Node tests can stand in for it.

import { ApiError, JsonHttp } from "../js/http.js";
import { fileName, fileType, uploadForm } from "../js/files.js";
import { S } from "./strings.js";

export { ApiError };

export class Api {
  constructor(restUrl, fetchFn = globalThis.fetch.bind(globalThis)) {
    this.http = new JsonHttp(restUrl, fetchFn, { networkMessage: S.errors.unreachable });
    this.restUrl = this.http.base;
    this.token = null; // the librarian's access token, renewed by main.js
  }

  request(method, path, body) {
    return this.http.request(method, path, { body, token: this.token });
  }

  login(username, password) {
    return this.request("POST", "/auth/login", { username, password });
  }

  /**
   * The first sign-in with a temporary password (docs/desks.md): the login answered
   * `{challenge: "new_password", session, username}`; this answers like a login.
   */
  newPassword(username, session, newPassword) {
    return this.request("POST", "/auth/password", { username, session, new_password: newPassword });
  }

  /** A new access token from the sign-in's refresh token: `{token, expires_at}`. */
  refresh(refreshToken) {
    return this.request("POST", "/auth/refresh", { refresh_token: refreshToken });
  }

  /** Every message of a chat after `after`, paging through the 500-per-call limit. */
  async history(chatId, after = 0) {
    const out = [];
    let from = after;
    for (;;) {
      const page = await this.request("GET", `/chats/${encodeURIComponent(chatId)}/messages?after=${from}`);
      const messages = Array.isArray(page.messages) ? page.messages : [];
      out.push(...messages);
      if (messages.length < 500) return out;
      from = messages[messages.length - 1].seq;
    }
  }

  /** docs/supervision.md: the desks, librarians and chats an admin or supervisor oversees. */
  supervision() {
    return this.request("GET", "/supervision");
  }

  status() {
    return this.request("GET", "/status");
  }

  // canned messages (docs/protocol.md "Canned messages")
  cannedList() {
    return this.request("GET", "/canned");
  }

  cannedCreate(body) {
    return this.request("POST", "/canned", body);
  }

  cannedUpdate(id, body) {
    return this.request("PUT", `/canned/${encodeURIComponent(id)}`, body);
  }

  cannedDelete(id) {
    return this.request("DELETE", `/canned/${encodeURIComponent(id)}`);
  }

  // admins
  operators() {
    return this.request("GET", "/operators");
  }

  setMaxChats(id, maxChats) {
    return this.request("PUT", `/operators/${encodeURIComponent(id)}`, { max_chats: maxChats });
  }

  /** PUT /api/operators/{id}: any of max_chats, role, name, queues, disabled (docs/desks.md). */
  updateOperator(id, changes) {
    return this.request("PUT", `/operators/${encodeURIComponent(id)}`, changes);
  }

  /** A new account: `{operator, temporary_password?}`. */
  createOperator(body) {
    return this.request("POST", "/operators", body);
  }

  // desks (docs/desks.md "Queue"): every desk for operators; creating and editing for admins
  queues() {
    return this.request("GET", "/queues");
  }

  createQueue(body) {
    return this.request("POST", "/queues", body);
  }

  updateQueue(id, body) {
    return this.request("PUT", `/queues/${encodeURIComponent(id)}`, body);
  }

  surveys(days = 7) {
    return this.request("GET", `/surveys?days=${days}`);
  }

  // tickets, transcripts, the close form and history (docs/tickets.md)
  tickets(queue, status = "open,claimed") {
    const statuses = String(status).split(",").map(encodeURIComponent).join(","); // "open,claimed" as written
    return this.request("GET", `/tickets?queue=${encodeURIComponent(queue)}&status=${statuses}`);
  }

  ticket(id) {
    return this.request("GET", `/tickets/${encodeURIComponent(id)}`);
  }

  /** POST /api/tickets/{id}/<action>: claim, replies, notes, close, reopen, transcript. */
  ticketAction(id, action, body) {
    return this.request("POST", `/tickets/${encodeURIComponent(id)}/${action}`, body);
  }

  chatTranscript(chatId, email) {
    return this.request("POST", `/chats/${encodeURIComponent(chatId)}/transcript`, { email });
  }

  getChatRecord(chatId) {
    return this.request("GET", `/chats/${encodeURIComponent(chatId)}/record`);
  }

  chatRecord(chatId, record) {
    return this.request("PUT", `/chats/${encodeURIComponent(chatId)}/record`, record);
  }

  chatTicket(chatId, body) {
    return this.request("POST", `/chats/${encodeURIComponent(chatId)}/ticket`, body);
  }

  tags() {
    return this.request("GET", "/tags");
  }

  setTags(body) {
    return this.request("PUT", "/tags", body);
  }

  /** GET /api/history?...: `query` is the query string (history.js historyQuery). */
  searchHistory(query) {
    return this.request("GET", `/history?${query}`);
  }

  // reports (docs/reports.md): `query` is the query string (reports.js reportQuery)
  report(query) {
    return this.request("GET", `/reports?${query}`);
  }

  /** A table's CSV (or every record's): {blob, disposition, type}. */
  reportCsv(query) {
    return this.http.download(`/reports/csv?${query}`, { token: this.token });
  }

  /** The Chats tab's line: {desks: [{id, name, waiting, claimed, p50, p90}], target_seconds}. */
  reportToday() {
    return this.request("GET", "/reports/today");
  }

  setReportTarget(seconds) {
    return this.request("PUT", "/reports/target", { seconds });
  }

  // attachments: presigned POST, then the form straight to S3. The type declared is the
  // widget's (a .docx the browser reports no type for is typed by its extension).
  async upload(chatId, file) {
    const contentType = fileType(file);
    const name = fileName(file, contentType);
    const slot = await this.request("POST", `/chats/${encodeURIComponent(chatId)}/uploads`, {
      filename: name, content_type: contentType, size: file.size,
    });
    await this.http.postForm(slot.url, uploadForm(slot.fields, file, name), { failedMessage: S.files.uploadFailed });
    return { key: slot.key, name, size: file.size, content_type: contentType };
  }

  fileUrl(chatId, key) {
    return this.request("GET", `/chats/${encodeURIComponent(chatId)}/files?key=${encodeURIComponent(key)}`);
  }

  /**
   * Is the stored token still accepted? The service has no "who am I" route yet, so this asks
   * for the history of a chat that cannot exist: a bad token gets 401/403 before the lookup,
   * a good one gets 404. Returns true (valid), false (refused) or null (cannot tell: offline).
   */
  async tokenValid() {
    const state = await this.sessionState();
    return state === "valid" ? true : state === null ? null : false;
  }

  /**
   * The same check, telling why a token is refused: "valid", "ended" (expired or unknown),
   * "disabled" (403 "this account is disabled": an admin switched the account off), or null
   * (cannot tell: offline).
   */
  async sessionState() {
    try {
      await this.request("GET", "/chats/session-check/messages?after=0");
      return "valid";
    } catch (err) {
      if (err.status === 403 && /disabled/i.test(String(err.message || ""))) return "disabled";
      if (err.status === 401 || err.status === 403) return "ended";
      if (err.status === 404) return "valid";
      return null;
    }
  }
}
