// The one fetch wrapper (widget/js/http.js): requests as the protocol wants them, every
// failure as an ApiError with the protocol's code, and the multipart POST to S3.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, JsonHttp } from "../js/http.js";
import { ApiError as PatronApiError } from "../patron/api.js";
import { ApiError as DashboardApiError } from "../dashboard/api.js";

function fakeFetch(respond) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  return { fn, calls };
}
const json = (status, body) => ({
  ok: status >= 200 && status < 300, status,
  json: async () => { if (body === undefined) throw new SyntaxError("no body"); return body; },
  text: async () => (typeof body === "string" ? body : JSON.stringify(body ?? "")),
});

test("one ApiError for both front ends", () => {
  assert.equal(PatronApiError, ApiError);
  assert.equal(DashboardApiError, ApiError);
  const e = new ApiError(409, "conflict", "already");
  assert.equal(e.message, "already");
  assert.equal(new ApiError(500, "internal").message, "internal");
  assert.equal(new ApiError(502).message, "HTTP 502");
  assert.equal(new ApiError(502).code, null);
});

test("a JSON call: the base without trailing slashes, JSON body, bearer token, no cookies, no cache", async () => {
  const f = fakeFetch(() => json(201, { ok: true }));
  const http = new JsonHttp("https://x.example/api//", f.fn);
  assert.deepEqual(await http.request("POST", "/chats", { body: { question: "Q" }, token: "tok" }), { ok: true });
  const { url, init } = f.calls[0];
  assert.equal(url, "https://x.example/api/chats");
  assert.equal(init.method, "POST");
  assert.equal(init.body, '{"question":"Q"}');
  assert.deepEqual(init.headers, { Accept: "application/json", "Content-Type": "application/json", Authorization: "Bearer tok" });
  assert.equal(init.credentials, "omit");
  assert.equal(init.cache, "no-store");
  await http.request("GET", "/status");
  assert.deepEqual(f.calls[1].init.headers, { Accept: "application/json" }, "no body, no token: no such headers");
  assert.equal(f.calls[1].init.body, undefined);
});

test("an answer with no body is {}; refusals carry the service's code and message", async () => {
  assert.deepEqual(await new JsonHttp("http://x", fakeFetch(() => json(204)).fn).request("DELETE", "/canned/1"), {});
  const refused = new JsonHttp("http://x", fakeFetch(() => json(403, { error: { code: "forbidden", message: "not yours" } })).fn);
  await assert.rejects(refused.request("GET", "/x"), (e) => e instanceof ApiError && e.status === 403 && e.code === "forbidden" && e.message === "not yours");
  const bare500 = new JsonHttp("http://x", fakeFetch(() => json(502)).fn);
  await assert.rejects(bare500.request("GET", "/x"), (e) => e.status === 502 && e.code === "internal");
  const bare400 = new JsonHttp("http://x", fakeFetch(() => json(400, { nothing: 1 })).fn);
  await assert.rejects(bare400.request("GET", "/x"), (e) => e.status === 400 && e.code === "bad_request");
});

test("no answer at all: status 0, code network; the message is the browser's or the one given", async () => {
  const down = async () => { throw new TypeError("Failed to fetch"); };
  await assert.rejects(new JsonHttp("http://x", down).request("GET", "/x"),
    (e) => e.status === 0 && e.code === "network" && e.message === "Failed to fetch");
  await assert.rejects(new JsonHttp("http://x", down, { networkMessage: "The chat service cannot be reached." }).request("GET", "/x"),
    (e) => e.code === "network" && e.message === "The chat service cannot be reached.");
});

test("the form to S3: POST, no headers, no cookies; S3's refusals as codes", async () => {
  const form = new FormData();
  const ok = fakeFetch(() => ({ ok: true, status: 204 }));
  await new JsonHttp("http://x", ok.fn).postForm("http://s3.local/bucket", form);
  assert.equal(ok.calls[0].url, "http://s3.local/bucket");
  assert.equal(ok.calls[0].init.method, "POST");
  assert.equal(ok.calls[0].init.body, form);
  assert.equal(ok.calls[0].init.headers, undefined);
  assert.equal(ok.calls[0].init.credentials, "omit");
  const big = new JsonHttp("http://x", async () => json(400, "<Error><Code>EntityTooLarge</Code></Error>"));
  await assert.rejects(big.postForm("http://s3", form), (e) => e.status === 400 && e.code === "too_large");
  const denied = new JsonHttp("http://x", async () => json(403, "<Error><Code>AccessDenied</Code></Error>"));
  await assert.rejects(denied.postForm("http://s3", form), (e) => e.code === "upload_failed" && /AccessDenied/.test(e.message));
  await assert.rejects(denied.postForm("http://s3", form, { failedMessage: "The file could not be uploaded" }),
    (e) => e.code === "upload_failed" && e.message === "The file could not be uploaded");
  const down = new JsonHttp("http://x", async () => { throw new TypeError("Failed to fetch"); });
  await assert.rejects(down.postForm("http://s3", form), (e) => e.status === 0 && e.code === "network");
});
