// The dashboard's REST calls (docs/protocol.md): sign-in, history for gap fill and fresh panes,
// queue names, and a token check. `fetch` is injected so Node tests can stand in for it.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status; // 0 = the network failed, no answer
    this.code = code || null;
  }
}

export class Api {
  constructor(restUrl, fetchFn = globalThis.fetch.bind(globalThis)) {
    this.restUrl = restUrl.replace(/\/+$/, "");
    this.fetch = fetchFn;
    this.token = null;
  }

  async request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let res;
    try {
      res = await this.fetch(`${this.restUrl}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
      });
    } catch (err) {
      throw new ApiError(0, "network", "The chat service cannot be reached.");
    }
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (!res.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(res.status, e.code, e.message);
    }
    return data || {};
  }

  login(username, password) {
    return this.request("POST", "/auth/login", { username, password });
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

  surveys(days = 7) {
    return this.request("GET", `/surveys?days=${days}`);
  }

  // attachments: presigned POST, then the form straight to S3
  async upload(chatId, file) {
    const contentType = String(file.type || "application/octet-stream").split(";")[0].trim();
    const slot = await this.request("POST", `/chats/${encodeURIComponent(chatId)}/uploads`, {
      filename: file.name || "file", content_type: contentType, size: file.size,
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(slot.fields || {})) form.append(k, v);
    form.append("file", file);
    let res;
    try {
      res = await this.fetch(slot.url, { method: "POST", body: form });
    } catch {
      throw new ApiError(0, "network", "The file could not be uploaded.");
    }
    if (!res.ok) throw new ApiError(res.status, "upload_failed", "The file could not be uploaded.");
    return { key: slot.key, name: file.name || "file", size: file.size, content_type: contentType };
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
    try {
      await this.request("GET", "/chats/session-check/messages?after=0");
      return true;
    } catch (err) {
      if (err.status === 401 || err.status === 403) return false;
      if (err.status === 404) return true;
      return null;
    }
  }
}
