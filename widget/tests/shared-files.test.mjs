// The shared file rules (widget/js/files.js): one allow-list for the widget and the dashboard,
// the by-extension fallback for files with no reported type, sizes for people, and the links.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ACCEPT, ALLOWED_TYPES, BY_EXTENSION, checkFile, DEFAULT_MAX_BYTES, fileName, fileType, formatBytes, isImage,
  LinkCache, uploadForm,
} from "../js/files.js";
import * as patronFiles from "../patron/files.js";
import { fileProblem } from "../dashboard/logic.js";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

test("a .docx with no reported type is typed by its extension and accepted by both front ends", () => {
  const docx = { name: "Reading list.docx", type: "", size: 2048 };
  assert.equal(fileType(docx), DOCX);
  assert.equal(checkFile(docx), null);
  assert.equal(patronFiles.checkFile(docx), null, "the widget");
  assert.equal(fileProblem(docx), "", "the dashboard");
  assert.equal(patronFiles.checkFile, checkFile, "one rule, not a copy");
});

test("every extension of the fallback maps to an allowed type; nothing risky is allowed", () => {
  for (const [ext, type] of Object.entries(BY_EXTENSION)) assert.ok(ALLOWED_TYPES.has(type), ext);
  for (const risky of ["text/html", "image/svg+xml", "text/javascript", "application/zip", "application/octet-stream"]) {
    assert.equal(ALLOWED_TYPES.has(risky), false, risky);
  }
  assert.deepEqual(checkFile({ name: "a.html", type: "", size: 3 }), { code: "type" });
  assert.deepEqual(checkFile({ name: "a.docx", type: "application/octet-stream", size: 3 }), { code: "type" },
    "a reported type wins over the extension");
  assert.ok(ACCEPT.split(",").includes(".docx"));
});

test("checks in order: type, then empty, then size", () => {
  assert.deepEqual(checkFile({ name: "a.exe", type: "application/x-msdownload", size: 0 }), { code: "type" });
  assert.deepEqual(checkFile({ name: "a.png", type: "image/png", size: 0 }), { code: "empty" });
  assert.deepEqual(checkFile({ name: "a.png", type: "image/png", size: DEFAULT_MAX_BYTES + 1 }),
    { code: "too_large", max_bytes: DEFAULT_MAX_BYTES });
  assert.equal(checkFile({ name: "a.png", type: "image/png", size: DEFAULT_MAX_BYTES }), null);
});

test("images: the four thumbnail types only, parameters ignored", () => {
  assert.equal(isImage("image/png"), true);
  assert.equal(isImage("IMAGE/JPEG; q=1"), true);
  assert.equal(isImage("image/svg+xml"), false);
  assert.equal(isImage(""), false);
});

test("sizes for people", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(68), "68 B");
  assert.equal(formatBytes(1023), "1,023 B", "grouped in the locale");
  assert.equal(formatBytes(1024), "1 KB");
  assert.equal(formatBytes(1536), "2 KB", "rounded");
  assert.equal(formatBytes(1048576), "1 MB");
  assert.equal(formatBytes(2.44 * 1048576), "2.4 MB");
  assert.equal(formatBytes(2.5 * 1048576, "de"), "2,5 MB");
  assert.equal(formatBytes(undefined), "");
});

test("names: a nameless pasted image gets one from its type", () => {
  assert.equal(fileName({ name: "" }, "image/jpeg"), "pasted.jpg");
  assert.equal(fileName({}, "application/x-unknown"), "pasted.bin");
  assert.equal(fileName({ name: " a.pdf " }, "application/pdf"), "a.pdf");
});

test("the upload form: fields in order, the file last with its name", () => {
  const form = uploadForm({ key: "k", policy: "p" }, new Blob(["x"]), "a.txt");
  assert.deepEqual([...form.keys()], ["key", "policy", "file"]);
  assert.equal(form.get("file").name, "a.txt");
});

test("links: reused until 30 s before they expire; a short expiry defaults to 60 s", async () => {
  let now = 1000;
  let n = 0;
  const cache = new LinkCache(async () => ({ url: `https://s3.example/k?n=${++n}` }), { now: () => now });
  assert.equal(await cache.get("k"), "https://s3.example/k?n=1");
  now += 29_000;
  assert.equal(await cache.get("k"), "https://s3.example/k?n=1");
  now += 2_000; // 31 s after: 60 - 31 < 30 s left
  assert.equal(await cache.get("k"), "https://s3.example/k?n=2");
  cache.clear();
  assert.equal(await cache.get("k"), "https://s3.example/k?n=3");
});
