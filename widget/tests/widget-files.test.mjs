// Files the patron sends: checks before an upload, sizes for people, the upload form's order,
// the upload calls, and the short-lived links thumbnails use.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ACCEPT, ALLOWED_TYPES, DEFAULT_MAX_BYTES, LinkCache, checkFile, fileName, fileType, httpUrl, isImage,
  megabytes, normaliseType, uploadForm,
} from "../patron/files.js";
import { PatronApi } from "../patron/api.js";
import { formatSize } from "../patron/transcript.js";
import { STRINGS } from "../patron/i18n.js";

const file = (name, type, size) => ({ name, type, size });

test("allowed types pass; HTML, SVG, scripts and unknown types are refused before uploading", () => {
  assert.equal(checkFile(file("shot.png", "image/png", 68)), null);
  assert.equal(checkFile(file("plan.pdf", "application/pdf", 1)), null);
  assert.equal(checkFile(file("notes.txt", "Text/Plain; charset=UTF-8", 10)), null);
  for (const [name, type] of [["page.html", "text/html"], ["logo.svg", "image/svg+xml"], ["run.js", "text/javascript"],
    ["a.exe", "application/x-msdownload"], ["mystery", ""], ["x.zip", "application/zip"]]) {
    assert.deepEqual(checkFile(file(name, type, 10)), { code: "type" }, name);
  }
  assert.deepEqual(checkFile(null), { code: "type" });
});

test("no reported type: the extension decides (office documents on some systems)", () => {
  assert.equal(fileType(file("Report.DOCX", "", 5)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  assert.equal(checkFile(file("Report.docx", "", 5)), null);
  assert.equal(fileType(file("scan.pdf", "image/png", 5)), "image/png", "a reported type wins");
  assert.equal(fileType(file("noext", "", 5)), "");
  assert.equal(normaliseType(" IMAGE/PNG ; x=y"), "image/png");
  assert.ok(isImage("image/webp") && !isImage("image/svg+xml") && !isImage(undefined));
});

test("size: empty and over the limit are refused, exactly the limit passes", () => {
  assert.deepEqual(checkFile(file("e.pdf", "application/pdf", 0)), { code: "empty" });
  assert.equal(checkFile(file("big.pdf", "application/pdf", DEFAULT_MAX_BYTES)), null);
  assert.deepEqual(checkFile(file("big.pdf", "application/pdf", DEFAULT_MAX_BYTES + 1)),
    { code: "too_large", max_bytes: DEFAULT_MAX_BYTES });
  assert.deepEqual(checkFile(file("b.png", "image/png", 2001), 2000), { code: "too_large", max_bytes: 2000 });
  assert.equal(DEFAULT_MAX_BYTES, 10 * 1024 * 1024);
});

test("human sizes and limits", () => {
  assert.equal(megabytes(DEFAULT_MAX_BYTES), "10");
  assert.equal(megabytes(5.5 * 1024 * 1024), "5.5");
  assert.equal(megabytes(2.5 * 1024 * 1024, "es"), "2,5");
  assert.equal(formatSize(68), "68 B");
  assert.equal(formatSize(2048), "2 KB");
  assert.equal(formatSize(2.4 * 1024 * 1024), "2.4 MB");
  assert.equal(formatSize(undefined), "");
  assert.match(STRINGS.en["error.fileTooLarge"], /\{mb\} MB/);
});

test("the chooser accepts the allow-list (types and extensions), nothing more", () => {
  const accepted = ACCEPT.split(",");
  for (const type of ALLOWED_TYPES) assert.ok(accepted.includes(type), type);
  assert.ok(accepted.includes(".pdf") && accepted.includes(".png") && accepted.includes(".docx"));
  assert.ok(!accepted.some((a) => /html|svg|javascript/.test(a)));
});

test("a pasted image without a name gets one; names are kept to 200 characters", () => {
  assert.equal(fileName(file("", "image/png", 1), "image/png"), "pasted.png");
  assert.equal(fileName(file("  scan.pdf ", "application/pdf", 1), "application/pdf"), "scan.pdf");
  assert.equal(fileName(file("x".repeat(300), "", 1), "").length, 200);
});

test("the upload form: the service's fields as given and in order, then the file last", () => {
  class Recorder {
    constructor() { this.entries = []; }
    append(...args) { this.entries.push(args); }
  }
  const blob = { size: 3 };
  const form = uploadForm({ key: "chats/c1/ab/shot.png", "Content-Type": "image/png", policy: "P", "x-amz-signature": "S" },
    blob, "shot.png", Recorder);
  assert.deepEqual(form.entries.map((e) => e[0]), ["key", "Content-Type", "policy", "x-amz-signature", "file"]);
  assert.deepEqual(form.entries[1], ["Content-Type", "image/png"]);
  assert.deepEqual(form.entries[4], ["file", blob, "shot.png"]);
  // the real FormData too
  const real = uploadForm({ a: "1", b: "2" }, new Blob(["abc"], { type: "text/plain" }), "n.txt");
  assert.deepEqual([...real.keys()], ["a", "b", "file"]);
  assert.equal(real.get("file").name, "n.txt");
});

test("only absolute http(s) URLs are ever used", () => {
  assert.equal(httpUrl("https://b.s3.amazonaws.com/k?X-Amz-Signature=a%2Fb"), "https://b.s3.amazonaws.com/k?X-Amz-Signature=a%2Fb");
  assert.equal(httpUrl("http://127.0.0.1:5000/bucket/k"), "http://127.0.0.1:5000/bucket/k");
  for (const bad of ["javascript:alert(1)", "data:image/png;base64,AAAA", "/relative", "", null, 42, "blob:http://x/1"]) {
    assert.equal(httpUrl(bad), null, String(bad));
  }
});

test("links are reused while fresh, asked for again near expiry or when a fresh one is wanted", async () => {
  let now = 0;
  const asked = [];
  const cache = new LinkCache(async (key) => {
    asked.push(key);
    return { url: `https://s3/${key}?n=${asked.length}`, expires_in: 300 };
  }, { now: () => now, margin: 30_000 });
  assert.equal(await cache.get("k1"), "https://s3/k1?n=1");
  now = 200_000;
  assert.equal(await cache.get("k1"), "https://s3/k1?n=1");
  now = 280_000; // 20 s left: inside the margin
  assert.equal(await cache.get("k1"), "https://s3/k1?n=2");
  assert.equal(await cache.get("k1", { fresh: true }), "https://s3/k1?n=3");
  const evil = new LinkCache(async () => ({ url: "javascript:alert(1)", expires_in: 300 }));
  await assert.rejects(evil.get("k"));
});

test("uploads: the slot is asked for with the patron's token; the file goes to S3 without it", async () => {
  const calls = [];
  const fetchFn = async (url, init) => {
    calls.push({ url, init });
    if (url.endsWith("/uploads")) {
      return { ok: true, status: 200, json: async () => ({ url: "http://s3.local/bucket", fields: { key: "k" },
        key: "chats/c1/ab/shot.png", max_bytes: DEFAULT_MAX_BYTES, expires_in: 300 }) };
    }
    return { ok: true, status: 204, json: async () => { throw new Error("no body"); }, text: async () => "" };
  };
  const api = new PatronApi("http://x/api", fetchFn);
  const slot = await api.uploadSlot("c1", "ptok", { filename: "shot.png", content_type: "image/png", size: 68 });
  assert.equal(slot.key, "chats/c1/ab/shot.png");
  assert.equal(calls[0].url, "http://x/api/chats/c1/uploads");
  assert.equal(calls[0].init.headers.Authorization, "Bearer ptok");
  assert.deepEqual(JSON.parse(calls[0].init.body), { filename: "shot.png", content_type: "image/png", size: 68 });
  const form = new FormData();
  await api.upload(slot.url, form);
  assert.equal(calls[1].url, "http://s3.local/bucket");
  assert.equal(calls[1].init.method, "POST");
  assert.equal(calls[1].init.body, form);
  assert.equal(calls[1].init.headers, undefined, "no custom headers: the browser sets the multipart type");
  assert.equal(calls[1].init.credentials, "omit");

  const tooBig = new PatronApi("http://x/api", async () => ({ ok: false, status: 400, text: async () => "<Code>EntityTooLarge</Code>" }));
  await assert.rejects(tooBig.upload("http://s3.local/bucket", form), (err) => err.code === "too_large");
  const down = new PatronApi("http://x/api", async () => { throw new TypeError("Failed to fetch"); });
  await assert.rejects(down.upload("http://s3.local/bucket", form), (err) => err.code === "network");
  const badSlot = new PatronApi("http://x/api", async () => ({ ok: true, status: 200, json: async () => ({ url: "javascript:x", fields: {}, key: "k" }) }));
  await assert.rejects(badSlot.uploadSlot("c1", "t", { filename: "a", content_type: "image/png", size: 1 }),
    (err) => err.code === "bad_request");
});
