// The one fetch wrapper of both front ends (docs/protocol.md "REST"): JSON in and out, the
// bearer token, no cookies, no HTTP cache, and every failure as an ApiError carrying the
// protocol's error code ("network" with status 0 when the service could not be reached).
// `fetch` is injected so Node's test runner can stand in for it.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status; // 0 = the network failed, no answer
    this.code = code || null;
  }
}

function reason(err) {
  return String(err && err.message ? err.message : err);
}

export class JsonHttp {
  /**
   * @param {string} baseUrl  REST root, e.g. https://abc.execute-api.../api (trailing slashes cut)
   * @param {Function} [fetchFn]
   * @param {object} [o]
   * @param {string} [o.networkMessage]  what an unreachable service says (default: the browser's words)
   */
  constructor(baseUrl, fetchFn = globalThis.fetch.bind(globalThis), { networkMessage } = {}) {
    this.base = String(baseUrl).replace(/\/+$/, "");
    this.fetch = fetchFn;
    this.networkMessage = networkMessage;
  }

  /** One REST call; resolves with the JSON body ({} for none), rejects with an ApiError. */
  async request(method, path, { body, token, headers: extra } = {}) {
    const headers = { Accept: "application/json", ...(extra || {}) };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await this.fetch(this.base + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit", cache: "no-store",
      });
    } catch (err) {
      throw new ApiError(0, "network", this.networkMessage || reason(err));
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const error = (data && data.error) || {};
      throw new ApiError(response.status, error.code || (response.status >= 500 ? "internal" : "bad_request"),
        error.message);
    }
    return data || {};
  }

  /**
   * A file from the REST API (a CSV download): GET with the bearer token, resolving with
   * {blob, disposition (the Content-Disposition header, "" when absent or not exposed), type};
   * a refusal rejects with an ApiError read from its JSON body, as request() does.
   */
  async download(path, { token } = {}) {
    const headers = { Accept: "text/csv, application/json;q=0.5" };
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await this.fetch(this.base + path, { method: "GET", headers, credentials: "omit", cache: "no-store" });
    } catch (err) {
      throw new ApiError(0, "network", this.networkMessage || reason(err));
    }
    if (!response.ok) {
      let data = null;
      try {
        data = await response.json();
      } catch {
        data = null;
      }
      const error = (data && data.error) || {};
      throw new ApiError(response.status, error.code || (response.status >= 500 ? "internal" : "bad_request"), error.message);
    }
    const header = (name) => (response.headers && typeof response.headers.get === "function" ? response.headers.get(name) || "" : "");
    return { blob: await response.blob(), disposition: header("Content-Disposition"), type: header("Content-Type") };
  }

  /**
   * A multipart form straight to a presigned S3 POST: no custom headers (the browser sets the
   * multipart type) and no token. S3's "EntityTooLarge" becomes "too_large", any other refusal
   * "upload_failed" (message: the start of S3's answer, or `failedMessage` when given).
   */
  async postForm(url, form, { failedMessage } = {}) {
    let response;
    try {
      response = await this.fetch(url, { method: "POST", body: form, credentials: "omit", cache: "no-store" });
    } catch (err) {
      throw new ApiError(0, "network", failedMessage || reason(err));
    }
    if (!response.ok) {
      const text = typeof response.text === "function" ? await response.text().catch(() => "") : "";
      throw new ApiError(response.status, /EntityTooLarge/.test(text) ? "too_large" : "upload_failed",
        failedMessage || text.slice(0, 200));
    }
  }
}
