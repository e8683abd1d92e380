// The dashboard's REST calls (widget/dashboard/api.js) over the shared wrapper: the token,
// paging history, and attachments typed and checked by the widget's rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Api } from "../dashboard/api.js";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

function fakeFetch(respond) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init, body: typeof init.body === "string" ? JSON.parse(init.body) : init.body });
    const { status = 200, body } = (await respond(url, init)) || {};
    return { ok: status >= 200 && status < 300, status, json: async () => { if (body === undefined) throw new Error("none"); return body; }, text: async () => "" };
  };
  return { fn, calls };
}

test("calls carry the librarian's token once signed in; offline is said plainly", async () => {
  const f = fakeFetch(() => ({ body: { token: "t1", expires_at: "x" } }));
  const api = new Api("http://x/api/", f.fn);
  await api.login("libby", "pw");
  assert.equal(f.calls[0].url, "http://x/api/auth/login");
  assert.equal(f.calls[0].init.headers.Authorization, undefined);
  assert.deepEqual(f.calls[0].body, { username: "libby", password: "pw" });
  api.token = "t1";
  await api.setMaxChats("op/1", 2);
  assert.equal(f.calls[1].url, "http://x/api/operators/op%2F1");
  assert.equal(f.calls[1].init.method, "PUT");
  assert.equal(f.calls[1].init.headers.Authorization, "Bearer t1");
  const down = new Api("http://x/api", async () => { throw new TypeError("Failed to fetch"); });
  await assert.rejects(down.status(), (e) => e.status === 0 && e.code === "network" && e.message === "The chat service cannot be reached.");
});

test("history pages through the 500-per-call limit", async () => {
  const page = (from, n) => Array.from({ length: n }, (_, i) => ({ seq: from + i + 1 }));
  const f = fakeFetch((url) => ({ body: { messages: url.endsWith("after=0") ? page(0, 500) : page(500, 3) } }));
  const messages = await new Api("http://x/api", f.fn).history("c1", 0);
  assert.equal(messages.length, 503);
  assert.deepEqual(f.calls.map((c) => c.url), ["http://x/api/chats/c1/messages?after=0", "http://x/api/chats/c1/messages?after=500"]);
});

test("the token check: 404 for the made-up chat means valid, 401 not, no answer unknown", async () => {
  const answer = (status) => new Api("http://x/api", fakeFetch(() => ({ status, body: { error: { code: "x" } } })).fn).tokenValid();
  assert.equal(await answer(404), true);
  assert.equal(await answer(401), false);
  assert.equal(await answer(403), false);
  assert.equal(await answer(500), null);
});

test("a .docx with no reported type is declared by its extension, as the widget does", async () => {
  const f = fakeFetch((url) => (url.endsWith("/uploads")
    ? { body: { url: "http://s3.local/bucket", fields: { key: "chats/c1/r/list.docx", "Content-Type": DOCX }, key: "chats/c1/r/list.docx" } }
    : { status: 204 }));
  const api = new Api("http://x/api", f.fn);
  api.token = "t1";
  const file = new File(["PK.."], "list.docx", { type: "" });
  assert.equal(file.type, "");
  const att = await api.upload("c1", file);
  assert.deepEqual(f.calls[0].body, { filename: "list.docx", content_type: DOCX, size: 4 });
  assert.deepEqual(att, { key: "chats/c1/r/list.docx", name: "list.docx", size: 4, content_type: DOCX });
  const s3 = f.calls[1];
  assert.equal(s3.url, "http://s3.local/bucket");
  assert.equal(s3.init.headers, undefined, "no token to S3");
  assert.deepEqual([...s3.body.keys()], ["key", "Content-Type", "file"]);
  assert.equal(s3.body.get("file").name, "list.docx");
});

test("a failed upload to S3 is an ApiError in the dashboard's words", async () => {
  const f = fakeFetch((url) => (url.endsWith("/uploads")
    ? { body: { url: "http://s3.local/bucket", fields: {}, key: "k" } }
    : { status: 403 }));
  await assert.rejects(new Api("http://x/api", f.fn).upload("c1", new File(["x"], "a.txt", { type: "text/plain" })),
    (e) => e.code === "upload_failed" && e.message === "The file could not be uploaded");
});
